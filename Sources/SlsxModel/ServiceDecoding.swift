import SlsxSource

/// The state of one `ServiceDecoder.decode` run: the diagnostics found so far, and the helpers that
/// check one value each. The decoder keeps going after a problem, so one run reports every problem.
struct ServiceDecoding {
    private(set) var diagnostics: [Diagnostic] = []
    /// The Serverless variables that are the whole value of a typed setting, whose checks were skipped.
    private(set) var settingVariables: [ServerlessVariable] = []
    /// The function being decoded, if any, and the function of each diagnostic, for
    /// `mergingRepeatedDiagnostics()`.
    var currentFunction: String?
    private var functionOfDiagnostic: [String?] = []
    /// Whether a string or key of the document may contain `${`. It is `false` only when the
    /// caller of `ServiceDecoder.decode` stated that none does. Then no string is a Serverless
    /// variable, so the checks for one, which scan the bytes of every setting, are skipped.
    var mayContainVariables = true

    mutating func error(_ message: String, at span: SourceSpan?, hint: String? = nil) {
        diagnostics.append(.error(message, at: span, hint: hint))
        functionOfDiagnostic.append(currentFunction)
    }

    mutating func warning(_ message: String, at span: SourceSpan?, hint: String? = nil) {
        diagnostics.append(.warning(message, at: span, hint: hint))
        functionOfDiagnostic.append(currentFunction)
    }

    /// Appends the diagnostics and variables that `later` found after those found here, as if this
    /// decoding had gone on to decode what `later` decoded.
    mutating func append(_ later: ServiceDecoding) {
        diagnostics += later.diagnostics
        functionOfDiagnostic += later.functionOfDiagnostic
        settingVariables += later.settingVariables
    }

    /// Returns the diagnostics with each repeated one reported once. A value written once in a
    /// helper and used by many functions (a binding made in a loop, say) fails the same check at the
    /// same span for each of them. The first report stays, with a note that names the functions.
    /// A report that shares its span with other functions' reports gets a note naming its function.
    ///
    /// A message that names its function, such as ``unknown key `x` in stream event of function
    /// `worker-7` ``, is the same problem in every function that a loop declares, so it is reported
    /// once too, in the words of the first function, with a note that names the others.
    func mergingRepeatedDiagnostics() -> [Diagnostic] {
        var merged: [Diagnostic] = []
        var functions: [[String]] = []
        // For each merged report: whether the messages merged into it name their own functions.
        var namesItsFunction: [Bool] = []
        var indexOfKey: [String: Int] = [:]
        for (index, diagnostic) in diagnostics.enumerated() {
            let function = functionOfDiagnostic[index]
            if let (key, named) = Self.repetitionKey(of: diagnostic, function: function) {
                if let earlier = indexOfKey[key] {
                    if let function { functions[earlier].append(function) }
                    continue
                }
                indexOfKey[key] = merged.count
                namesItsFunction.append(named)
            } else {
                namesItsFunction.append(false)
            }
            merged.append(diagnostic)
            functions.append(function.map { [$0] } ?? [])
        }
        for index in merged.indices where functions[index].count > 1 {
            let reason = namesItsFunction[index] ? "have this problem here" : "use this value"
            merged[index].notes.append(.reportedOnce(for: functions[index], reason: reason))
        }

        // A loop's body makes different values at one span, such as `size * (i + 1)`, and each may
        // fail the check with its own message. The span is then the same for several functions,
        // so each report names its function.
        func spanKey(_ span: SourceSpan) -> String { "\(span.file.path):\(span.start):\(span.end)" }
        var functionsAtSpan: [String: Set<String>] = [:]
        for index in merged.indices {
            guard let span = merged[index].span, let function = functions[index].first else { continue }
            functionsAtSpan[spanKey(span), default: []].insert(function)
        }
        for index in merged.indices where functions[index].count == 1 {
            guard let span = merged[index].span, let names = functionsAtSpan[spanKey(span)], names.count > 1 else { continue }
            merged[index].notes.append(Diagnostic.Note("in function `\(functions[index][0])`"))
        }
        return merged
    }

