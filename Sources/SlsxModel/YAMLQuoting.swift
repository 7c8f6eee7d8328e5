/// The quoting rules `YAMLWriter` applies to each string, key or value, so that YAML 1.1 readers
/// (such as PyYAML) and YAML 1.2 readers all read back the same string.
///
/// Every rule below is conservative: a string that might be read as anything but itself is
/// double-quoted, even where one of the two YAML versions would read it as a string anyway. Quoting a
/// string that did not need it costs two characters; leaving one bare that needed quotes changes
/// the value.
enum YAMLQuoting {
    /// The form a string is written in.
    enum Style: Equatable {
        /// As is, without quotes.
        case plain
        /// In double quotes with escapes.
        case doubleQuoted
        /// As a block literal (`|`), for multi-line values only.
        case literal
    }

    /// Chooses the style of a string. Keys never get `.literal`: `allowsLiteral` is `false` for them.
    static func style(of text: String, allowsLiteral: Bool) -> Style {
        text.withUTF8Bytes { bytes in
            if ByteScan.firstIndex(of: UInt8(ascii: "\n"), in: bytes) < bytes.count {
                return allowsLiteral && isLiteralSafe(text) ? .literal : .doubleQuoted
            }
            return isPlainSafe(text, bytes: bytes) ? .plain : .doubleQuoted
        }
    }

    // MARK: - Plain scalars

    /// Whether `text` (one line) reads back as the same string when written without quotes.
    ///
    /// The rules look at UTF-8 bytes, that is at code points as a YAML reader sees them, not at
    /// grapheme clusters. A byte below 0x80 is always a whole ASCII character, so comparing bytes with
    /// ASCII characters is exact, and a combining mark after `:` or `#` does not hide the indicator.
    static func isPlainSafe(_ text: String) -> Bool {
        // The rules read the contiguous UTF-8 bytes, so each scan is a plain loop rather than an
        // iteration of `String.UTF8View`.
        text.withUTF8Bytes { bytes in isPlainSafe(text, bytes: bytes) }
    }

