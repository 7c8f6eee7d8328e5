import SlsxSource

/// Turns the UTF-8 bytes of a source file into tokens.
///
/// The lexer never fails. Input it cannot read becomes an `.error` token whose span points at the
/// problem, and lexing goes on after it. Such input is invalid UTF-8, a stray control character,
/// an unterminated string or block comment, a bad escape or an out-of-range number. The parser reports those
/// tokens as diagnostics.
///
/// The lexer writes compact `Lexeme`s into a `LexemeBuffer`: a one-byte kind and a byte range, with
/// literal values stored beside them. Names stay undecoded here, and the parser reads them from
/// the source bytes when it builds a node.
public struct Lexer {
    /// The maximum nesting of string interpolations (`"\("\("...")")"`). Deeper input is an error
    /// token, so hostile input cannot exhaust the stack through the lexer.
    public static let maximumInterpolationDepth = 32

    /// Each keyword with its spelling packed into a `UInt64` by `packedSpelling`. Keywords are 2 to
    /// 6 bytes long, so a name of at most 8 bytes is compared with every keyword as an integer.
    private static let packedKeywords: [(spelling: UInt64, kind: RawTokenKind)] = Keyword.allCases.map { keyword in
        let bytes = Array(keyword.rawValue.utf8)
        return (packedSpelling(bytes, from: 0, to: bytes.count), RawTokenKind(keyword))
    }

    /// The maximum number of lexemes that `lex` reserves room for up front: 64 MiB of 16-byte
    /// lexemes, which covers a source file of up to 16 MiB at one lexeme per 4 bytes.
    private static let maximumReservedLexemes = 4 * 1024 * 1024

    private let file: SourceFile
    private let bytes: [UInt8]
    private var position: Int
    private let interpolationDepth: Int
    private var buffer: LexemeBuffer

    private init(file: SourceFile, position: Int, interpolationDepth: Int, expectedCount: Int) {
        self.file = file
        self.bytes = file.bytes
        self.position = position
        self.interpolationDepth = interpolationDepth
        self.buffer = LexemeBuffer(file: file, expectedCount: expectedCount)
    }

    /// Returns every token of `file`, ending with one `.endOfFile` token.
    public static func tokenize(_ file: SourceFile) -> [Token] {
        lex(file).tokens
    }