    /// Returns the key under which `diagnostic`, found while decoding `function`, repeats an
    /// earlier one, and whether its message names `function`. A diagnostic without a span has no
    /// key. The key leaves out the function's quoted name, so that one mistake in a loop's body
    /// gives one key for all the functions the loop declares.
    private static func repetitionKey(of diagnostic: Diagnostic, function: String?) -> (String, Bool)? {
        guard let key = diagnostic.repetitionKey else { return nil }
        guard let function else { return (key, false) }
        let quoted = "`\(function)`"
        guard diagnostic.message.contains(quoted) else { return (key, false) }
        // The name is replaced by a NUL byte, so two reports at one span get one key exactly when
        // their messages differ only in the names of their own functions.
        return (key.replacing(quoted, with: "`\u{0}`"), true)
    }

    // MARK: - Keys

    /// Reports every key of `entries` that is not in `known`, at the key's span, with a "did you mean"
    /// hint for a near miss. `place` names the mapping in the message, such as `stream event of
    /// function \`worker\``.
    /// `place` is built only for a key that is reported.
    mutating func rejectUnknownKeys(
        _ entries: [Node.Entry], known: [String], in place: @autoclosure () -> String, parent: SourceSpan?
    ) {
        for entry in entries where !known.contains(where: { ServiceDecoding.keysMatch($0, entry.key) }) {
            let hint: String
            if let suggestion = known.closest(to: entry.key) {
                hint = "did you mean `\(suggestion)`?"
            } else {
                hint = "remove it, or use one of the allowed keys: " + known.map { "`\($0)`" }.joined(separator: ", ")
            }
            error("unknown key `\(entry.key)` in \(place())", at: entry.keySpan ?? entry.value.span ?? parent, hint: hint)
        }
    }

    // MARK: - Serverless variables

    /// Whether `node` is a string that is exactly one Serverless variable, such as
    /// `"${opt:stage, 'dev'}"`. Such a value is recorded as the value of the setting `name`, and the
    /// caller skips the setting's check, because the framework resolves the variable before it validates.
    /// `name` is built only for a variable.
    mutating func acceptsVariable(_ node: Node, for name: @autoclosure () -> String, fallback: SourceSpan?) -> Bool {
        guard mayContainVariables, case .string(let text) = node.kind, ServerlessVariable.isWholeVariable(text)
        else { return false }
        settingVariables.append(ServerlessVariable(text, at: node.span ?? fallback, setting: name()))
        return true
    }

    /// Whether `text` contains a Serverless variable, which makes a pattern check on it impossible.
    static func containsVariable(_ text: String) -> Bool {
        !ServerlessVariable.variables(in: text).isEmpty
    }

    /// Warns when a plain string ARN contains CloudFormation's `Fn::Sub` syntax, such as
    /// `${AWS::Region}`: only `Fn::Sub` substitutes it, so CloudFormation would receive the text as
    /// written and reject the ARN when the stack is deployed.
    mutating func checkSubstitutionSyntax(_ text: String, named name: String, at span: SourceSpan?) {
        guard let variable = ServerlessVariable.substitutionVariables(in: text).first else { return }
        warning("`\(name)` contains `${\(variable)}`, which only `Fn::Sub` substitutes, so CloudFormation would "
                + "receive it as literal text", at: span,
                hint: "write `Sub(\"\(text)\")` in the script, which emits `Fn::Sub`")
    }

    /// Collects every Serverless variable in `node` with the span of the string that contains it, in
    /// document order, and marks those that are the whole value of a typed setting.
    func collectVariables(in node: Node) -> [ServerlessVariable] {
        // Most documents have no variable, and a walk that only looks for one keeps no key path.
        guard Self.documentContainsVariable(node) else { return [] }
        var found: [ServerlessVariable] = []
        var path: [String] = []
        collectVariables(in: node, path: &path, depth: 0, into: &found)
        for index in found.indices {
            let variable = found[index]
            found[index].setting = settingVariables.first {
                $0.text == variable.text && $0.span == variable.span
            }?.setting
        }
        return found
    }

    /// The maximum nesting `collectVariables` follows, so that no document can exhaust the stack.
    static let maximumVariableDepth = 200