    /// Applies the rules of `isPlainSafe` to `text`, whose UTF-8 bytes are `bytes`.
    private static func isPlainSafe(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Empty: a bare empty value reads as null.
        guard let first = bytes.first, let last = bytes.last else {
            return false
        }

        // Leading or trailing spaces: a plain scalar drops them.
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") { return false }

        // One pass finds non-ASCII bytes, ASCII controls and DEL, and the pairs `: ` and ` #`.
        // Each of them has a byte that `ByteScan` finds eight bytes at a time, so the loop only
        // looks at those bytes and their neighbours.
        var isASCII = true
        var hasASCIIControl = false
        var hasKeyOrCommentPair = false
        var index = ByteScan.firstYAMLPlainSpecialByte(in: bytes, from: 0)
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 {
                isASCII = false
            } else if byte < 0x20 || byte == 0x7F {
                hasASCIIControl = true
            } else if byte == UInt8(ascii: ":") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: " ") { hasKeyOrCommentPair = true }
            } else if byte == UInt8(ascii: "#") {
                if index > 0, bytes[index - 1] == UInt8(ascii: " ") { hasKeyOrCommentPair = true }
            }
            index = ByteScan.firstYAMLPlainSpecialByte(in: bytes, from: index + 1)
        }

        // Any character that must be escaped (controls, tab, DEL, C1 controls, the Unicode line and
        // paragraph separators, BOM and non-characters) forces double quotes, which can escape it.
        // ASCII text needs the scalar check only for controls and DEL.
        if isASCII {
            if hasASCIIControl { return false }
        } else if text.unicodeScalars.contains(where: needsEscape) {
            return false
        }

        // A leading indicator character starts some other YAML construct. These are a sequence entry
        // (`-`), complex key (`?`), value (`:`), flow collection (`, [ ] { }`), comment (`#`), anchor
        // (`&`), alias (`*`), tag (`!`), block scalar (`| >`), quoted scalar (`' "`) and directive
        // (`%`). The spec reserves `@` and the backtick.
        if isIndicator[Int(first)] { return false }

        // `: ` ends a key and ` #` starts a comment anywhere in the line; a final `:` also ends a key.
        if hasKeyOrCommentPair || last == UInt8(ascii: ":") {
            return false
        }

        // `---` and `...` at the start of a line mark documents; a key at column 0 could be one.
        if bytes.count >= 3, bytes[0] == bytes[1], bytes[1] == bytes[2],
           bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: ".") {
            return false
        }

        // YAML 1.1 gives `=` (the value key) and `<<` (the merge key) their own meaning.
        let isEquals = bytes.count == 1 && bytes[0] == UInt8(ascii: "=")
        let isMerge = bytes.count == 2 && bytes[0] == UInt8(ascii: "<") && bytes[1] == UInt8(ascii: "<")
        if isEquals || isMerge { return false }

        return !isReservedWord(bytes) && !isNumberLike(bytes) && !isDateLike(bytes)
    }

    /// For each byte value, whether it is one of the indicator characters listed in `isPlainSafe`.
    private static let isIndicator: [Bool] = (0..<256).map { value in
        "-?:,[]{}#&*!|>'\"%@`".utf8.contains(UInt8(value))
    }

    /// Booleans and nulls of YAML 1.1 and 1.2 in any letter case: YAML 1.1 reads
    /// `y n yes no on off true false` as booleans and `null ~` as null. Matching any case is wider
    /// than either spec (which lists `yes Yes YES` and so on) and costs nothing.
    private static func isReservedWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The longest word has 5 letters. Only ASCII letters lower-case to these words (the Kelvin
        // sign lower-cases to `k`, which none contains), so longer or non-ASCII text never matches.
        guard let word = packedASCIILowercased(bytes[...]) else { return false }
        return reservedWords.contains(word)
    }

    /// The words of `isReservedWord`, each packed as `packed` does. A linear search of ten integers
    /// needs no hashing, so they are kept in an array rather than a `Set`.
    private static let reservedWords: [UInt64] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"].map(packed)

    /// Returns the bytes, with `A`...`Z` lower-cased, packed into an integer one byte after the
    /// other, or `nil` for text longer than 7 bytes or not ASCII. Short words then compare as
    /// integers, without a `String`. The packing keeps the length, because no byte is zero.
    private static func packedASCIILowercased(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var word: UInt64 = 0
        for byte in bytes {
            guard byte > 0, byte < 0x80 else { return nil }
            let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
            word = word << 8 | UInt64(lowered)
        }
        return word
    }

    private static let infinityWord = packed(".inf")
    private static let notANumberWord = packed(".nan")

    /// Packs a lower-case ASCII word of up to 7 bytes as `packedASCIILowercased` does.
    private static func packed(_ word: String) -> UInt64 {
        word.utf8.reduce(0) { packed, byte in packed << 8 | UInt64(byte) }
    }

    /// Integers and floats in any notation of either version: decimal, `0x`, `0o`, `0b`, YAML 1.1 octal
    /// `0755`, `1_000`, `+12`, `.5`, `1.`, `1e3`, base-60 `12:30`, `.inf`, `-.inf`, `.nan`.
    ///
    /// The test is wider than the resolvers' patterns on purpose. After an optional sign, text that
    /// starts with a digit, `.` or `_` and contains only digits, hexadecimal letters and `x o b _ . : + -`
    /// is quoted, so `1.2.3` and `12abc` are quoted too. The leading `_` matters because ruamel.yaml
    /// 0.19 reads `+_1` as 1 and `._5` as 0.5, and fails on `._` and `+_`.
    private static func isNumberLike(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var rest = bytes[...]
        if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }

        // Only ASCII letters lower-case to the letters of `.inf` and `.nan`.
        if rest.count == 4, let word = packedASCIILowercased(rest), word == infinityWord || word == notANumberWord {
            return true
        }

        guard let first = rest.first, isDigit(first) || first == UInt8(ascii: ".") || first == UInt8(ascii: "_") else {
            return false
        }
        return rest.allSatisfy { isNumberByte[Int($0)] }
    }

    /// For each byte value, whether it is one of the bytes `isNumberLike` accepts after the first.
    private static let isNumberByte: [Bool] = (0..<256).map { value in
        "0123456789abcdefABCDEFxXoObB_.:+-".utf8.contains(UInt8(value))
    }

    /// YAML 1.1 timestamps (`2012-10-12`, `2018-09-11T18:31:20.158`, `2001-12-14 21:59:43.10 -5`): any
    /// text that starts with four digits, a dash and a digit is quoted.
    private static func isDateLike(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 6 else { return false }
        return bytes[0..<4].allSatisfy(isDigit) && bytes[4] == UInt8(ascii: "-") && isDigit(bytes[5])
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: - Block literals

    /// Whether a multi-line `text` reads back byte for byte from a block literal (`|`).
    ///
    /// The writer uses a literal only when every line is plain printable text. The text must contain
    /// no character that needs an escape, no tab, no carriage return (a reader turns `\r\n` into
    /// `\n`) and no line that ends in a space, and it must contain a character other than a line
    /// break. Everything else is double-quoted, which can spell out any string.
    static func isLiteralSafe(_ text: String) -> Bool {
        guard text.unicodeScalars.contains(where: { $0 != "\n" }) else { return false }
        for scalar in text.unicodeScalars where scalar != "\n" {
            if scalar == "\t" || needsEscape(scalar) { return false }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where line.last == " " {
            return false
        }
        return true
    }

    // MARK: - Double quotes

    /// Whether a scalar cannot appear raw in a YAML stream, or would change meaning there. These are
    /// the C0 controls, with tab and line feed because plain and quoted lines fold them, and DEL. Also
    /// the C1 controls U+0080...U+009F, of which U+0085 is a YAML 1.1 line break, and the YAML 1.1 line
    /// breaks U+2028 and U+2029. Last, the BOM U+FEFF and the non-characters U+FFFE and U+FFFF.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF:
            return true
        default:
            return false
        }
    }

    /// Writes `text` in double quotes. Escapes `"` and `\`, and every scalar that `needsEscape`, with
    /// the short forms YAML defines (`\n`, `\t`, `\N` for U+0085, `\L` for U+2028, `\P` for U+2029, ...)
    /// and `\xXX` or `\uXXXX` for the rest. Other text, non-ASCII included, is written raw.
    static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\0": output += "\\0"
            case "\u{07}": output += "\\a"
            case "\u{08}": output += "\\b"
            case "\t": output += "\\t"
            case "\n": output += "\\n"
            case "\u{0B}": output += "\\v"
            case "\u{0C}": output += "\\f"
            case "\r": output += "\\r"
            case "\u{1B}": output += "\\e"
            case "\u{85}": output += "\\N"
            case "\u{2028}": output += "\\L"
            case "\u{2029}": output += "\\P"
            default:
                if needsEscape(scalar) {
                    output += scalar.value < 0x100
                        ? "\\x" + hexDigits(scalar.value, width: 2)
                        : "\\u" + hexDigits(scalar.value, width: 4)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private static func hexDigits(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
