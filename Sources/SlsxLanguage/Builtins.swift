import SlsxSource

/// The table of built-in functions: one entry per name, with its parameters and implementation.
/// The CloudFormation intrinsics (`Ref`, `GetAtt`, ...) are part of the same table.
enum Builtins {
    static let table: [Builtin] = core + Intrinsics.functions

    static let byName: [String: Builtin] = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    private typealias P = Builtin.Parameter

    private static let core: [Builtin] = [
        Builtin("len", [.required("value")], "the number of items in a list or map, or of characters in a string", length),
        Builtin("length", [.required("value")], "the same as len", length),
        Builtin("range", [.required("start"), .optional("end", .null), .optional("step", .int(1))],
                "a list of ints: range(n) is 0..<n, range(a, b) is a..<b, with an optional step") { call in
            var start = try call.int(0)
            var end: Int64
            if case .null = call.value(1).kind {
                end = start
                start = 0
            } else {
                end = try call.int(1)
            }
            let step = try call.int(2)
            guard step != 0 else {
                throw call.failure("the step of range must not be 0", at: 2, hint: "use a positive step to count up or a negative one to count down")
            }
            var items: [Value] = []
            var current = start
            while step > 0 ? current < end : current > end {
                items.append(Value(.int(current), span: call.span))
                try call.interpreter.checkCount(items.count, call.span)
                let (next, overflow) = current.addingReportingOverflow(step)
                if overflow { break }
                current = next
            }
            return call.result(.list(items))
        },
        Builtin("keys", [.required("map")], "the keys of a map, in order") { call in
            let map = try call.map(0)
            try call.chargeWalk(map.count)
            return call.result(.list(map.entries.map { Value(.string($0.key), span: $0.keySpan ?? call.span) }))
        },
        Builtin("values", [.required("map")], "the values of a map, in order") { call in
            let map = try call.map(0)
            try call.chargeWalk(map.count)
            return call.result(.list(map.entries.map(\.value)))
        },
        Builtin("upper", [.required("text")], "the text in upper case") { call in
            try call.caseMapped { $0.uppercased() }
        },
        Builtin("lower", [.required("text")], "the text in lower case") { call in
            try call.caseMapped { $0.lowercased() }
        },
        Builtin("replace", [.required("text"), .required("old"), .required("new")], "the text with every occurrence of old replaced by new") { call in
            let text = Array(try call.string(0).utf8)
            let old = try call.string(1)
            let new = try call.string(2)
            guard !old.isEmpty else {
                throw call.failure("the text to replace must not be empty", at: 1, hint: "give the text to find, such as replace(s, \"-\", \"_\")")
            }
            try call.chargeWalk(text.count)
            // The result's size is computed from the number of matches before it is built, so a
            // result over the string limit fails without allocating it.
            let pattern = TextSearch.Pattern(old)
            let matches = pattern.countMatches(in: text)
            let removed = matches * pattern.bytes.count
            let size = Value.sum(text.count - removed, Interpreter.product(matches, new.utf8.count))
            try call.interpreter.checkStringBytes(size, call.span)
            try call.chargeWalk(size)
            return call.result(.string(pattern.replace(in: text, with: new, capacity: size)))
        },
        Builtin("split", [.required("text"), .required("separator")], "the parts of the text between separators") { call in
            let separator = try call.string(1)
            guard !separator.isEmpty else {
                throw call.failure("the separator must not be empty", at: 1, hint: "give the text between the parts, such as split(s, \",\")")
            }
            // At most `listItems` splits, so a 16 MiB string of separators cannot build 16 million
            // parts before the item limit is checked.
            let limit = call.interpreter.limits.listItems
            let text = Array(try call.string(0).utf8)
            try call.chargeWalk(text.count)
            let pattern = TextSearch.Pattern(separator)
            guard pattern.countMatches(in: text, limit: limit) < limit else {
                throw call.failure("list or map longer than \(limit) items", hint: "the item limit stops runaway loops; split a shorter text")
            }
            return call.result(.list(pattern.split(text).map { Value(.string($0), span: call.span) }))
        },
        Builtin("join", [.required("list"), .optional("separator", .string(""))], "the strings of a list joined with a separator") { call in
            let items = try call.list(0)
            let separator = try call.string(1)
            var parts: [String] = []
            var size = 0
            for item in items {
                guard case .string(let text) = item.kind else {
                    throw call.failure("join takes a list of strings, but it contains \(item.typeNameWithArticle)", at: 0, hint: "convert the items first: [str(x) for x in xs]")
                }
                parts.append(text)
                size = Value.sum(size, text.utf8.count)
            }
            // The separators and parts are measured before joining, so a result over the string
            // limit fails without allocating it.
            size = Value.sum(size, Interpreter.product(Swift.max(parts.count - 1, 0), separator.utf8.count))
            try call.interpreter.checkStringBytes(size, call.span)
            try call.chargeWalk(Value.sum(size, parts.count))
            return call.result(.string(parts.joined(separator: separator)))
        },
        Builtin("contains", [.required("collection"), .required("item")],
                "whether a string contains a substring, a list contains an item, or a map contains a key") { call in
            let item = call.value(1)
            switch (call.value(0).kind, item.kind) {
            case (.string(let text), .string(let part)):
                let bytes = Array(text.utf8)
                try call.chargeWalk(bytes.count)
                return call.result(.bool(TextSearch.Pattern(part).firstMatch(in: bytes, from: 0) != nil))
            case (.string, _):
                throw call.typeError(1, "a string when 'collection' is a string")
            case (.list(let items), _):
                let cost = Value.sum(Interpreter.walkCost(call.value(0).size), Interpreter.compareCost(items.count))
                try call.interpreter.tick(call.span, cost: cost)
                return call.result(.bool(items.contains { $0.isEqual(to: item) }))
            case (.map(let map), .string(let key)):
                try call.chargeWalk(key.utf8.count)
                return call.result(.bool(map[key] != nil))
            case (.map, _):
                throw call.typeError(1, "a string (a key) when 'collection' is a map")
            default:
                throw call.typeError(0, "a string, a list or a map")
            }
        },
        Builtin("startsWith", [.required("text"), .required("prefix")], "whether the text starts with the prefix") { call in
            let text = try call.string(0)
            let prefix = try call.string(1)
            try call.chargeWalk(prefix.utf8.count)
            return call.result(.bool(text.utf8.starts(with: prefix.utf8)))
        },
        Builtin("endsWith", [.required("text"), .required("suffix")], "whether the text ends with the suffix") { call in
            let text = try call.string(0)
            let suffix = try call.string(1)
            try call.chargeWalk(suffix.utf8.count)
            return call.result(.bool(TextSearch.hasSuffix(text, suffix)))
        },
        Builtin("trim", [.required("text")], "the text without spaces, tabs and line breaks at either end") { call in
            let text = try call.string(0)
            try call.chargeWalk(text.utf8.count)
            return call.result(.string(TextSearch.trim(text)))
        },
        Builtin("format", [.required("template"), .variadic("values")],
                "the template with each {} replaced by the next value, as str() shows it; {{ and }} are literal braces") { call in
            let template = try call.string(0)
            let values = try call.list(1)
            try call.chargeWalk(Value.sum(template.utf8.count, call.value(1).size))
            var output = ""
            var next = 0
            var characters = template.makeIterator()
            var pending = characters.next()
            while let character = pending {
                pending = characters.next()
                if character == "{", pending == "{" {
                    output.append("{")
                    pending = characters.next()
                } else if character == "}", pending == "}" {
                    output.append("}")
                    pending = characters.next()
                } else if character == "{", pending == "}" {
                    guard next < values.count else {
                        throw call.failure(
                            "the template has more {} placeholders than the \(values.count) values given", at: 0,
                            hint: "give one value for each {}, or write {{ and }} for literal braces")
                    }
                    output += try call.text(of: values[next])
                    try call.interpreter.checkString(output, call.span)
                    next += 1
                    pending = characters.next()
                } else {
                    output.append(character)
                }
            }
            guard next == values.count else {
                throw call.failure(
                    "format got \(values.count) values but the template has \(next) {} placeholders", at: 0,
                    hint: "give one value for each {}, or add a {} for each extra value")
            }
            try call.interpreter.checkString(output, call.span)
            return call.result(.string(output))
        },
        Builtin("str", [.required("value")], "the value as text: a string as it is, anything else in slsx syntax") { call in
            call.result(.string(try call.text(of: call.value(0))))
        },
        Builtin("int", [.required("value")], "an int from a string of digits, a float with no fraction, or an int") { call in
            switch call.value(0).kind {
            case .int: return call.value(0)
            case .string(let text):
                // Int64(_:) accepts one optional sign, so "+-5" and "-+5" are rejected.
                guard let number = Int64(text) else {
                    throw call.failure("\(ValueFormatter.quoted(text)) is not an integer", at: 0, hint: "an integer is digits with an optional '+' or '-' in front, within 64 bits")
                }
                return call.result(.int(number))
            case .float(let number):
                guard let exact = Int64(exactly: number) else {
                    throw call.failure("\(ValueFormatter.formatFloat(number)) has no exact int value", at: 0, hint: "round it first, for example with a string format")
                }
                return call.result(.int(exact))
            case .bool(let flag):
                return call.result(.int(flag ? 1 : 0))
            default:
                throw call.typeError(0, "a string, a float, an int or a bool")
            }
        },
        Builtin("float", [.required("value")], "a float from an int or a numeric string") { call in
            switch call.value(0).kind {
            case .float: return call.value(0)
            case .int(let number): return call.result(.float(Double(number)))
            case .string(let text):
                // Double(_:) also reads hexadecimal floats ("0x1p3"), "inf" and "nan"; a script's
                // numbers are decimal only, as in JSON.
                let decimal = !text.isEmpty && text.utf8.allSatisfy { byte in
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "+-.eE".utf8.contains(byte)
                }
                guard decimal, let number = Double(text), number.isFinite else {
                    throw call.failure(
                        "\(ValueFormatter.quoted(text)) is not a number", at: 0,
                        hint: "a number is decimal digits with an optional sign, point and exponent, such as 2.5 or -1e3, within a 64-bit float")
                }
                return call.result(.float(number))
            default:
                throw call.typeError(0, "an int, a float or a string")
            }
        },
        Builtin("type", [.required("value")], "the type name: null, bool, int, float, string, list, map or function") { call in
            call.result(.string(call.value(0).typeName))
        },
        Builtin("print", [.variadic("values")], "writes the values, separated by spaces, as one line (the REPL shows it, emit and check write it to standard error); returns null") { call in
            let values = try call.list(0)
            var parts: [String] = []
            var size = 0
            for value in values {
                let text = try call.text(of: value)
                parts.append(text)
                // The line so far, with a space after each part, is checked after every part so
                // that many large arguments are not all formatted first.
                size = Value.sum(size, Value.sum(text.utf8.count, 1))
                try call.interpreter.checkStringBytes(size - 1, call.span)
            }
            let line = parts.joined(separator: " ")
            try call.interpreter.recordPrinted(line, call.span)
            call.interpreter.forwardPrinted(line)
            return call.result(.null)
        },
        Builtin("option", [.required("name"), .optional("default", .null)],
                "the value given with --set name=value, converted to the default's type, or the default") { call in
            try option(call)
        },
        Builtin("env", [.required("name"), .optional("default", .null)],
                "an allowed environment variable (see --allow-env), or the default when it is not set") { call in
            let name = try call.string(0)
            if let value = call.interpreter.options.environment[name] {
                return call.result(.string(value))
            }
            if call.given[1] {
                return call.value(1)
            }
            throw call.failure(
                "environment variable '\(name)' is not available", at: 0,
                hint: "allow it with --allow-env \(name) and set it, or give a default: env(\"\(name)\", \"value\")")
        },
        Builtin("merge", [.variadic("maps")], "one map with the entries of all maps; later maps win, nested maps are merged too") { call in
            var result = OrderedMap()
            for (position, item) in try call.list(0).enumerated() {
                guard case .map(let map) = item.kind else {
                    throw call.failure("argument \(position + 1) of merge must be a map, but it is \(item.typeName)", at: 0)
                }
                try call.chargeWalk(Value.sum(item.size, result.count))
                result = try deepMerge(result, map) { count in try call.interpreter.checkCount(count, call.span) }
            }
            return call.result(.map(result))
        },
        Builtin("map", [.required("list"), .required("transform")], "a list with transform(item) for each item") { call in
            let function = try call.function(1)
            var output: [Value] = []
            for item in try call.list(0) {
                output.append(try call.call(function, [item]))
            }
            return call.result(.list(output))
        },
        Builtin("filter", [.required("list"), .required("predicate")], "the items for which predicate(item) is true") { call in
            let function = try call.function(1)
            var output: [Value] = []
            for item in try call.list(0) {
                let keep = try call.call(function, [item])
                guard case .bool(let flag) = keep.kind else {
                    throw call.failure("the predicate of filter must return a bool, but it returned \(keep.typeName)", at: 1)
                }
                if flag { output.append(item) }
            }
            return call.result(.list(output))
        },
        Builtin("reduce", [.required("list"), .required("initial"), .required("combine")],
                "folds the list from the left: combine(combine(initial, first), second) ...") { call in
            let function = try call.function(2)
            var accumulator = call.value(1)
            for item in try call.list(0) {
                accumulator = try call.call(function, [accumulator, item])
            }
            return accumulator
        },
        Builtin("sorted", [.required("list"), .optional("key", .null)],
                "the list sorted ascending (numbers or strings), by key(item) when a key function is given") { call in
            let items = try call.list(0)
            // A comparison sort makes about n·log2(n) comparisons, each walking at most both keys.
            let comparisons = Interpreter.product(items.count, Swift.max(1, Int.bitWidth - items.count.leadingZeroBitCount))
            let averageSize = Swift.max(1, call.value(0).size / Swift.max(1, items.count))
            let cost = Value.sum(Interpreter.compareCost(comparisons), Interpreter.walkCost(Interpreter.product(comparisons, averageSize)))
            try call.interpreter.tick(call.span, cost: cost)
            var keyed: [(key: Value, item: Value)] = []
            for item in items {
                if case .null = call.value(1).kind {
                    keyed.append((item, item))
                } else {
                    keyed.append((try call.call(try call.function(1), [item]), item))
                }
            }
            var failure: Error?
            let sortedItems = keyed.enumerated().sorted { lhs, rhs in
                guard failure == nil else { return false }
                do {
                    let order = try call.interpreter.compare(lhs.element.key, rhs.element.key, nil, span: call.span)
                    return order != 0 ? order < 0 : lhs.offset < rhs.offset
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            return call.result(.list(sortedItems.map(\.element.item)))
        },
        Builtin("reversed", [.required("list")], "the list in reverse order") { call in
            let items = try call.list(0)
            try call.chargeWalk(items.count)
            return call.result(.list(items.reversed()))
        },
        Builtin("enumerate", [.required("list")], "a list of [index, item] pairs") { call in
            let items = try call.list(0)
            try call.chargeWalk(items.count)
            return call.result(.list(items.enumerated().map { Value(.list([Value(.int(Int64($0.offset)), span: call.span), $0.element]), span: call.span) }))
        },
        Builtin("append", [.required("list"), .required("item")], "a new list with the item added at the end") { call in
            var items = try call.list(0)
            try call.chargeWalk(items.count)
            items.append(call.value(1))
            try call.interpreter.checkCount(items.count, call.span)
            return call.result(.list(items))
        },
        Builtin("get", [.required("map"), .required("key"), .optional("default", .null)], "the value at key, or the default when the key is missing") { call in
            let map = try call.map(0)
            let key = try call.string(1)
            // Hashing the key reads all of its bytes.
            try call.chargeWalk(key.utf8.count)
            return map[key] ?? call.value(2)
        },
        Builtin("abs", [.required("number")], "the absolute value of an int or a float") { call in
            switch call.value(0).kind {
            case .int(let number):
                guard number != Int64.min else {
                    throw call.failure("integer overflow: abs(\(number)) does not fit in 64 bits", at: 0, hint: "use a float: abs(float(x))")
                }
                return call.result(.int(Swift.abs(number)))
            case .float(let number):
                return call.result(.float(Swift.abs(number)))
            default:
                throw call.typeError(0, "an int or a float")
            }
        },
        Builtin("min", [.variadic("values")], "the smallest of the values, or of the items of one list") { call in
            try extreme(call, wantsSmallest: true)
        },
        Builtin("max", [.variadic("values")], "the largest of the values, or of the items of one list") { call in
            try extreme(call, wantsSmallest: false)
        },
        Builtin("sum", [.required("list")], "the sum of a list of numbers; 0 for an empty list") { call in
            var total = Value(.int(0), span: call.span)
            let items = try call.list(0)
            try call.chargeWalk(items.count)
            for item in items {
                total = try call.interpreter.binary(.add, total, item, span: call.span)
                if case .string = total.kind { throw call.failure("sum takes a list of numbers", at: 0) }
            }
            return total.at(call.span)
        },
        Builtin("error", [.required("message")], "stops evaluation with the message, located at the call") { call in
            throw EvaluationError(try call.string(0), at: call.span)
        },
    ]

    private static func length(_ call: inout BuiltinCall) throws -> Value {
        switch call.value(0).kind {
        case .string(let text):
            try call.chargeWalk(text.utf8.count)
            return call.result(.int(Int64(text.count)))
        case .list(let items): return call.result(.int(Int64(items.count)))
        case .map(let map): return call.result(.int(Int64(map.count)))
        default: throw call.typeError(0, "a string, a list or a map")
        }
    }

    private static func option(_ call: BuiltinCall) throws -> Value {
        let name = try call.string(0)
        call.interpreter.optionReads.record(name)
        let fallback = call.value(1)
        let hasDefault = call.given[1]
        guard let given = call.interpreter.options.options[name] else {
            if hasDefault {
                return fallback
            }
            throw call.failure(
                "option '\(name)' is not set and has no default", at: 0,
                hint: "pass --set \(name)=VALUE, or give a default: option(\"\(name)\", \"value\")")
        }
        switch fallback.kind {
        case .int:
            guard let number = Int64(given) else {
                throw call.failure(
                    "option '\(name)' must be an int like its default, but --set gave \(ValueFormatter.quoted(given))", at: 0,
                    hint: "pass a whole number, as in --set \(name)=25")
            }
            return call.result(.int(number))
        case .float:
            guard let number = Double(given), number.isFinite else {
                throw call.failure(
                    "option '\(name)' must be a number like its default, but --set gave \(ValueFormatter.quoted(given))", at: 0,
                    hint: "pass a number, as in --set \(name)=2.5")
            }
            return call.result(.float(number))
        case .bool:
            guard given == "true" || given == "false" else {
                throw call.failure(
                    "option '\(name)' must be true or false like its default, but --set gave \(ValueFormatter.quoted(given))", at: 0,
                    hint: "pass --set \(name)=true or --set \(name)=false")
            }
            return call.result(.bool(given == "true"))
        case .list:
            // `--set` gives text, and text has no list, map or function form. Returning the text
            // would hand the script a string where it expects its default's type.
            throw call.failure(
                "option '\(name)' has a list default, but --set gives only text, numbers and true or false", at: 1,
                hint: "read the option as a string and build the list from it, such as split(option(\"\(name)\", \"a,b\"), \",\")")
        case .map, .function:
            throw call.failure(
                "option '\(name)' has a \(fallback.typeName) default, but --set gives only text, numbers and true or false", at: 1,
                hint: "read each part as an option of its own, as in option(\"\(name)Size\", 10), and build the value from them")
        default:
            return call.result(.string(given))
        }
    }

    private static func extreme(_ call: BuiltinCall, wantsSmallest: Bool) throws -> Value {
        var values = try call.list(0)
        if values.count == 1, case .list(let items) = values[0].kind {
            values = items
        }
        // Each value is compared once, and a string comparison walks at most the whole string.
        var size = 0
        for value in values {
            size = Value.sum(size, value.size)
        }
        try call.interpreter.tick(call.span, cost: Value.sum(Interpreter.walkCost(size), Interpreter.compareCost(values.count)))
        guard var best = values.first else {
            throw call.failure("\(call.name) needs at least one value", hint: "pass values or a non-empty list")
        }
        for value in values.dropFirst() {
            let order = try call.interpreter.compare(value, best, nil, span: call.span)
            if wantsSmallest ? order < 0 : order > 0 {
                best = value
            }
        }
        return best
    }

    /// Merges `overlay` into `base`: nested maps are merged recursively, other values replaced.
    /// `checkCount` receives the entry count of every merged map, so the item limit applies to
    /// nested maps too.
    static func deepMerge(_ base: OrderedMap, _ overlay: OrderedMap, checkCount: (Int) throws -> Void) throws -> OrderedMap {
        var result = base
        for entry in overlay.entries {
            if case .map(let inner) = entry.value.kind, let existing = result[entry.key], case .map(let existingMap) = existing.kind {
                let merged = try deepMerge(existingMap, inner, checkCount: checkCount)
                result.set(entry.key, Value(.map(merged), span: entry.value.span), keySpan: entry.keySpan)
            } else {
                result.set(entry.key, entry.value, keySpan: entry.keySpan)
            }
        }
        try checkCount(result.count)
        return result
    }
}
