import SlsxSource

/// An RFC 8259 JSON parser that reads text into a `Node`.
///
/// - Object keys keep the order of the text. A key that appears twice in one object is an error,
///   because a `Node` mapping with two equal keys has no single meaning.
/// - A number without a fraction or exponent becomes `.integer` when it fits in `Int64`, and `.float`
///   otherwise (so `9223372036854775808` reads as a float and loses precision). `-0` reads as the
///   integer 0. Every other number becomes `.float`; a number too large for `Double` is an error.
/// - Nesting deeper than `maximumDepth` arrays and objects is an error, so hostile input cannot
///   exhaust the stack. Invalid UTF-8, unpaired surrogate escapes and raw control characters in
///   strings are errors.
/// - Given a `SourceFile`, every node gets the span of its text and every entry the span of its key,
///   so checks on the result can point at line and column.
public struct JSONReader: Sendable {
    /// A syntax error at a position in the text.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, in lower case without a final period.
        public var message: String
        /// The position of the offending byte.
        public var location: SourceLocation
        /// The span of the offending byte, when the reader was given a `SourceFile`.
        public var span: SourceSpan?

        /// `line:column: message`.
        public var description: String { "\(location): \(message)" }

        /// The error as a diagnostic at its span.
        public var diagnostic: Diagnostic {
            .error(message, at: span, hint: "fix the JSON syntax at \(location)")
        }
    }

    /// The deepest nesting of arrays and objects that the reader accepts.
    public static let maximumDepth = 512

    private let file: SourceFile
    private let keepsSpans: Bool

    private var bytes: [UInt8] { file.bytes }

    private init(file: SourceFile, keepsSpans: Bool) {
        self.file = file
        self.keepsSpans = keepsSpans
    }

    /// Parses one JSON value from `file`, giving every node a span into it.
    public static func read(_ file: SourceFile) throws(SyntaxError) -> Node {
        var cursor = 0
        return try JSONReader(file: file, keepsSpans: true).readDocument(&cursor)
    }

    /// Parses one JSON value from `text`; nodes get no spans.
    public static func read(_ text: String) throws(SyntaxError) -> Node {
        try read(bytes: Array(text.utf8))
    }

    /// Parses one JSON value from UTF-8 `bytes`; nodes get no spans.
    public static func read(bytes: [UInt8]) throws(SyntaxError) -> Node {
        var cursor = 0
        let file = SourceFile(path: "<json>", bytes: bytes)
        return try JSONReader(file: file, keepsSpans: false).readDocument(&cursor)
    }

    // MARK: - Grammar

    private func readDocument(_ cursor: inout Int) throws(SyntaxError) -> Node {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw error("byte order mark at the start of JSON text", at: 0)
        }
        skipWhitespace(&cursor)
        let value = try readValue(&cursor, depth: 0)
        skipWhitespace(&cursor)
        if cursor < bytes.count {
            throw error("unexpected \(describe(cursor)) after the JSON value", at: cursor)
        }
        return value
    }

    private func readValue(_ cursor: inout Int, depth: Int) throws(SyntaxError) -> Node {
        guard cursor < bytes.count else {
            throw error("unexpected end of input, expected a value", at: cursor)
        }
        let start = cursor
        switch bytes[cursor] {
        case UInt8(ascii: "{"):
            return try readObject(&cursor, depth: depth + 1)
        case UInt8(ascii: "["):
            return try readArray(&cursor, depth: depth + 1)
        case UInt8(ascii: "\""):
            let text = try readString(&cursor)
            return Node(.string(text), span: span(start, cursor))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber(&cursor)
        case UInt8(ascii: "t"):
            try readLiteral("true", &cursor)
            return Node(.bool(true), span: span(start, cursor))
        case UInt8(ascii: "f"):
            try readLiteral("false", &cursor)
            return Node(.bool(false), span: span(start, cursor))
        case UInt8(ascii: "n"):
            try readLiteral("null", &cursor)
            return Node(.null, span: span(start, cursor))
        default:
            throw error("unexpected \(describe(cursor)), expected a value", at: cursor)
        }
    }

    private func readObject(_ cursor: inout Int, depth: Int) throws(SyntaxError) -> Node {
        let start = cursor
        try checkDepth(depth, at: cursor)
        cursor += 1
        var entries: [Node.Entry] = []
        var keys: Set<String> = []
        skipWhitespace(&cursor)
        if peek(cursor) == UInt8(ascii: "}") {
            cursor += 1
            return Node(.mapping(entries), span: span(start, cursor))
        }
        while true {
            skipWhitespace(&cursor)
            guard peek(cursor) == UInt8(ascii: "\"") else {
                throw error("unexpected \(describe(cursor)), expected a string key", at: cursor)
            }
            let keyStart = cursor
            let key = try readString(&cursor)
            if !keys.insert(key).inserted {
                throw error("duplicate key \"\(key)\" in object", at: keyStart)
            }
            let keySpan = span(keyStart, cursor)
            skipWhitespace(&cursor)
            guard peek(cursor) == UInt8(ascii: ":") else {
                throw error("unexpected \(describe(cursor)), expected ':' after the key", at: cursor)
            }
            cursor += 1
            skipWhitespace(&cursor)
            let value = try readValue(&cursor, depth: depth)
            entries.append(Node.Entry(key, value, keySpan: keySpan))
            skipWhitespace(&cursor)
            switch peek(cursor) {
            case UInt8(ascii: ","):
                cursor += 1
            case UInt8(ascii: "}"):
                cursor += 1
                return Node(.mapping(entries), span: span(start, cursor))
            default:
                throw error("unexpected \(describe(cursor)), expected ',' or '}'", at: cursor)
            }
        }
    }

    private func readArray(_ cursor: inout Int, depth: Int) throws(SyntaxError) -> Node {
        let start = cursor
        try checkDepth(depth, at: cursor)
        cursor += 1
        var items: [Node] = []
        skipWhitespace(&cursor)
        if peek(cursor) == UInt8(ascii: "]") {
            cursor += 1
            return Node(.sequence(items), span: span(start, cursor))
        }
        while true {
            skipWhitespace(&cursor)
            items.append(try readValue(&cursor, depth: depth))
            skipWhitespace(&cursor)
            switch peek(cursor) {
            case UInt8(ascii: ","):
                cursor += 1
            case UInt8(ascii: "]"):
                cursor += 1
                return Node(.sequence(items), span: span(start, cursor))
            default:
                throw error("unexpected \(describe(cursor)), expected ',' or ']'", at: cursor)
            }
        }
    }

    private func checkDepth(_ depth: Int, at offset: Int) throws(SyntaxError) {
        if depth > JSONReader.maximumDepth {
            throw error("nesting deeper than \(JSONReader.maximumDepth) arrays and objects", at: offset)
        }
    }

    private func readLiteral(_ word: String, _ cursor: inout Int) throws(SyntaxError) {
        let expected = Array(word.utf8)
        let end = cursor + expected.count
        guard end <= bytes.count, Array(bytes[cursor..<end]) == expected else {
            throw error("invalid literal, expected '\(word)'", at: cursor)
        }
        cursor = end
    }

    // MARK: - Numbers

    private func readNumber(_ cursor: inout Int) throws(SyntaxError) -> Node {
        let start = cursor
        var isInteger = true
        if peek(cursor) == UInt8(ascii: "-") { cursor += 1 }

        // RFC 8259: int = zero / ( digit1-9 *DIGIT ); a leading zero may not be followed by a digit.
        if peek(cursor) == UInt8(ascii: "0") {
            cursor += 1
            if let next = peek(cursor), isDigit(next) {
                throw error("leading zero in a number", at: start)
            }
        } else if let next = peek(cursor), isDigit(next) {
            skipDigits(&cursor)
        } else {
            throw error("expected a digit in the number", at: cursor)
        }

        if peek(cursor) == UInt8(ascii: ".") {
            isInteger = false
            cursor += 1
            guard let next = peek(cursor), isDigit(next) else {
                throw error("expected a digit after the decimal point", at: cursor)
            }
            skipDigits(&cursor)
        }
        if peek(cursor) == UInt8(ascii: "e") || peek(cursor) == UInt8(ascii: "E") {
            isInteger = false
            cursor += 1
            if peek(cursor) == UInt8(ascii: "+") || peek(cursor) == UInt8(ascii: "-") { cursor += 1 }
            guard let next = peek(cursor), isDigit(next) else {
                throw error("expected a digit in the exponent", at: cursor)
            }
            skipDigits(&cursor)
        }

        let text = String(decoding: bytes[start..<cursor], as: UTF8.self)
        let numberSpan = span(start, cursor)
        if isInteger, let value = Int64(text) {
            return Node(.integer(value), span: numberSpan)
        }
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is too large for a 64-bit float", at: start)
        }
        return Node(.float(value), span: numberSpan)
    }

    private func skipDigits(_ cursor: inout Int) {
        while let byte = peek(cursor), isDigit(byte) { cursor += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: - Strings

    /// Reads a string literal starting at its opening quote and leaves the cursor after the closing one.
    private func readString(_ cursor: inout Int) throws(SyntaxError) -> String {
        cursor += 1
        var scalars = String.UnicodeScalarView()
        while true {
            guard cursor < bytes.count else {
                throw error("unterminated string", at: cursor)
            }
            let byte = bytes[cursor]
            switch byte {
            case UInt8(ascii: "\""):
                cursor += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                scalars.append(try readEscape(&cursor))
            case 0x00..<0x20:
                throw error("raw control character U+\(hex(UInt32(byte), width: 4)) in a string; escape it", at: cursor)
            case 0x00..<0x80:
                scalars.append(Unicode.Scalar(byte))
                cursor += 1
            default:
                scalars.append(try readUTF8Scalar(&cursor))
            }
        }
    }

    private func readEscape(_ cursor: inout Int) throws(SyntaxError) -> Unicode.Scalar {
        let start = cursor
        cursor += 1
        guard let byte = peek(cursor) else {
            throw error("unterminated string", at: cursor)
        }
        cursor += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try readHex4(&cursor)
            switch first {
            case 0xD800...0xDBFF:
                guard peek(cursor) == UInt8(ascii: "\\"), peek(cursor + 1) == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate \\u\(hex(first, width: 4))", at: start)
                }
                cursor += 2
                let second = try readHex4(&cursor)
                guard (0xDC00...0xDFFF).contains(second) else {
                    throw error("unpaired high surrogate \\u\(hex(first, width: 4))", at: start)
                }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else {
                    throw error("invalid escape", at: start)
                }
                return scalar
            case 0xDC00...0xDFFF:
                throw error("unpaired low surrogate \\u\(hex(first, width: 4))", at: start)
            default:
                guard let scalar = Unicode.Scalar(first) else {
                    throw error("invalid escape", at: start)
                }
                return scalar
            }
        default:
            throw error("invalid escape '\\\(describeByte(byte))' in a string", at: start)
        }
    }

    private func readHex4(_ cursor: inout Int) throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(cursor), let digit = hexDigitValue(byte) else {
                throw error("expected four hexadecimal digits after \\u", at: cursor)
            }
            value = value * 16 + digit
            cursor += 1
        }
        return value
    }

    private func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and values past
    /// U+10FFFF as the Unicode standard's table of well-formed sequences does.
    private func readUTF8Scalar(_ cursor: inout Int) throws(SyntaxError) -> Unicode.Scalar {
        let start = cursor
        let lead = bytes[cursor]
        let length: Int
        var value: UInt32
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            value = UInt32(lead & 0x0F)
            if lead == 0xE0 { secondRange = 0xA0...0xBF }
            if lead == 0xED { secondRange = 0x80...0x9F }
        case 0xF0...0xF4:
            length = 4
            value = UInt32(lead & 0x07)
            if lead == 0xF0 { secondRange = 0x90...0xBF }
            if lead == 0xF4 { secondRange = 0x80...0x8F }
        default:
            throw error("invalid UTF-8 byte 0x\(hex(UInt32(lead), width: 2))", at: start)
        }
        for index in 1..<length {
            guard let byte = peek(start + index) else {
                throw error("truncated UTF-8 sequence", at: start)
            }
            let range = index == 1 ? secondRange : 0x80...0xBF
            guard range.contains(byte) else {
                throw error("invalid UTF-8 sequence", at: start)
            }
            value = (value << 6) | UInt32(byte & 0x3F)
        }
        cursor = start + length
        guard let scalar = Unicode.Scalar(value) else {
            throw error("invalid UTF-8 sequence", at: start)
        }
        return scalar
    }

    // MARK: - Helpers

    private func skipWhitespace(_ cursor: inout Int) {
        while let byte = peek(cursor),
              byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") {
            cursor += 1
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        offset >= 0 && offset < bytes.count ? bytes[offset] : nil
    }

    private func span(_ start: Int, _ end: Int) -> SourceSpan? {
        keepsSpans ? SourceSpan(file: file, start: start, end: end) : nil
    }

    private func describe(_ offset: Int) -> String {
        guard let byte = peek(offset) else { return "end of input" }
        return "'\(describeByte(byte))'"
    }

    private func describeByte(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + hex(UInt32(byte), width: 2)
    }

    private func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func error(_ message: String, at offset: Int) -> SyntaxError {
        let clamped = min(max(0, offset), bytes.count)
        let end = min(clamped + 1, bytes.count)
        return SyntaxError(
            message: message,
            location: file.location(ofOffset: clamped),
            span: keepsSpans ? SourceSpan(file: file, start: clamped, end: end) : nil
        )
    }
}
