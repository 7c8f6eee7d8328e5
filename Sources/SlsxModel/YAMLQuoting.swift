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
        if text.contains("\n") {
            return allowsLiteral && isLiteralSafe(text) ? .literal : .doubleQuoted
        }
        return isPlainSafe(text) ? .plain : .doubleQuoted
    }

    // MARK: - Plain scalars

    /// Whether `text` (one line) reads back as the same string when written without quotes.
    static func isPlainSafe(_ text: String) -> Bool {
        // Empty: a bare empty value reads as null.
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else {
            return false
        }

        // Leading or trailing spaces: a plain scalar drops them.
        if first == " " || last == " " { return false }

        // Any character that must be escaped (controls, tab, DEL, C1 controls, the Unicode line and
        // paragraph separators, BOM and non-characters) forces double quotes, which can escape it.
        if text.unicodeScalars.contains(where: needsEscape) { return false }

        // A leading indicator character starts some other YAML construct. These are a sequence entry
        // (`-`), complex key (`?`), value (`:`), flow collection (`, [ ] { }`), comment (`#`), anchor
        // (`&`), alias (`*`), tag (`!`), block scalar (`| >`), quoted scalar (`' "`) and directive
        // (`%`). The spec reserves `@` and the backtick.
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }

        // `: ` ends a key and ` #` starts a comment anywhere in the line; a final `:` also ends a key.
        if text.contains(": ") || text.contains(" #") || last == ":" { return false }

        // `---` and `...` at the start of a line mark documents; a key at column 0 could be one.
        if text.hasPrefix("---") || text.hasPrefix("...") { return false }

        // YAML 1.1 gives `=` (the value key) and `<<` (the merge key) their own meaning.
        if text == "=" || text == "<<" { return false }

        return !isReservedWord(text) && !isNumberLike(text) && !isDateLike(text)
    }

    /// Booleans and nulls of YAML 1.1 and 1.2 in any letter case: YAML 1.1 reads
    /// `y n yes no on off true false` as booleans and `null ~` as null. Matching any case is wider
    /// than either spec (which lists `yes Yes YES` and so on) and costs nothing.
    private static func isReservedWord(_ text: String) -> Bool {
        ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"].contains(text.lowercased())
    }

    /// Integers and floats in any notation of either version: decimal, `0x`, `0o`, `0b`, YAML 1.1 octal
    /// `0755`, `1_000`, `+12`, `.5`, `1.`, `1e3`, base-60 `12:30`, `.inf`, `-.inf`, `.nan`.
    ///
    /// The test is wider than the resolvers' patterns on purpose. After an optional sign, text that
    /// starts with a digit, `.` or `_` and contains only digits, hexadecimal letters and `x o b _ . : + -`
    /// is quoted, so `1.2.3` and `12abc` are quoted too. The leading `_` matters because ruamel.yaml
    /// 0.19 reads `+_1` as 1 and `._5` as 0.5, and fails on `._` and `+_`.
    private static func isNumberLike(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }

        let lowered = rest.lowercased()
        if lowered == ".inf" || lowered == ".nan" { return true }

        guard let first = rest.first, (first.isASCII && first.isNumber) || first == "." || first == "_" else {
            return false
        }
        let numberCharacters = Set("0123456789abcdefABCDEFxXoObB_.:+-")
        return rest.allSatisfy { numberCharacters.contains($0) }
    }

    /// YAML 1.1 timestamps (`2012-10-12`, `2018-09-11T18:31:20.158`, `2001-12-14 21:59:43.10 -5`): any
    /// text that starts with four digits, a dash and a digit is quoted.
    private static func isDateLike(_ text: String) -> Bool {
        let characters = Array(text.prefix(6))
        guard characters.count == 6 else { return false }
        let digitsFirst = characters[0..<4].allSatisfy { $0.isASCII && $0.isNumber }
        return digitsFirst && characters[4] == "-" && characters[5].isASCII && characters[5].isNumber
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