    /// Returns the lexemes of `file` for the parser, ending with one end-of-file lexeme.
    public static func lex(_ file: SourceFile) -> LexemeBuffer {
        // The samples take about 9 bytes per token and the benchmark's generated script 5.7.
        // Reserving one lexeme per 4 bytes saves the copies of a growing array in most files. The
        // unused end of a reservation is never touched, and the array still grows if needed. The
        // cap keeps a huge file of few tokens (one long comment) from reserving gigabytes.
        let expectedCount = min(file.bytes.count / 4 + 1, Lexer.maximumReservedLexemes)
        var lexer = Lexer(file: file, position: 0, interpolationDepth: 0, expectedCount: expectedCount)
        // A byte order mark at the very start is not part of the text.
        if file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            lexer.position = 3
        }
        while true {
            let lexeme = lexer.nextLexeme()
            lexer.buffer.append(lexeme)
            if lexeme.kind == .endOfFile {
                return lexer.buffer
            }
        }
    }

    // MARK: - Tokens

    private mutating func nextLexeme() -> Lexeme {
        let trivia = skipTrivia()
        if let error = trivia.error {
            return error
        }
        let start = position
        guard position < bytes.count else {
            return Lexeme(.endOfFile, start: start, end: start, isAtLineStart: trivia.sawLineBreak)
        }

        let byte = bytes[position]
        var lexeme: Lexeme
        if Lexer.isIdentifierStart(byte) {
            lexeme = lexIdentifier()
        } else if Lexer.isDigit(byte) {
            lexeme = lexNumber()
        } else if byte == UInt8(ascii: "\"") {
            lexeme = lexString()
        } else if let kind = lexPunctuator() {
            lexeme = Lexeme(kind, start: start, end: position)
        } else {
            lexeme = lexUnexpectedCharacter()
        }
        lexeme.isAtLineStart = trivia.sawLineBreak
        return lexeme
    }

    /// Skips spaces, line breaks and comments. Returns whether a line break was skipped, or an
    /// error lexeme for an unterminated block comment or for the first invalid byte in a comment.
    /// After an invalid byte the comment is still skipped to its end, so lexing goes on after it.
    private mutating func skipTrivia() -> (sawLineBreak: Bool, error: Lexeme?) {
        var sawLineBreak = false
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: "\n"):
                sawLineBreak = true
                position += 1
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                position += 2
                var firstProblem: Lexeme?
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
                    let problem = skipCommentCharacter(reportingProblem: firstProblem == nil)
                    firstProblem = firstProblem ?? problem
                }
                if let firstProblem {
                    return (sawLineBreak, firstProblem)
                }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let start = position
                position += 2
                var firstProblem: Lexeme?
                while true {
                    if position >= bytes.count {
                        return (sawLineBreak, firstProblem ?? error("unterminated block comment; close it with '*/'", from: start, to: start + 2))
                    }
                    if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        position += 2
                        break
                    }
                    if bytes[position] == UInt8(ascii: "\n") {
                        sawLineBreak = true
                    }
                    let problem = skipCommentCharacter(reportingProblem: firstProblem == nil)
                    firstProblem = firstProblem ?? problem
                }
                if let firstProblem {
                    return (sawLineBreak, firstProblem)
                }
            default:
                return (sawLineBreak, nil)
            }
        }
        return (sawLineBreak, nil)
    }

    /// Moves past the character that starts at `position` inside a comment. Returns an error
    /// lexeme, when `reportingProblem` is true, for a control character other than tab, line feed
    /// and carriage return, or for invalid UTF-8: the same bytes that are errors in a string.
    private mutating func skipCommentCharacter(reportingProblem: Bool) -> Lexeme? {
        let start = position
        let byte = bytes[position]
        if byte < 0x80 {
            position += 1
            let isControl = (byte < 0x20 || byte == 0x7F)
                && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r")
            guard isControl, reportingProblem else { return nil }
            return error(
                "control character \(Lexer.codePoint(Unicode.Scalar(byte))) in a comment; remove it",
                from: start, to: position)
        }
        guard let (_, length) = decodeScalar(at: position) else {
            position += 1
            guard reportingProblem else { return nil }
            return error("invalid UTF-8 byte 0x\(Lexer.hex(byte)) in a comment", from: start, to: position)
        }
        position += length
        return nil
    }

    private mutating func lexIdentifier() -> Lexeme {
        let start = position
        while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) {
            position += 1
        }
        return Lexeme(keywordKind(from: start, to: position) ?? .identifier, start: start, end: position)
    }

    /// Returns the keyword spelled by `bytes[start..<end]`, or `nil` for any other name.
    private func keywordKind(from start: Int, to end: Int) -> RawTokenKind? {
        guard end - start <= 8 else { return nil }
        let spelling = Lexer.packedSpelling(bytes, from: start, to: end)
        for keyword in Lexer.packedKeywords where keyword.spelling == spelling {
            return keyword.kind
        }
        return nil
    }

    /// Packs at most 8 bytes into a `UInt64`, the first byte lowest. Names never contain a zero
    /// byte, so two names of at most 8 bytes are equal exactly when their packed values are.
    private static func packedSpelling(_ bytes: [UInt8], from start: Int, to end: Int) -> UInt64 {
        var packed: UInt64 = 0
        var shift: UInt64 = 0
        for index in start..<end {
            packed |= UInt64(bytes[index]) << shift
            shift += 8
        }
        return packed
    }

    /// Lexes `123`, `1.5`, `1e3`, `1.5E-7`. A `.` is part of a number only when a digit follows it,
    /// so `0..<n` lexes as `0`, `..<`, `n`.
    private mutating func lexNumber() -> Lexeme {
        let start = position
        var isFloat = false
        skipDigits()
        if peek(0) == UInt8(ascii: "."), let next = peek(1), Lexer.isDigit(next) {
            isFloat = true
            position += 1
            skipDigits()
        }
        if peek(0) == UInt8(ascii: "e") || peek(0) == UInt8(ascii: "E") {
            var offset = 1
            if peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") {
                offset = 2
            }
            if let digit = peek(offset), Lexer.isDigit(digit) {
                isFloat = true
                position += offset
                skipDigits()
            }
        }
        if let next = peek(0), Lexer.isIdentifierPart(next) {
            while position < bytes.count, Lexer.isIdentifierPart(bytes[position]) {
                position += 1
            }
            return error("invalid number literal '\(text(from: start))'", from: start, to: position)
        }

        if isFloat {
            let text = text(from: start)
            guard let value = Double(text), value.isFinite else {
                return error("float literal \(text) is out of range", from: start, to: position)
            }
            return Lexeme(.float, start: start, end: position, valueIndex: buffer.store(.float(value)))
        }
        // The digits are decoded here rather than through `UInt64(String)`, which would need a
        // string for every integer.
        var value: UInt64 = 0
        for index in start..<position {
            let (product, productOverflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflow) = product.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !productOverflow, !sumOverflow else {
                return error("integer literal \(text(from: start)) is out of range", from: start, to: position)
            }
            value = sum
        }
        return Lexeme(.integer, start: start, end: position, valueIndex: buffer.store(.integer(value)))
    }

    private mutating func skipDigits() {
        while position < bytes.count, Lexer.isDigit(bytes[position]) {
            position += 1
        }
    }

    private mutating func lexPunctuator() -> RawTokenKind? {
        let byte = bytes[position]
        let next = peek(1)
        let nextNext = peek(2)
        func take(_ count: Int, _ kind: RawTokenKind) -> RawTokenKind {
            position += count
            return kind
        }
        switch byte {
        case UInt8(ascii: "("): return take(1, .leftParen)
        case UInt8(ascii: ")"): return take(1, .rightParen)
        case UInt8(ascii: "["): return take(1, .leftBracket)
        case UInt8(ascii: "]"): return take(1, .rightBracket)
        case UInt8(ascii: "{"): return take(1, .leftBrace)
        case UInt8(ascii: "}"): return take(1, .rightBrace)
        case UInt8(ascii: ","): return take(1, .comma)
        case UInt8(ascii: ":"): return take(1, .colon)
        case UInt8(ascii: ";"): return take(1, .semicolon)
        case UInt8(ascii: "*"): return take(1, .star)
        case UInt8(ascii: "/"): return take(1, .slash)
        case UInt8(ascii: "%"): return take(1, .percent)
        case UInt8(ascii: "."):
            if next == UInt8(ascii: "."), nextNext == UInt8(ascii: "<") { return take(3, .halfOpenRange) }
            if next == UInt8(ascii: "."), nextNext == UInt8(ascii: ".") { return take(3, .closedRange) }
            return take(1, .dot)
        case UInt8(ascii: "?"):
            if next == UInt8(ascii: ".") { return take(2, .questionDot) }
            if next == UInt8(ascii: "?") { return take(2, .questionQuestion) }
            return nil
        case UInt8(ascii: "&"):
            return next == UInt8(ascii: "&") ? take(2, .ampersandAmpersand) : nil
        case UInt8(ascii: "|"):
            return next == UInt8(ascii: "|") ? take(2, .pipePipe) : nil
        case UInt8(ascii: "="):
            return next == UInt8(ascii: "=") ? take(2, .equalEqual) : take(1, .equal)
        case UInt8(ascii: "!"):
            return next == UInt8(ascii: "=") ? take(2, .bangEqual) : take(1, .bang)
        case UInt8(ascii: "<"):
            return next == UInt8(ascii: "=") ? take(2, .lessEqual) : take(1, .less)
        case UInt8(ascii: ">"):
            return next == UInt8(ascii: "=") ? take(2, .greaterEqual) : take(1, .greater)
        case UInt8(ascii: "+"):
            return next == UInt8(ascii: "=") ? take(2, .plusEqual) : take(1, .plus)
        case UInt8(ascii: "-"):
            return next == UInt8(ascii: "=") ? take(2, .minusEqual) : take(1, .minus)
        default:
            return nil
        }
    }

    private mutating func lexUnexpectedCharacter() -> Lexeme {
        let start = position
        let byte = bytes[position]
        if byte < 0x80 {
            position += 1
            let scalar = Unicode.Scalar(byte)
            if byte < 0x20 || byte == 0x7F {
                return error("unexpected control character \(Lexer.codePoint(scalar))", from: start, to: position)
            }
            return error("unexpected character '\(Character(scalar))'", from: start, to: position)
        }
        guard let (scalar, length) = decodeScalar(at: position) else {
            position += 1
            return error("invalid UTF-8 byte 0x\(Lexer.hex(byte))", from: start, to: position)
        }
        position += length
        return error(
            "unexpected character '\(Character(scalar))' (\(Lexer.codePoint(scalar))); names use ASCII letters, digits and '_', and other text belongs in a string",
            from: start, to: position)
    }

    // MARK: - Strings

    /// Lexes `"..."` or `"""..."""` with escapes and `\(...)` interpolation. A problem inside the
    /// string (bad escape, control character, invalid UTF-8) turns the whole literal into one error
    /// token that points at the first problem, after the lexer has found the end of the string.
    ///
    /// Bytes that stand for themselves are copied into the text a run at a time. `runStart` is the
    /// first byte of the current run, and the run ends at an escape, a quote or a problem.
    private mutating func lexString() -> Lexeme {
        let start = position
        let isTriple = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
        position += isTriple ? 3 : 1
        if isTriple {
            skipToEndOfOpeningLine()
        }

        var segments: [LexedStringSegment] = []
        var text = ""
        var runStart = position
        var firstProblem: (message: String, start: Int, end: Int)?
        func problem(_ message: String, _ from: Int, _ to: Int) {
            if firstProblem == nil {
                firstProblem = (message, from, to)
            }
        }
        /// Appends the bytes of the current run to `text`. Every byte in a run has been checked to
        /// be printable ASCII, a tab, a line break or part of a well-formed UTF-8 sequence.
        func endRun(at end: Int) {
            guard runStart < end else { return }
            let run = String(decoding: bytes[runStart..<end], as: UTF8.self)
            if text.isEmpty {
                text = run
            } else {
                text += run
            }
        }

        while true {
            guard position < bytes.count else {
                return unterminatedString(start, isTriple: isTriple)
            }
            let byte = bytes[position]
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                if !isTriple {
                    endRun(at: position)
                    position += 1
                    break
                }
                if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                    endRun(at: position)
                    position += 3
                    break
                }
                // A lone quote inside `"""` is text.
                position += 1
                continue
            }
            if byte == UInt8(ascii: "\n"), !isTriple {
                return unterminatedString(start, isTriple: false)
            }
            if byte == UInt8(ascii: "\\") {
                endRun(at: position)
                if peek(1) == UInt8(ascii: "(") {
                    if segments.isEmpty {
                        // Four segments cover "a\(x)b\(y)" in one allocation. Growing the array
                        // from empty would allocate again for the second and the third segment.
                        segments.reserveCapacity(4)
                    }
                    if !text.isEmpty {
                        segments.append(.text(text))
                        text = ""
                    }
                    switch lexInterpolation() {
                    case .success(let segment): segments.append(segment)
                    case .failure(let failure): return failure.lexeme
                    }
                } else {
                    let escapeStart = position
                    switch lexEscape() {
                    case .success(let scalar): text.unicodeScalars.append(scalar)
                    case .failure(let failure): problem(failure.message, escapeStart, position)
                    }
                }
                runStart = position
                continue
            }
            if byte < 0x20 || byte == 0x7F {
                let allowed = byte == UInt8(ascii: "\t") || (isTriple && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")))
                if !allowed {
                    problem(
                        "control character \(Lexer.codePoint(Unicode.Scalar(byte))) in a string; write it as the escape \(Lexer.escape(of: byte))",
                        position, position + 1)
                }
                if !allowed || byte == UInt8(ascii: "\r") {
                    // The byte is not part of the text: a `\r` in a `"""` string is dropped.
                    endRun(at: position)
                    runStart = position + 1
                }
                position += 1
                continue
            }
            guard let (_, length) = decodeScalar(at: position) else {
                problem("invalid UTF-8 byte 0x\(Lexer.hex(byte)) in a string", position, position + 1)
                endRun(at: position)
                position += 1
                runStart = position
                continue
            }
            position += length
        }

        if let firstProblem {
            return error(firstProblem.message, from: firstProblem.start, to: firstProblem.end)
        }
        if segments.isEmpty {
            // Most strings have no interpolation, so they are stored without a segment array.
            if isTriple, case .text(let trimmed)? = removeIndentation([.text(text)], closingQuote: position - 3).first {
                text = trimmed
            }
            return Lexeme(.string, start: start, end: position, valueIndex: buffer.store(.text(text)))
        }
        if !text.isEmpty {
            segments.append(.text(text))
        }
        if isTriple {
            segments = removeIndentation(segments, closingQuote: position - 3)
        }
        return Lexeme(.string, start: start, end: position, valueIndex: buffer.store(.string(segments)))
    }

    private mutating func unterminatedString(_ start: Int, isTriple: Bool) -> Lexeme {
        let quotes = isTriple ? "\"\"\"" : "\""
        // A `"""` string may span lines, so only the end of the file leaves it open.
        let end = isTriple ? "file" : "line"
        return error(
            "unterminated string; close it with \(quotes) before the end of the \(end)",
            from: start, to: start + quotes.utf8.count)
    }

    /// After an opening `"""`, skips spaces and the line break when nothing else follows on the line.
    private mutating func skipToEndOfOpeningLine() {
        var index = position
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") || bytes[index] == UInt8(ascii: "\r") {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
            position = index + 1
        }
    }

    /// Removes the closing delimiter's indentation from every line of a `"""` string, and the line
    /// break before the closing delimiter, as Swift does.
    /// NOTE: an escaped `\n` followed by that many spaces loses the spaces too.
    private func removeIndentation(_ segments: [LexedStringSegment], closingQuote: Int) -> [LexedStringSegment] {
        var indentStart = closingQuote
        while indentStart > 0, bytes[indentStart - 1] == UInt8(ascii: " ") || bytes[indentStart - 1] == UInt8(ascii: "\t") {
            indentStart -= 1
        }
        guard indentStart > 0, bytes[indentStart - 1] == UInt8(ascii: "\n") else {
            return segments
        }
        let indent = String(decoding: bytes[indentStart..<closingQuote], as: UTF8.self)
        var result = segments
        for index in result.indices {
            guard case .text(var text) = result[index] else { continue }
            if index == 0, text.hasPrefix(indent) {
                text.removeFirst(indent.count)
            }
            if !indent.isEmpty {
                text = text.replacing("\n" + indent, with: "\n")
            }
            if index == result.count - 1 {
                if text.hasSuffix("\n") {
                    text.removeLast()
                }
            }
            result[index] = .text(text)
        }
        return result
    }

    /// Lexes `\(...)` starting at the backslash, using a nested lexer until the matching `)`.
    private mutating func lexInterpolation() -> Result<LexedStringSegment, LexemeFailure> {
        let start = position
        position += 2
        if interpolationDepth + 1 >= Lexer.maximumInterpolationDepth {
            return .failure(LexemeFailure(error(
                "string interpolation nested more than \(Lexer.maximumInterpolationDepth) levels deep",
                from: start, to: start + 2)))
        }
        // Most interpolations are a name or a short expression of a few tokens.
        var inner = Lexer(file: file, position: position, interpolationDepth: interpolationDepth + 1, expectedCount: 8)
        var depth = 0
        while true {
            let lexeme = inner.nextLexeme()
            switch lexeme.kind {
            case .leftParen:
                depth += 1
            case .rightParen:
                if depth == 0 {
                    position = inner.position
                    inner.buffer.append(Lexeme(.endOfFile, start: lexeme.start, end: lexeme.end))
                    return .success(.interpolation(inner.buffer, span: SourceSpan(file: file, start: start, end: position)))
                }
                depth -= 1
            case .endOfFile:
                position = inner.position
                return .failure(LexemeFailure(error("unterminated interpolation; close it with ')'", from: start, to: start + 2)))
            default:
                break
            }
            inner.buffer.append(lexeme)
        }
    }

    /// Lexes one escape sequence starting at the backslash.
    private mutating func lexEscape() -> Result<Unicode.Scalar, EscapeFailure> {
        guard let letter = peek(1) else {
            position += 1
            return .failure(EscapeFailure("incomplete escape sequence at the end of the input"))
        }
        position += 2
        switch letter {
        case UInt8(ascii: "n"): return .success("\n")
        case UInt8(ascii: "t"): return .success("\t")
        case UInt8(ascii: "r"): return .success("\r")
        case UInt8(ascii: "b"): return .success("\u{8}")
        case UInt8(ascii: "f"): return .success("\u{C}")
        case UInt8(ascii: "0"): return .success("\u{0}")
        case UInt8(ascii: "\""): return .success("\"")
        case UInt8(ascii: "'"): return .success("'")
        case UInt8(ascii: "\\"): return .success("\\")
        case UInt8(ascii: "/"): return .success("/")
        case UInt8(ascii: "u"): return lexUnicodeEscape()
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            return .failure(EscapeFailure(
                "a backslash before a line break is not an escape, because strings have no line continuation; remove it, or write \\\\ for a backslash"))
        default:
            let shown = letter < 0x80 && letter >= 0x20 ? String(UnicodeScalar(letter)) : "0x" + Lexer.hex(letter)
            return .failure(EscapeFailure(
                "invalid escape sequence '\\\(shown)'; the escapes are \\n \\t \\r \\b \\f \\0 \\\" \\' \\\\ \\/ \\uXXXX \\u{X} and \\(expression)"))
        }
    }

    /// Lexes the rest of `\u{1F680}` or `\uXXXX`, joining a JSON surrogate pair `\uD83D\uDE80`.
    private mutating func lexUnicodeEscape() -> Result<Unicode.Scalar, EscapeFailure> {
        if peek(0) == UInt8(ascii: "{") {
            position += 1
            let digitsStart = position
            while let byte = peek(0), Lexer.hexValue(byte) != nil {
                position += 1
            }
            let digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
            guard peek(0) == UInt8(ascii: "}"), (1...8).contains(digits.count) else {
                return .failure(EscapeFailure("invalid unicode escape; write \\u{ followed by 1 to 8 hex digits and }"))
            }
            position += 1
            guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                return .failure(EscapeFailure("\\u{\(digits)} is not a Unicode scalar value"))
            }
            return .success(scalar)
        }

        guard let high = readFourHexDigits() else {
            return .failure(EscapeFailure("invalid unicode escape; write \\u followed by exactly 4 hex digits, or \\u{1F680}"))
        }
        if (0xDC00...0xDFFF).contains(high) {
            return .failure(EscapeFailure("unpaired low surrogate \\u\(Lexer.hex4(high))"))
        }
        if (0xD800...0xDBFF).contains(high) {
            guard peek(0) == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                return .failure(EscapeFailure("unpaired high surrogate \\u\(Lexer.hex4(high)); follow it with a low surrogate \\uDC00 to \\uDFFF"))
            }
            position += 2
            guard let low = readFourHexDigits(), (0xDC00...0xDFFF).contains(low) else {
                return .failure(EscapeFailure("unpaired high surrogate \\u\(Lexer.hex4(high)); follow it with a low surrogate \\uDC00 to \\uDFFF"))
            }
            let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else {
                return .failure(EscapeFailure("invalid surrogate pair"))
            }
            return .success(scalar)
        }
        guard let scalar = Unicode.Scalar(high) else {
            return .failure(EscapeFailure("\\u\(Lexer.hex4(high)) is not a Unicode scalar value"))
        }
        return .success(scalar)
    }

    private mutating func readFourHexDigits() -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let byte = peek(offset), let digit = Lexer.hexValue(byte) else { return nil }
            value = value * 16 + UInt32(digit)
        }
        position += 4
        return value
    }

    // MARK: - Bytes

    private func peek(_ offset: Int) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Stores `message` and returns an error lexeme for `start..<end`.
    private mutating func error(_ message: String, from start: Int, to end: Int) -> Lexeme {
        Lexeme(.error, start: start, end: end, valueIndex: buffer.store(.error(message)))
    }

    /// Returns the escape that writes the control character `byte` in a string: `\n`, `\r` or `\u{1b}`.
    static func escape(of byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\r"): return "\\r"
        default: return "\\u{\(String(byte, radix: 16))}"
        }
    }

    /// Decodes one well-formed UTF-8 sequence, rejecting overlong forms, surrogates and values
    /// above U+10FFFF.
    private func decodeScalar(at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : (length == 3 ? 0x800 : 0x10000)
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + hex4(scalar.value)
    }
}

/// An error lexeme that ends a string literal early.
private struct LexemeFailure: Error {
    let lexeme: Lexeme
    init(_ lexeme: Lexeme) { self.lexeme = lexeme }
}

/// The message for an invalid escape sequence.
private struct EscapeFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
