import SlsxSource

/// The lexer's output for one source file or one string interpolation: the lexemes in order,
/// ending with one `.endOfFile` lexeme, and the values of the literal and error lexemes.
///
/// The parser reads it by index. `tokens` converts it into public `Token`s for the REPL and tests.
public struct LexemeBuffer: Sendable {
    let file: SourceFile
    private(set) var lexemes: [Lexeme] = []
    /// The values that `Lexeme.valueIndex` points at.
    private(set) var values: [LexemeValue] = []

    /// An empty span in `file`, from which `span(of:)` makes the spans of lexemes without
    /// touching `file`.
    private let fileSpan: SourceSpan

    init(file: SourceFile, expectedCount: Int = 0) {
        self.file = file
        self.fileSpan = SourceSpan(file: file, start: 0, end: 0)
        lexemes.reserveCapacity(expectedCount)
    }

    /// The number of lexemes, counting the final end of file.
    public var count: Int { lexemes.count }

    /// The lexemes as public tokens, each with its span and decoded value.
    public var tokens: [Token] {
        lexemes.map { lexeme in
            Token(tokenKind(of: lexeme), span: span(of: lexeme), isAtLineStart: lexeme.isAtLineStart)
        }
    }

    mutating func append(_ lexeme: Lexeme) {
        lexemes.append(lexeme)
    }

    /// Stores the value of a literal or error lexeme and returns its index for `Lexeme.valueIndex`.
    mutating func store(_ value: LexemeValue) -> Int {
        if values.isEmpty {
            // A string interpolation's buffer contains a few values (`"\(index * 2)"` contains two).
            // Growing from empty would allocate again for the second and the third value.
            values.reserveCapacity(4)
        }
        values.append(value)
        return values.count - 1
    }

    func span(of lexeme: Lexeme) -> SourceSpan {
        fileSpan.inSameFile(start: lexeme.start, end: lexeme.end)
    }

    /// Returns the source text of a lexeme, such as an identifier's name.
    func text(of lexeme: Lexeme) -> String {
        String(decoding: file.bytes[lexeme.start..<lexeme.end], as: UTF8.self)
    }

    /// Returns whether the lexeme's source text is exactly `word`.
    func lexeme(_ lexeme: Lexeme, spells word: StaticString) -> Bool {
        guard lexeme.end - lexeme.start == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { spelling in
            file.bytes[lexeme.start..<lexeme.end].elementsEqual(spelling)
        }
    }

    /// Returns the value stored for a literal or error lexeme.
    /// NOTE: the lexer stores a value for every integer, float, string and error lexeme, so a
    /// missing value is a bug in the lexer. It reads as an empty error message.
    func value(of lexeme: Lexeme) -> LexemeValue {
        guard values.indices.contains(lexeme.valueIndex) else { return .error("") }
        return values[lexeme.valueIndex]
    }

    /// Returns the message of an error lexeme.
    func errorMessage(of lexeme: Lexeme) -> String {
        guard case .error(let message) = value(of: lexeme) else { return "" }
        return message
    }

    /// Returns the lexeme as a public `TokenKind`, with its value decoded.
    func tokenKind(of lexeme: Lexeme) -> TokenKind {
        if let kind = lexeme.kind.valuelessTokenKind {
            return kind
        }
        if lexeme.kind == .identifier {
            return .identifier(text(of: lexeme))
        }
        switch value(of: lexeme) {
        case .integer(let magnitude): return .integer(magnitude)
        case .float(let value): return .float(value)
        case .text(let text): return .string([.text(text)])
        case .string(let segments): return .string(segments.map(\.publicSegment))
        case .error(let message): return .error(message)
        }
    }

    /// Returns the lexeme's name in diagnostics: `'}'`, `identifier 'x'`, `end of input`.
    func displayName(of lexeme: Lexeme) -> String {
        tokenKind(of: lexeme).displayName
    }
}

/// The value of an integer, float, string or error lexeme.
enum LexemeValue: Sendable {
    /// An integer literal's magnitude; the parser folds a leading minus sign into it.
    case integer(UInt64)
    case float(Double)
    /// A string literal without interpolation.
    case text(String)
    /// A string literal with interpolation: its segments in order.
    case string([LexedStringSegment])
    /// The message that explains why the lexer could not read the input.
    case error(String)
}

/// A piece of a string literal as the lexer stores it: literal text, or the lexemes of an
/// interpolation `\(...)`, which end with an end-of-file lexeme at the closing `)`.
enum LexedStringSegment: Sendable {
    case text(String)
    /// `span` covers `\(...)`.
    case interpolation(LexemeBuffer, span: SourceSpan)

    var publicSegment: StringSegment {
        switch self {
        case .text(let text): return .text(text)
        case .interpolation(let buffer, let span): return .interpolation(buffer.tokens, span: span)
        }
    }
}
