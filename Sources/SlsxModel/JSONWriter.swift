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
        // The text is built as UTF-8 bytes, which append without String's per-append checks.
        var output: [UInt8] = []
        var path = NodePath()
        try writeValue(node, indent: 0, depth: 0, path: &path, into: &output)
        if style == .indented { output.append(UInt8(ascii: "\n")) }
        return String(decoding: output, as: UTF8.self)
    }

    private func writeValue(
        _ node: Node, indent: Int, depth: Int, path: inout NodePath, into output: inout [UInt8]
    ) throws(WriterError) {
        guard depth <= JSONWriter.maximumDepth else {
            throw .nestingTooDeep(limit: JSONWriter.maximumDepth, path: path.text)
        }
        switch node.kind {
        case .null:
            output += "null".utf8
        case .bool(let value):
            output += (value ? "true" : "false").utf8
        case .integer(let value):
            output += String(value).utf8
        case .float(let value):
            guard value.isFinite else { throw .nonFiniteNumber(value, path: path.text) }
            output += floatText(value).utf8
        case .string(let text):
            JSONWriter.appendQuoted(text, to: &output)
        case .sequence(let items):
            guard !items.isEmpty else {
                output += "[]".utf8
                return
            }
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 2, into: &output)
                path.push(index: index)
                try writeValue(item, indent: indent + 2, depth: depth + 1, path: &path, into: &output)
                path.pop()
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "]"))
        case .mapping(let entries):
            guard !entries.isEmpty else {
                output += "{}".utf8
                return
            }
            output.append(UInt8(ascii: "{"))
            for (index, entry) in entries.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(indent + 2, into: &output)
                JSONWriter.appendQuoted(entry.key, to: &output)
                output += (style == .indented ? ": " : ":").utf8
                path.push(key: entry.key)
                try writeValue(entry.value, indent: indent + 2, depth: depth + 1, path: &path, into: &output)
                path.pop()
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ indent: Int, into output: inout [UInt8]) {
        guard style == .indented else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
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
        var output: [UInt8] = []
        appendQuoted(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, escaped as the type's documentation lists.
    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings are printable ASCII without `"` or `\`; their bytes are copied as they are.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            output += text.utf8
            output.append(UInt8(ascii: "\""))
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\"".utf8
            case "\\": output += "\\\\".utf8
            case "\n": output += "\\n".utf8
            case "\r": output += "\\r".utf8
            case "\t": output += "\\t".utf8
            case "\u{08}": output += "\\b".utf8
            case "\u{0C}": output += "\\f".utf8
            default:
                switch scalar.value {
                case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
                    let digits = String(scalar.value, radix: 16)
                    output += "\\u".utf8
                    output += String(repeating: "0", count: 4 - digits.count).utf8
                    output += digits.utf8
                default:
                    UTF8.encode(scalar) { output.append($0) }
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
