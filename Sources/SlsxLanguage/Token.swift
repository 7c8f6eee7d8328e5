import SlsxSource

/// The kind of a token, with the decoded value of literals.
public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case keyword(Keyword)
    /// An integer literal's magnitude. It is unsigned because `-9223372036854775808` reaches the
    /// parser as a minus sign and `9223372036854775808`, which does not fit in `Int64`.
    case integer(UInt64)
    case float(Double)
    case string([StringSegment])

    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, colon, semicolon, dot, questionDot
    case plus, minus, star, slash, percent
    case bang, equal, plusEqual, minusEqual
    case equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case ampersandAmpersand, pipePipe, questionQuestion
    /// `..<`
    case halfOpenRange
    /// `...`
    case closedRange

    /// Input the lexer could not read, with a message that says why.
    case error(String)
    case endOfFile
}

/// A reserved word of the language.
public enum Keyword: String, CaseIterable, Sendable {
    case `let`, `var`, `fn`, `if`, `else`, `for`, `in`, `return`, `import`, `as`
    case `true`, `false`, `null`
}

/// A piece of a string literal: literal text or an interpolated expression `\(...)`.
public enum StringSegment: Equatable, Sendable {
    case text(String)
    /// The tokens between `\(` and `)`, followed by an end-of-file token; `span` covers `\(...)`.
    case interpolation([Token], span: SourceSpan)
}

/// One token: its kind, where it was written, and whether a line break comes before it.
public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var span: SourceSpan
    /// Whether a line break separates this token from the previous one. Line breaks end
    /// statements and map entries, so the parser needs them; comments count as whitespace.
    public var isAtLineStart: Bool

    public init(_ kind: TokenKind, span: SourceSpan, isAtLineStart: Bool = false) {
        self.kind = kind
        self.span = span
        self.isAtLineStart = isAtLineStart
    }
}

extension TokenKind {
    /// How diagnostics name the token: `'}'`, `identifier 'x'`, `end of input`.
    public var displayName: String {
        switch self {
        case .identifier(let name): return "identifier '\(name)'"
        case .keyword(let keyword): return "keyword '\(keyword.rawValue)'"
        case .integer(let value): return "integer \(value)"
        case .float(let value): return "float \(value)"
        case .string: return "string"
        case .error: return "invalid input"
        case .endOfFile: return "end of input"
        default: return "'\(punctuatorText)'"
        }
    }

    /// The source text of a punctuator or operator; empty for other kinds.
    var punctuatorText: String {
        switch self {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .comma: return ","
        case .colon: return ":"
        case .semicolon: return ";"
        case .dot: return "."
        case .questionDot: return "?."
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .bang: return "!"
        case .equal: return "="
        case .plusEqual: return "+="
        case .minusEqual: return "-="
        case .equalEqual: return "=="
        case .bangEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .ampersandAmpersand: return "&&"
        case .pipePipe: return "||"
        case .questionQuestion: return "??"
        case .halfOpenRange: return "..<"
        case .closedRange: return "..."
        default: return ""
        }
    }
}
