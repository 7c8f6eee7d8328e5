import SlsxSource

extension ServiceDecoding {
    /// Decodes `functions`: a map from function name to its settings, in the order written.
    mutating func decodeFunctions(_ node: Node, keySpan: SourceSpan?) -> [Function] {
        switch node.kind {
        case .null:
            return []
        case .mapping(let entries):
            guard entries.count >= ServiceDecoder.minimumParallelFunctionCount else {
                return decodeFunctions(entries, in: entries.indices, reservingCapacity: entries.count)
            }
            // Decoding a function reads nothing that another function's decoding wrote, and only
            // appends to the diagnostics and variables. So the second half decodes on a second
            // thread into its own `ServiceDecoding`, and its findings follow the first half's, in
            // the order one thread would have reported them.
            let half = entries.count / 2
            let mayContainVariables = mayContainVariables
            var functions: [Function]
            let second: (functions: [Function], decoding: ServiceDecoding)
            (functions, second) = ForkJoin.run(
                { decodeFunctions(entries, in: 0..<half, reservingCapacity: entries.count) },
                {
                    var decoding = ServiceDecoding()
                    decoding.mayContainVariables = mayContainVariables
                    let functions = decoding.decodeFunctions(entries, in: half..<entries.count, reservingCapacity: 0)
                    return (functions, decoding)
                })
            functions.append(contentsOf: second.functions)
            append(second.decoding)
            return functions
        default:
            error("`functions` must be a map from function names to their settings, but found \(describe(node))",
                  at: node.span ?? keySpan, hint: "write each function as `<name>:` with `handler:` under it")
            return []
        }
    }

    /// Decodes the functions of `entries` in `range`, in order.
    private mutating func decodeFunctions(
        _ entries: [Node.Entry], in range: Range<Int>, reservingCapacity capacity: Int
    ) -> [Function] {
        // `compactMap` grows its result by doubling, and the functions stay alive until the
        // output is written, so the array is reserved at its final size instead.
        var functions: [Function] = []
        functions.reserveCapacity(Swift.max(capacity, range.count))
        for index in range {
            currentFunction = entries[index].key
            defer { currentFunction = nil }
            if let function = decodeFunction(entries[index]) { functions.append(function) }
        }
        return functions
    }

    private mutating func decodeFunction(_ entry: Node.Entry) -> Function? {
        let name = entry.key
        let span = entry.keySpan ?? entry.value.span
        if acceptsVariable(entry.value, for: "functions.\(name)", fallback: span) { return nil }
        guard case .mapping(let entries) = entry.value.kind else {
            error("function `\(name)` must be a map of settings, but found \(describe(entry.value))",
                  at: entry.value.span ?? span, hint: "write `handler:` and the other settings under `\(name):`")
            return nil
        }
        // Nearly every function has only known keys. The table finds them by comparing bytes,
        // where `rejectUnknownKeys` compares each key with the 40 names as strings.
        if entries.indices.contains(where: { ServiceDecoding.functionKeys.position(of: entries[$0].key) == nil }) {
            rejectUnknownKeys(entries, known: KnownKeys.function, in: "function `\(name)`", parent: span)
        }

        // The framework's function name pattern is `^[a-zA-Z0-9-_]+$` (lib/config-schema.js).
        if !ServiceDecoding.matchesNamePattern(name, allowing: "-_"), !ServiceDecoding.containsVariable(name) {
            error("function name `\(name)` must contain only letters, digits, `-` and `_`", at: span,
                  hint: "rename the function; the framework derives resource names from it")
        }

        var function = Function(name: Located(name, at: entry.keySpan), span: span)
        decodeSettings(entries, ofFunction: name, into: &function)

        if !entries.contains(key: "handler"), !entries.contains(key: "image") {
            error("function `\(name)` has no `handler`", at: span,
                  hint: "add `handler: <file>.<export>`, such as `src/orders.handle`")
        }
        if entries.contains(key: "iamRoleStatements"), entries.first(key: "iam")?.value["role"]?["statements"] != nil {
            error("function `\(name)` sets both `iamRoleStatements` and `iam.role.statements`", at: span,
                  hint: "move the statements to `iam.role.statements`")
        }
        // `consume` moves the function out. Returning it copied every field with its retains and
        // then released the original, which cost 0.5 M of the decoder's 31.3 M instructions for
        // the benchmark at n=1000 (callgrind).
        return consume function
    }

