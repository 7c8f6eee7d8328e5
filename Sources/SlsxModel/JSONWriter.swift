/// Writes a `Node` as JSON (RFC 8259).
///
/// - `.indented`: two spaces per level, `"key": value`, empty collections as `[]` and `{}`, and a final
///   line break: the layout of `JSON.stringify(value, null, 2)`.
/// - `.compact`: no whitespace at all, as `JSON.stringify(value)` writes Lambda filter patterns; floats
///   with an integral value are written without `.0` (`5.0` → `5`).
///
/// Keys keep the node's order. Strings escape `"`, `\`, the control characters U+0000...U+001F and
/// U+007F...U+009F, and the separators U+2028 and U+2029, because some JavaScript readers take those
/// as line breaks. `/` and other text, non-ASCII included, is written raw. NaN and infinities have no JSON
/// form, so `write` throws `WriterError.nonFiniteNumber` instead of writing invalid JSON.
public struct JSONWriter: Sendable {
    public enum Style: Sendable, Equatable {
        case indented
        case compact
    }

    /// The deepest nesting of arrays and objects the writer accepts.
    public static let maximumDepth = 512

    public var style: Style

    public init(style: Style = .indented) {
        self.style = style
    }

    /// Returns the JSON text of `node`, or throws `WriterError` for a non-finite float or nesting
    /// deeper than `maximumDepth`.
    public func write(_ node: Node) throws(WriterError) -> String {
        var output = ""
        try writeValue(node, indent: 0, depth: 0, path: NodePath(), into: &output)
        if style == .indented { output += "\n" }
        return output
    }

    private func writeValue(
        _ node: Node, indent: Int, depth: Int, path: NodePath, into output: inout String
    ) throws(WriterError) {
        guard depth <= JSONWriter.maximumDepth else {
            throw .nestingTooDeep(limit: JSONWriter.maximumDepth, path: path.text)
        }
        switch node.kind {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .integer(let value):
            output += String(value)
        case .float(let value):
            guard value.isFinite else { throw .nonFiniteNumber(value, path: path.text) }
            output += floatText(value)
        case .string(let text):
            output += JSONWriter.quoted(text)
        case .sequence(let items):
            guard !items.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 2, into: &output)
                try writeValue(item, indent: indent + 2, depth: depth + 1, path: path.appending(index: index), into: &output)
            }
            newline(indent, into: &output)
            output += "]"
        case .mapping(let entries):
            guard !entries.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                newline(indent + 2, into: &output)
                output += JSONWriter.quoted(entry.key) + (style == .indented ? ": " : ":")
                try writeValue(
                    entry.value, indent: indent + 2, depth: depth + 1, path: path.appending(key: entry.key), into: &output)
            }
            newline(indent, into: &output)
            output += "}"
        }
    }

    private func newline(_ indent: Int, into output: inout String) {
        guard style == .indented else { return }
        output += "\n" + String(repeating: " ", count: indent)
    }

    /// Swift's shortest round-trip form (`0.1`, `1.0`, `1e+20`). In compact mode an integral value
    /// that fits in `Int64` is written as an integer, as JavaScript does.
    ///
    /// NOTE: JavaScript writes integral values up to 1e21 in full and small exponents as `1e-7`. This
    /// writer spells them `1e+20` and `1e-07`, which read back as the same numbers.
    private func floatText(_ value: Double) -> String {
        // The range check comes first because converting a Double outside Int64's range traps.
        if style == .compact, value > -9.2e18, value < 9.2e18, Double(Int64(value)) == value {
            return String(Int64(value))
        }
        return value.description
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                switch scalar.value {
                case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
                    let digits = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                default:
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