    /// Returns whether `document` contains a Serverless variable, as `containsVariable(in:depth:)`
    /// finds it. The second half of a long top-level `functions` map is scanned on a second
    /// thread, as `decodeFunctions` decodes it.
    private static func documentContainsVariable(_ document: Node) -> Bool {
        guard case .mapping(let entries) = document.kind else { return containsVariable(in: document, depth: 0) }
        for index in entries.indices {
            if containsVariable(entries[index].key) { return true }
            if entries[index].key == "functions", case .mapping(let functions) = entries[index].value.kind,
               functions.count >= ServiceDecoder.minimumParallelFunctionCount {
                let half = functions.count / 2
                let (first, second) = ForkJoin.run(
                    { containsVariable(inEntries: functions[..<half], depth: 1) },
                    { containsVariable(inEntries: functions[half...], depth: 1) })
                if first || second { return true }
            } else if containsVariable(in: entries[index].value, depth: 1) {
                return true
            }
        }
        return false
    }

    /// Returns whether a string or key in `node`, down to the nesting `collectVariables` follows,
    /// contains a Serverless variable.
    private static func containsVariable(in node: Node, depth: Int) -> Bool {
        guard depth < maximumVariableDepth else { return false }
        switch node.kind {
        case .string(let text):
            return containsVariable(text)
        case .sequence(let items):
            for index in items.indices where containsVariable(in: items[index], depth: depth + 1) {
                return true
            }
            return false
        case .mapping(let entries):
            return containsVariable(inEntries: entries[...], depth: depth)
        default:
            return false
        }
    }

    /// Returns whether a key or value of `entries`, the entries of a mapping at `depth`, contains a
    /// Serverless variable, as `containsVariable(in:depth:)` finds it.
    private static func containsVariable(inEntries entries: ArraySlice<Node.Entry>, depth: Int) -> Bool {
        for index in entries.indices {
            if containsVariable(entries[index].key) || containsVariable(in: entries[index].value, depth: depth + 1) {
                return true
            }
        }
        return false
    }

    /// `path` is the keys down to `node`. It grows and shrinks as the walk goes, so that only a
    /// variable that is found copies it.
    private func collectVariables(
        in node: Node, path: inout [String], depth: Int, into found: inout [ServerlessVariable]
    ) {
        guard depth < Self.maximumVariableDepth else { return }
        switch node.kind {
        case .string(let text):
            for variable in ServerlessVariable.variables(in: text) {
                found.append(ServerlessVariable(variable, at: node.span, path: path))
            }
        case .sequence(let items):
            // Indexing lends each element; `for item in items` would copy (retain) every one.
            for index in items.indices { collectVariables(in: items[index], path: &path, depth: depth + 1, into: &found) }
        case .mapping(let entries):
            for index in entries.indices {
                path.append(entries[index].key)
                // A key can contain a variable too, such as a function named `${opt:prefix}-worker`.
                for variable in ServerlessVariable.variables(in: entries[index].key) {
                    found.append(ServerlessVariable(variable, at: entries[index].keySpan, path: path))
                }
                collectVariables(in: entries[index].value, path: &path, depth: depth + 1, into: &found)
                path.removeLast()
            }
        default:
            break
        }
    }

    // MARK: - Scalars

    /// Returns the string value of `node`, or reports an error naming `name` when it is not a string.
    mutating func string(_ node: Node, named name: String, fallback: SourceSpan?) -> Located<String>? {
        guard case .string(let text) = node.kind else {
            error("`\(name)` must be a string, but found \(describe(node))", at: node.span ?? fallback,
                  hint: "give `\(name)` a text value")
            return nil
        }
        return Located(text, at: node.span ?? fallback)
    }

    /// Returns the boolean value of `node`, or reports an error naming `name` when it is not `true` or `false`.
    /// A string that is exactly one Serverless variable is accepted: the result is `nil` and no error
    /// is reported.
    mutating func bool(_ node: Node, named name: String, fallback: SourceSpan?) -> Located<Bool>? {
        if acceptsVariable(node, for: name, fallback: fallback) { return nil }
        guard case .bool(let value) = node.kind else {
            error(
                "`\(name)` must be true or false, but found \(describe(node))", at: node.span ?? fallback,
                hint: isQuotedBoolean(node) ? "remove the quotes" : "write `true` or `false`")
            return nil
        }
        return Located(value, at: node.span ?? fallback)
    }

