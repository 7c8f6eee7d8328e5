/// Renders values as slsx source text, for the REPL and for messages.
public enum ValueFormatter {
    /// Returns the value in slsx syntax: `"text"` quoted with escapes, `[1, 2]`,
    /// `{name: 1, "odd-key": 2}`, `<fn name(a, b)>`. Re-reading the result gives an equal value,
    /// except for functions.
    public static func format(_ value: Value) -> String {
        // A scalar is rendered as `write` renders it, without the work list that `write`
        // allocates, because interpolating an int is common.
        switch value.kind {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number): return formatFloat(number)
        case .string, .list, .map, .function: break
        }
        var output = ""
        write(value, into: &output)
        return output
    }

    /// Returns the text that interpolation and `str()` produce: a string as it is, anything else
    /// as `format` renders it.
    public static func text(of value: Value) -> String {
        if case .string(let text) = value.kind {
            return text
        }
        return format(value)
    }

    /// Returns the type name that `type()` and the REPL's `:type` show.
    public static func typeName(of value: Value) -> String {
        value.typeName
    }

    /// A piece of output still to write: a value, or literal text such as a closing bracket.
    private enum Pending {
        case value(Value)
        case text(String)
    }

    /// Writes `value` with an explicit work list instead of recursion, so a list nested 100000
    /// levels deep formats without exhausting the stack.
    private static func write(_ value: Value, into output: inout String) {
        var pending: [Pending] = [.value(value)]
        while let next = pending.popLast() {
            guard case .value(let current) = next else {
                if case .text(let text) = next { output += text }
                continue
            }
            switch current.kind {
            case .null:
                output += "null"
            case .bool(let flag):
                output += flag ? "true" : "false"
            case .int(let number):
                output += String(number)
            case .float(let number):
                output += formatFloat(number)
            case .string(let text):
                output += quoted(text)
            case .list(let items):
                output += "["
                pending.append(.text("]"))
                for (position, item) in items.enumerated().reversed() {
                    pending.append(.value(item))
                    if position > 0 { pending.append(.text(", ")) }
                }
            case .map(let map):
                output += "{"
                pending.append(.text("}"))
                for (position, entry) in map.entries.enumerated().reversed() {
                    pending.append(.value(entry.value))
                    pending.append(.text((isBareKey(entry.key) ? entry.key : quoted(entry.key)) + ": "))
                    if position > 0 { pending.append(.text(", ")) }
                }
            case .function(let function):
                output += "<fn \(function.name)(\(function.parameterNames.joined(separator: ", ")))>"
            }
        }
    }

    /// Formats a float with a fraction or an exponent, so it never reads back as an int.
    static func formatFloat(_ number: Double) -> String {
        let text = String(number)
        if text.contains(".") || text.contains("e") || text.contains("n") || text.contains("i") {
            return text
        }
        return text + ".0"
    }

    /// Returns `text` as a double-quoted slsx string literal.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private static func isBareKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, Lexer.isIdentifierStart(first) else { return false }
        return key.utf8.allSatisfy(Lexer.isIdentifierPart) && Keyword(rawValue: key) == nil
    }
}