    /// Decodes the settings of the function `name` that the model keeps, in the order written, and
    /// checks the settings that the CloudFormation compiler reads from the document.
    ///
    /// They are assigned here, through `inout`, and not in `decodeFunction`, because the compiler
    /// (Swift 6.3) rejects the `consume function` there once a field that contains a string or an
    /// array is assigned directly.
    private mutating func decodeSettings(_ entries: [Node.Entry], ofFunction name: String, into function: inout Function) {
        for setting in entries {
            let value = setting.value
            // A `switch` on strings compares the key with each case in order. Nearly every function
            // has `handler` and `events`, so they come first.
            switch setting.key {
            case "handler":
                function.handler = string(value, named: "handler", fallback: setting.keySpan)
                checkHandler(function.handler)
            case "events":
                function.events = decodeEvents(value, keySpan: setting.keySpan, function: name)
            case "name":
                checkDeployedName(setting)
            case "description":
                checkDescription(setting)
            case "architecture":
                checkArchitecture(setting, named: "architecture")
            case "logRetentionInDays":
                checkLogRetention(setting, named: "logRetentionInDays")
            case "environment":
                checkEnvironment(setting, named: "environment")
            case "tags":
                checkTags(setting, named: "tags")
            case "reservedConcurrency":
                // The framework's schema also accepts an intrinsic function here, but the
                // CloudFormation compiler writes only an integer, so anything else is an error.
                _ = integer(value, named: "reservedConcurrency", allowed: .atLeast(0), fallback: setting.keySpan)
            case "runtime":
                if acceptsVariable(value, for: "runtime", fallback: setting.keySpan) { continue }
                function.runtime = string(value, named: "runtime", fallback: setting.keySpan)
                checkRuntime(function.runtime, named: "runtime")
            case "memorySize", "timeout":
                checkFunctionSetting(setting, named: setting.key)
            case "role":
                function.role = decodeRole(value, named: "role", fallback: setting.keySpan)
            case "provisionedConcurrency":
                function.provisionedConcurrency = integer(
                    value, named: "provisionedConcurrency", allowed: .atLeast(0), fallback: setting.keySpan)
            case "iamRoleStatements":
                function.iamStatements += decodeStatements(value, named: "iamRoleStatements", fallback: setting.keySpan)
            case "iam":
                function.iamStatements += decodeFunctionIAM(value, keySpan: setting.keySpan, function: name)
            default:
                continue
            }
        }
    }

    /// Decodes a function's `iam.role.statements`.
    private mutating func decodeFunctionIAM(_ node: Node, keySpan: SourceSpan?, function: String) -> [Node] {
        let span = node.span ?? keySpan
        guard case .mapping(let entries) = node.kind else {
            error("`iam` of function `\(function)` must be a map, but found \(describe(node))", at: span,
                  hint: "write `iam:` with `role:` and `statements:` under it")
            return []
        }
        rejectUnknownKeys(entries, known: KnownKeys.functionIAM, in: "`iam` of function `\(function)`", parent: span)
        guard let role = entries.first(key: "role") else { return [] }
        guard case .mapping(let roleEntries) = role.value.kind else {
            error("`iam.role` of function `\(function)` must be a map with `statements`, but found \(describe(role.value))",
                  at: role.value.span ?? role.keySpan, hint: "to run the function with an existing role, use `role:` instead")
            return []
        }
        rejectUnknownKeys(
            roleEntries, known: KnownKeys.functionIAMRole, in: "`iam.role` of function `\(function)`",
            parent: role.value.span ?? role.keySpan)
        guard let statements = roleEntries.first(key: "statements") else { return [] }
        return decodeStatements(statements.value, named: "iam.role.statements", fallback: statements.keySpan)
    }

    // MARK: - Events

    private mutating func decodeEvents(_ node: Node, keySpan: SourceSpan?, function: String) -> [Event] {
        if acceptsVariable(node, for: "events", fallback: keySpan) { return [] }
        guard case .sequence(let items) = node.kind else {
            if node.kind != .null {
                error("`events` of function `\(function)` must be a list, but found \(describe(node))",
                      at: node.span ?? keySpan, hint: "write each event as a list item, such as `- stream: <arn>`")
            }
            return []
        }
        // A `StreamEvent` takes several hundred bytes inline, so the array is reserved at its final
        // size rather than grown by `compactMap`, and each event is appended where it is decoded
        // rather than returned through every level.
        var events: [Event] = []
        events.reserveCapacity(items.count)
        for item in items {
            decodeEvent(item, function: function, fallback: node.span ?? keySpan, into: &events)
        }
        return events
    }

    /// Decodes one list item of `events` (a map with exactly one key, the event kind) and appends
    /// the event to `events`, unless an error leaves no event.
    private mutating func decodeEvent(_ node: Node, function: String, fallback: SourceSpan?, into events: inout [Event]) {
        let span = node.span ?? fallback
        if acceptsVariable(node, for: "events", fallback: fallback) { return }
        guard case .mapping(let entries) = node.kind, !entries.isEmpty else {
            error("each event of function `\(function)` must be a map with one key, such as `stream:`, "
                  + "but found \(describe(node))", at: span, hint: "write the event as `- stream: <arn>`")
            return
        }

        if entries.count > 1 {
            let keys = entries.map { "`\($0.key)`" }.joined(separator: ", ")
            let misindented = entries.contains { $0.key == "stream" && $0.value.kind == .null }
            error("an event of function `\(function)` has \(entries.count) keys (\(keys)), but an event has exactly one",
                  at: entries[1].keySpan ?? span,
                  hint: misindented
                      ? "indent the stream settings under `stream:`"
                      : "start each event with its own `- ` list item")
        }

        // The value and key span are passed from the array, where `first(key:)` copied the
        // whole entry, key included, and destroyed the copy after decoding.
        if let stream = entries.firstIndex(key: "stream") {
            decodeStreamEvent(entries[stream].value, keySpan: entries[stream].keySpan, function: function, into: &events)
        } else if entries.count == 1 {
            events.append(.other(entries[0]))
        }
    }
}