    /// Returns the integer value of `node` when it is an `.integer` inside `allowed`, and otherwise
    /// reports an error that states the allowed values. A float such as `60.5` or a string such as `"60"` is a type error,
    /// never converted. A string that is exactly one Serverless variable is accepted: the result is
    /// `nil` and no error is reported.
    mutating func integer(
        _ node: Node, named name: String, allowed: IntegerRange, fallback: SourceSpan?
    ) -> Located<Int>? {
        let span = node.span ?? fallback
        if acceptsVariable(node, for: name, fallback: fallback) { return nil }
        guard case .integer(let value) = node.kind else {
            var hint = "write a whole number: \(allowed.description)"
            if case .string(let text) = node.kind, Int64(text) != nil {
                hint = "remove the quotes around \(text)"
            }
            error("`\(name)` must be an integer, but found \(describe(node))", at: span, hint: hint)
            return nil
        }
        guard allowed.contains(value), let result = Int(exactly: value) else {
            error("`\(name)` must be \(allowed.description), but is \(value)", at: span,
                  hint: "use a value that is \(allowed.description)")
            return nil
        }
        return Located(result, at: span)
    }

    /// Returns the kind of `node`, with its value for scalars, as messages quote it: `the float 60.5`,
    /// `the string "60"`, `a map`.
    func describe(_ node: Node) -> String {
        switch node.kind {
        case .null: return "null"
        case .bool(let value): return "the boolean \(value)"
        case .integer(let value): return "the integer \(value)"
        case .float(let value): return "the float \(value)"
        case .string(let text): return "the string \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .sequence(let items): return items.isEmpty ? "an empty list" : "a list"
        case .mapping(let entries): return entries.isEmpty ? "an empty map" : "a map"
        }
    }

    private func isQuotedBoolean(_ node: Node) -> Bool {
        guard case .string(let text) = node.kind else { return false }
        return text == "true" || text == "false"
    }

    // MARK: - ARNs and intrinsics

    /// Whether `node` is a CloudFormation intrinsic function: a map with one key, `Ref`, `Condition`
    /// or a key starting with `Fn::`.
    static func isIntrinsic(_ node: Node) -> Bool {
        guard case .mapping(let entries) = node.kind, entries.count == 1, let key = entries.first?.key else {
            return false
        }
        return key == "Ref" || key == "Condition" || key.hasPrefix("Fn::")
    }

    /// Whether `text` is not empty and contains only ASCII letters, digits and the characters in
    /// `allowing`.
    static func matchesNamePattern(_ text: String, allowing extra: String) -> Bool {
        // For ASCII text the bytes give the same result as the characters, much faster. The
        // callers allow only single ASCII characters such as `-` and `_`.
        if text.isASCII, extra.isASCII {
            return !text.isEmpty && text.withUTF8Bytes { bytes in
                bytes.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || extra.utf8.contains(byte)
                }
            }
        }
        return !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || extra.contains($0)) }
    }

    /// Returns the service field of `text` when it is an ARN that `arnService` accepts, all ASCII
    /// and without `${`, and `nil` for any other text.
    static func plainASCIIARNService(_ text: String) -> String? {
        guard let service = asciiARNService(text), !service.isEmpty else { return nil }
        return service
    }

    /// Returns the service field of an ARN (`arn:<partition>:<service>:...`), or `nil` for text that
    /// is not an ARN.
    static func arnService(_ text: String) -> String? {
        if let service = asciiARNService(text) {
            return service.isEmpty ? nil : service
        }
        let fields = ServerlessVariable.arnFields(text)
        guard fields.count >= 4, fields[0] == "arn", !fields[1].isEmpty, !fields[2].isEmpty else { return nil }
        return String(fields[2])
    }
}

