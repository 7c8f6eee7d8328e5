/// One token as the lexer stores it for the parser: a one-byte kind and a byte range.
///
/// A lexeme holds no reference to its source file, so copying one costs no reference counting.
/// `LexemeBuffer` turns lexemes into spans and public `Token`s where they are needed.
struct Lexeme: Sendable {
    var kind: RawTokenKind
    /// Whether a line break separates this lexeme from the previous one.
    var isAtLineStart: Bool
    /// The byte offset of the first byte in the source file.
    var start: Int
    /// The byte offset just past the last byte.
    var end: Int
    /// For integer, float, string and error lexemes, the index of the value in
    /// `LexemeBuffer.values`; -1 for the other kinds.
    var valueIndex: Int

    init(_ kind: RawTokenKind, start: Int, end: Int, valueIndex: Int = -1, isAtLineStart: Bool = false) {
        self.kind = kind
        self.isAtLineStart = isAtLineStart
        self.start = start
        self.end = end
        self.valueIndex = valueIndex
    }
}
