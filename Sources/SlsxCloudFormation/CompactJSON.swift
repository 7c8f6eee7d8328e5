import SlsxModel

/// Writes a node as compact JSON the way JavaScript's `JSON.stringify` does: no spaces, keys in
/// their order, `/` not escaped, whole floats without `.0`. Filter patterns need exactly this text,
/// because the framework writes each `Pattern` with `JSON.stringify`.
///
/// TODO: use the model's compact JSON writer once it is on main, so that one writer decides the
/// escaping rules.
enum CompactJSON {
    /// The maximum nesting the writer follows; deeper values are written as `null`.
    static let maximumDepth = 200

    static func string(of node: Node) -> String {
        var output = ""
        write(node, to: &output, depth: 0)
        return output
    }

    private static func write(_ node: Node, to output: inout String, depth: Int) {
        guard depth <= maximumDepth else {
            output += "null"
            return
        }
        switch node.kind {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .integer(let value):
            output += String(value)
        case .float(let value):
            output += number(value)
        case .string(let value):
            writeString(value, to: &output)
        case .sequence(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, to: &output, depth: depth + 1)
            }
            output += "]"
        case .mapping(let entries):
            output += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                writeString(entry.key, to: &output)
                output += ":"
                write(entry.value, to: &output, depth: depth + 1)
            }
            output += "}"
        }
    }

    /// A float as JavaScript prints it for the common cases: whole values without a fraction,
    /// `null` for NaN and infinities.
    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        // `Int64(_:)` truncates without calling libm, which this target does not link; the range
        // check keeps the conversion from trapping.
        if abs(value) < 1e15, Double(Int64(value)) == value {
            return String(Int64(value))
        }
        return String(value)
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
