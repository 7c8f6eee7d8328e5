/// One token as the lexer stores it for the parser: a one-byte kind and a byte range.
///
/// A lexeme holds no reference to its source file, so copying one costs no reference counting.
/// `LexemeBuffer` turns lexemes into spans and public `Token`s where they are needed.
///
/// A lexeme takes 16 bytes because its offsets and value index are stored in 32 bits. The lexer
/// writes one per token, about 1.75 million for a 10 MB script, into an array whose pages are all
/// touched for the first time, so halving the lexeme from 32 bytes halves those page faults.
struct Lexeme: Sendable {
    var kind: RawTokenKind
    /// Whether a line break separates this lexeme from the previous one.
    var isAtLineStart: Bool
    // NOTE: offsets past 4 GiB are clamped to 4 GiB, as in `SourceSpan`, and value indexes past
    // 2 Gi to 2 Gi. In a script that large a name past 4 GiB reads as the wrong text and a later
    // literal as another literal's value; neither crashes.
    private var storedStart: UInt32
    private var storedEnd: UInt32
    private var storedValueIndex: Int32

    /// The byte offset of the first byte in the source file.
    var start: Int { Int(storedStart) }
    /// The byte offset just past the last byte.
    var end: Int { Int(storedEnd) }
    /// For integer, float, string and error lexemes, the index of the value in
    /// `LexemeBuffer.values`; -1 for the other kinds.
    var valueIndex: Int { Int(storedValueIndex) }

    init(_ kind: RawTokenKind, start: Int, end: Int, valueIndex: Int = -1, isAtLineStart: Bool = false) {
        self.kind = kind
        self.isAtLineStart = isAtLineStart
        self.storedStart = UInt32(clamping: start)
        self.storedEnd = UInt32(clamping: max(start, end))
        self.storedValueIndex = Int32(clamping: valueIndex)
    }
}