extension ServiceDecoding {
    /// Returns the service field of an ARN that is all ASCII and has no `${`, read in one pass over
    /// its bytes. Returns an empty string when such text is not an ARN, and `nil` for any other
    /// text, which `arnService` then splits by characters. Splitting every ARN into substrings,
    /// several times per stream event, took a sixth of the decoder's instructions.
    private static func asciiARNService(_ text: String) -> String? {
        text.withUTF8Bytes { bytes -> String? in
            guard let colons = ARNColons.find(in: bytes) else { return nil }
            // As in `arnService`: at least four fields, the first `arn`, the next two not empty.
            guard colons.2 >= 0, colons.0 == 3, bytes[0] == UInt8(ascii: "a"), bytes[1] == UInt8(ascii: "r"),
                bytes[2] == UInt8(ascii: "n"), colons.1 > colons.0 + 1, colons.2 > colons.1 + 1
            else { return "" }
            let service = UnsafeBufferPointer(rebasing: bytes[(colons.1 + 1)..<colons.2])
            if let position = knownARNServiceNames.position(ofBytes: service) {
                return knownARNServices[position]
            }
            return String(decoding: service, as: UTF8.self)
        }
    }

    /// The services of the ARNs that stream events and failure destinations name. `asciiARNService`
    /// returns one of these strings when the bytes match it. Building the `String` from the bytes
    /// instead, with its UTF-8 validation, cost the decoder 0.5 M more of its 30.2 M instructions
    /// for the benchmark at n=1000 (callgrind).
    private static let knownARNServices = StreamType.allCases.map(\.rawValue) + DestinationType.allCases.map(\.rawValue)
    private static let knownARNServiceNames = ASCIINames(knownARNServices)
}

/// The integers a numeric setting accepts: a range, optionally with one extra value outside it
/// (`maximumRecordAgeInSeconds` takes -1 or 60...604800).
struct IntegerRange {
    var range: ClosedRange<Int64>
    var extra: Int64?

    init(_ range: ClosedRange<Int64>, or extra: Int64? = nil) {
        self.range = range
        self.extra = extra
    }

    /// A range without an upper bound, starting at `minimum`.
    static func atLeast(_ minimum: Int64) -> IntegerRange {
        IntegerRange(minimum...Int64.max)
    }

    func contains(_ value: Int64) -> Bool {
        range.contains(value) || value == extra
    }

    /// `from 1 to 10000`, `-1 or from 60 to 604800`, `at least 0`.
    var description: String {
        let bounds = range.upperBound == Int64.max
            ? "at least \(range.lowerBound)"
            : "from \(range.lowerBound) to \(range.upperBound)"
        return extra.map { "\($0) or \(bounds)" } ?? bounds
    }
}

extension Array where Element == Node.Entry {
    /// Returns the first entry whose key is `key`, or `nil`.
    func first(key: String) -> Node.Entry? {
        firstIndex(key: key).map { self[$0] }
    }

    /// Returns whether an entry has the key `key`.
    func contains(key: String) -> Bool {
        firstIndex(key: key) != nil
    }

    /// Returns the position of the first entry whose key is `key`. It reads the first byte of
    /// `key` once for all entries, and indexes the array so that no entry is copied.
    func firstIndex(key: String) -> Int? {
        let keyFirstByte = ServiceDecoding.firstByte(key)
        for index in indices where ServiceDecoding.keysMatch(self[index].key, key, rightFirstByte: keyFirstByte) {
            return index
        }
        return nil
    }
}

extension ServiceDecoding {
    /// Returns whether two keys are equal as `String ==` compares them (by canonical equivalence),
    /// with a shortcut for keys whose first bytes are different ASCII characters. The decoder compares
    /// every key of every stream event with about twenty setting names, and `==` on two long
    /// strings compares their text through the standard library's general path.
    ///
    /// The shortcut is exact: an ASCII scalar has no decomposition and a canonical ordering class
    /// of 0, so it stays the first scalar of the string's canonical decomposition, and two strings
    /// whose decompositions start with different scalars are not equivalent.
    static func keysMatch(_ left: String, _ right: String) -> Bool {
        keysMatch(left, right, rightFirstByte: firstByte(right))
    }

    /// Returns `keysMatch(left, right)`, given the first byte of `right` that the caller read.
    static func keysMatch(_ left: String, _ right: String, rightFirstByte: UInt8?) -> Bool {
        if let first = firstByte(left), let other = rightFirstByte, first < 0x80, other < 0x80, first != other {
            return false
        }
        return left == right
    }

    /// Returns the first UTF-8 byte of `text`, read from its contiguous storage, which costs a
    /// fraction of `text.utf8.first`.
    static func firstByte(_ text: String) -> UInt8? {
        text.utf8.withContiguousStorageIfAvailable { $0.first } ?? text.utf8.first
    }
}
