/// The kind of a lexeme without its value: one byte, so the parser compares kinds as integers.
///
/// It mirrors `TokenKind` case for case, except that each keyword has a case of its own. Literal
/// values and error messages are stored beside the lexemes in `LexemeBuffer.values`.
enum RawTokenKind: UInt8, Sendable {
    case identifier
    case integer, float, string

    case letKeyword, varKeyword, fnKeyword, ifKeyword, elseKeyword, forKeyword, inKeyword
    case returnKeyword, importKeyword, asKeyword, trueKeyword, falseKeyword, nullKeyword

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

    /// Input the lexer could not read; its message is in `LexemeBuffer.values`.
    case error
    case endOfFile

    init(_ keyword: Keyword) {
        switch keyword {
        case .let: self = .letKeyword
        case .var: self = .varKeyword
        case .fn: self = .fnKeyword
        case .if: self = .ifKeyword
        case .else: self = .elseKeyword
        case .for: self = .forKeyword
        case .in: self = .inKeyword
        case .return: self = .returnKeyword
        case .import: self = .importKeyword
        case .as: self = .asKeyword
        case .true: self = .trueKeyword
        case .false: self = .falseKeyword
        case .null: self = .nullKeyword
        }
    }

    /// The keyword this kind stands for, or `nil` for other kinds.
    var keyword: Keyword? {
        switch self {
        case .letKeyword: return .let
        case .varKeyword: return .var
        case .fnKeyword: return .fn
        case .ifKeyword: return .if
        case .elseKeyword: return .else
        case .forKeyword: return .for
        case .inKeyword: return .in
        case .returnKeyword: return .return
        case .importKeyword: return .import
        case .asKeyword: return .as
        case .trueKeyword: return .true
        case .falseKeyword: return .false
        case .nullKeyword: return .null
        default: return nil
        }
    }

    /// The `TokenKind` of a keyword, punctuator or end of file; `nil` for kinds that carry a value
    /// (identifiers, literals and errors).
    var valuelessTokenKind: TokenKind? {
        if let keyword {
            return .keyword(keyword)
        }
        switch self {
        case .identifier, .integer, .float, .string, .error: return nil
        case .leftParen: return .leftParen
        case .rightParen: return .rightParen
        case .leftBracket: return .leftBracket
        case .rightBracket: return .rightBracket
        case .leftBrace: return .leftBrace
        case .rightBrace: return .rightBrace
        case .comma: return .comma
        case .colon: return .colon
        case .semicolon: return .semicolon
        case .dot: return .dot
        case .questionDot: return .questionDot
        case .plus: return .plus
        case .minus: return .minus
        case .star: return .star
        case .slash: return .slash
        case .percent: return .percent
        case .bang: return .bang
        case .equal: return .equal
        case .plusEqual: return .plusEqual
        case .minusEqual: return .minusEqual
        case .equalEqual: return .equalEqual
        case .bangEqual: return .bangEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .ampersandAmpersand: return .ampersandAmpersand
        case .pipePipe: return .pipePipe
        case .questionQuestion: return .questionQuestion
        case .halfOpenRange: return .halfOpenRange
        case .closedRange: return .closedRange
        case .endOfFile: return .endOfFile
        default: return nil
        }
    }

    /// The name of a keyword, punctuator or end of file in diagnostics, as `TokenKind.displayName` gives it.
    /// Kinds that carry a value are named through `LexemeBuffer.displayName(of:)`.
    var displayName: String {
        valuelessTokenKind?.displayName ?? ""
    }
}
