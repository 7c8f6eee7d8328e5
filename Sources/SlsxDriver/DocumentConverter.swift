import SlsxLanguage
import SlsxModel
import SlsxSource

/// Converts the document a script built (a language `Value`) into the model's neutral `Node` tree,
/// keeping every span and the order of every map.
///
/// A function value has no place in serverless.yml, so it becomes an error at the place the function
/// was written, naming the key path that contains it.
enum DocumentConverter {
    /// The deepest nesting converted; deeper values are reported instead of recursing further. The
    /// language's own limits keep documents far shallower, so this only guards the native stack.
    static let maximumDepth = 512

    /// Returns the converted document, the errors found, and whether a string or key of the
    /// document contains `${`. Without `${` the document contains no Serverless variable, so the
    /// decoder can skip its own walk over every string to look for one. The flag is `true` whenever
    /// conversion reported a problem. The node is the whole document only when there is no
    /// diagnostic: after a problem, the functions converted before it are null in the node.
    ///
    /// The values of a long top-level `functions` map are taken out of `document` as they are
    /// converted, and null is left in their place. Each function's values are freed as soon as its
    /// nodes are made, when nothing else refers to them, and the nodes of the next functions reuse
    /// that memory. Every other part of `document` is left as it was, and so is every function's
    /// value that was not converted when the conversion stopped at a problem. When the caller
    /// keeps another copy of `document`, as the REPL's session does, the two arrays of entries
    /// are copied first, and no value is freed here.
    static func node(from document: inout Value) -> (node: Node, diagnostics: [Diagnostic], containsPlaceholderStart: Bool) {
        // Almost every document converts without a problem, so the first walk keeps no key path.
        // Only a document with a problem is walked again, with the path that names each problem.
        // The values the first walk took out converted without a problem, so the second walk
        // reports the same problems.
        var containsPlaceholderStart = false
        if let node = convertDocumentWithoutPath(&document, containsPlaceholderStart: &containsPlaceholderStart) {
            return (node, [], containsPlaceholderStart)
        }
        var diagnostics: [Diagnostic] = []
        var path = NodePath()
        let node = convert(document, path: &path, depth: 0, keySpan: nil, diagnostics: &diagnostics)
        return (node, diagnostics, true)
    }

    /// Converts the document as `convertWithoutPath` does, but converts the entries of a long
    /// top-level `functions` map in two halves on two threads, taking each value out as
    /// `node(from:)` describes. Each entry converts on its own, so the joined entries are the ones
    /// one thread converts. On a problem, `document` gets back the values that were not converted.
    private static func convertDocumentWithoutPath(_ document: inout Value, containsPlaceholderStart found: inout Bool) -> Node? {
        guard case .map(let map) = document.kind else {
            return convertWithoutPath(document.kind, span: document.span, depth: 0, containsPlaceholderStart: &found)
        }
        let functionsIndex = map.entries.firstIndex { entry in
            guard entry.key == "functions", case .map(let functions) = entry.value.kind else { return false }
            return functions.count >= ServiceDecoder.minimumParallelFunctionCount
        }
        let span = document.span
        var entries: [OrderedMap.Entry]
        var functionEntries: [OrderedMap.Entry] = []
        var functionsSpan: SourceSpan?
        var tookFunctions = false
        if let functionsIndex {
            // Null takes the place of each map that is taken apart, so that the one below it has no
            // other owner and gives up its array without a copy.
            document = Value.null
            entries = (consume map).takeEntries()
            if case .map(let functions) = entries[functionsIndex].value.kind {
                functionsSpan = entries[functionsIndex].value.span
                entries[functionsIndex].value = Value.null
                functionEntries = (consume functions).takeEntries()
                tookFunctions = true
            }
        } else {
            entries = map.entries
        }

        var converted: [Node.Entry] = []
        converted.reserveCapacity(entries.count)
        var failed = false
        for index in entries.indices {
            let key = entries[index].key
            notePlaceholderStart(in: key, containsPlaceholderStart: &found)
            let child: Node?
            if index == functionsIndex, tookFunctions {
                child = convertInTwoHalvesWithoutPath(&functionEntries, span: functionsSpan, containsPlaceholderStart: &found)
            } else {
                child = convertWithoutPath(
                    entries[index].value.kind, span: entries[index].value.span, depth: 1, containsPlaceholderStart: &found)
            }
            guard let child else {
                failed = true
                break
            }
            converted.append(Node.Entry(key, child, keySpan: entries[index].keySpan))
        }
        if let functionsIndex {
            // The document gets back its other entries, which the caller frees as it frees the
            // rest of the document, and on a problem the functions that were not converted.
            if failed, tookFunctions {
                entries[functionsIndex].value = Value(.map(OrderedMap(uniqueEntries: functionEntries)), span: functionsSpan)
            }
            document = Value(.map(OrderedMap(uniqueEntries: entries)), span: span)
        }
        return failed ? nil : Node(.mapping(converted), span: span)
    }

    /// The entries of a map, shared by the two threads of `convertInTwoHalvesWithoutPath`, which
    /// change disjoint ranges of them.
    private struct SharedEntries: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<OrderedMap.Entry>
    }

    /// Converts `entries`, the entries of a map at depth 1, as `convertWithoutPath` does, with the
    /// first half on the calling thread and the second half on a new thread. Each value is taken
    /// out and null left in its place, except the value of a problem, which stays.
    private static func convertInTwoHalvesWithoutPath(
        _ entries: inout [OrderedMap.Entry], span: SourceSpan?, containsPlaceholderStart found: inout Bool
    ) -> Node? {
        let count = entries.count
        let half = count / 2
        var firstFound = found
        let (first, second) = entries.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedEntries(buffer: buffer)
            return ForkJoin.run(
                { convertTakingValues(of: shared, in: 0..<half, containsPlaceholderStart: &firstFound) },
                {
                    var secondFound = false
                    let converted = convertTakingValues(of: shared, in: half..<count, containsPlaceholderStart: &secondFound)
                    return (converted, secondFound)
                })
        }
        found = firstFound || second.1
        guard var converted = first, let secondConverted = second.0 else { return nil }
        converted.append(contentsOf: secondConverted)
        return Node(.mapping(converted), span: span)
    }

    /// Converts the entries of `shared` in `range`, the entries of a map at depth 1, taking each
    /// value out. Returns `nil` at the first value that `convertWithoutPath` cannot convert, and
    /// puts that value back.
    private static func convertTakingValues(
        of shared: SharedEntries, in range: Range<Int>, containsPlaceholderStart found: inout Bool
    ) -> [Node.Entry]? {
        let entries = shared.buffer
        var converted: [Node.Entry] = []
        converted.reserveCapacity(range.count)
        for index in range {
            notePlaceholderStart(in: entries[index].key, containsPlaceholderStart: &found)
            let value = entries[index].value
            entries[index].value = Value.null
            guard let child = convertWithoutPath(value.kind, span: value.span, depth: 2, containsPlaceholderStart: &found) else {
                entries[index].value = value
                return nil
            }
            converted.append(Node.Entry(entries[index].key, child, keySpan: entries[index].keySpan))
        }
        return converted
    }

    /// Converts the entries of `map` in `range`, where `map` is at `depth`, or returns `nil` as
    /// `convertWithoutPath` does.
    private static func convertEntriesWithoutPath(
        of map: OrderedMap, in range: Range<Int>, depth: Int, containsPlaceholderStart found: inout Bool
    ) -> [Node.Entry]? {
        var entries: [Node.Entry] = []
        entries.reserveCapacity(range.count)
        for index in range {
            notePlaceholderStart(in: map.entries[index].key, containsPlaceholderStart: &found)
            guard let child = convertWithoutPath(
                map.entries[index].value.kind, span: map.entries[index].value.span, depth: depth + 1,
                containsPlaceholderStart: &found)
            else { return nil }
            entries.append(Node.Entry(map.entries[index].key, child, keySpan: map.entries[index].keySpan))
        }
        return entries
    }

    /// Sets `found` when `text`, a string or a key, contains `${`. Once `found` is set, later
    /// texts are not scanned.
    @inline(__always)
    private static func notePlaceholderStart(in text: String, containsPlaceholderStart found: inout Bool) {
        if !found, ServerlessVariable.containsPlaceholderStart(text) { found = true }
    }

    /// Converts one value, given as its kind and span, as `convert` does. Returns `nil` at the first
    /// value that `convert` would report, which is a function or a value nested deeper than
    /// `maximumDepth`. Sets `found` when a string or key in the value contains `${`.
    ///
    /// A `Value` read from an array and passed to a function is copied whole through its value
    /// witness and destroyed after the call. Reading its `kind` copies only the payload, and this
    /// function consumes that copy, so a string moves into its node. Both took a quarter of the
    /// conversion's instructions off (callgrind figures in docs/benchmarks.md).
    private static func convertWithoutPath(
        _ kind: consuming Value.Kind, span: SourceSpan?, depth: Int, containsPlaceholderStart found: inout Bool
    ) -> Node? {
        guard depth < maximumDepth else { return nil }

        switch kind {
        case .null:
            return Node(.null, span: span)
        case .bool(let flag):
            return Node(.bool(flag), span: span)
        case .int(let number):
            return Node(.integer(number), span: span)
        case .float(let number):
            return Node(.float(number), span: span)
        case .string(let text):
            notePlaceholderStart(in: text, containsPlaceholderStart: &found)
            return Node(.string(text), span: span)
        case .list(let items):
            var nodes: [Node] = []
            nodes.reserveCapacity(items.count)
            for index in items.indices {
                guard let node = convertWithoutPath(
                    items[index].kind, span: items[index].span, depth: depth + 1, containsPlaceholderStart: &found)
                else { return nil }
                nodes.append(node)
            }
            return Node(.sequence(nodes), span: span)
        case .map(let map):
            guard let entries = convertEntriesWithoutPath(
                of: map, in: map.entries.indices, depth: depth, containsPlaceholderStart: &found)
            else { return nil }
            return Node(.mapping(entries), span: span)
        case .function:
            return nil
        }
    }

    /// Converts one value. `keySpan` is the span of the key that contains it, which locates a built-in
    /// function because built-ins have no span of their own.
    /// `isFunctions` is set for the document's `functions` map, whose repeated problems are
    /// reported once (`RepeatedProblems`).
    private static func convert(
        _ value: Value, path: inout NodePath, depth: Int, keySpan: SourceSpan?, diagnostics: inout [Diagnostic],
        isFunctions: Bool = false
    ) -> Node {
        guard depth < maximumDepth else {
            diagnostics.append(.error("the value at \(path.text) is nested more than \(maximumDepth) levels deep", at: value.span))
            return Node(.null, span: value.span)
        }

        switch value.kind {
        case .null:
            return Node(.null, span: value.span)
        case .bool(let flag):
            return Node(.bool(flag), span: value.span)
        case .int(let number):
            return Node(.integer(number), span: value.span)
        case .float(let number):
            return Node(.float(number), span: value.span)
        case .string(let text):
            return Node(.string(text), span: value.span)
        case .list(let items):
            var nodes: [Node] = []
            nodes.reserveCapacity(items.count)
            // Indexing lends each item and entry, where iterating would copy (retain) every one.
            for index in items.indices {
                path.push(index: index)
                nodes.append(convert(items[index], path: &path, depth: depth + 1, keySpan: keySpan, diagnostics: &diagnostics))
                path.pop()
            }
            return Node(.sequence(nodes), span: value.span)
        case .map(let map):
            // A map of several functions and nothing else is most often a module (`v: arn` after
            // `import "arn" as arn`), whose functions were written in another file. One error at the
            // key where it is placed says more than one per function, located in the module.
            if map.count > 1, map.entries.allSatisfy({ if case .function = $0.value.kind { true } else { false } }) {
                diagnostics.append(
                    .error(
                        "\(path.text.isEmpty ? "the document" : path.text) is a map of functions, such as a module, which serverless.yml cannot hold",
                        at: keySpan ?? value.span,
                        hint: "call one of its functions, such as \(map.entries[0].key)(...), to use the value it returns"))
                return Node(.null, span: value.span)
            }
            var entries: [Node.Entry] = []
            entries.reserveCapacity(map.count)
            var repeated = RepeatedProblems()
            for index in map.entries.indices {
                let key = map.entries[index].key
                let keySpan = map.entries[index].keySpan
                let firstNew = diagnostics.count
                path.push(key: key)
                let child = convert(
                    map.entries[index].value, path: &path, depth: depth + 1, keySpan: keySpan, diagnostics: &diagnostics,
                    isFunctions: depth == 0 && key == "functions")
                path.pop()
                if isFunctions {
                    repeated.merge(diagnostics: &diagnostics, from: firstNew, ofFunction: key, at: path)
                }
                entries.append(Node.Entry(key, child, keySpan: keySpan))
            }
            repeated.addNotes(to: &diagnostics)
            return Node(.mapping(entries), span: value.span)
        case .function:
            diagnostics.append(
                .error(
                    "\(path.text.isEmpty ? "the document" : path.text) is a function, which serverless.yml cannot hold",
                    at: value.span ?? keySpan,
                    hint: "call the function to use the value it returns"))
            return Node(.null, span: value.span)
        }
    }

    /// The problems of the functions of the document's `functions` map, each reported once.
    ///
    /// A function value written once in a loop's body, or in a helper that every function uses,
    /// is the same problem in every function the loop declares. Each report has the same message
    /// at the same place, except for the function's name in the key path. The problem is reported
    /// once, in the words of the first function, with a note that names the others, as the
    /// model's checks report a repeated problem (`ServiceDecoding.mergingRepeatedDiagnostics`).
    private struct RepeatedProblems {
        /// The index in the diagnostics of the first report of each problem, by its key.
        private var firstReport: [String: Int] = [:]
        /// The functions that have each first report's problem, by the report's index.
        private var functions: [Int: [String]] = [:]

        /// Merges the diagnostics from `firstNew` on, which converting function `name` at `path`
        /// (the path of the `functions` map) added, into the reports of earlier functions.
        mutating func merge(diagnostics: inout [Diagnostic], from firstNew: Int, ofFunction name: String, at path: NodePath) {
            guard firstNew < diagnostics.count else { return }
            var functionPath = path
            functionPath.push(key: name)
            let prefix = functionPath.text
            var index = firstNew
            while index < diagnostics.count {
                // A report without a span is never merged.
                guard let key = Self.key(of: diagnostics[index], functionPath: prefix) else {
                    index += 1
                    continue
                }
                if let first = firstReport[key] {
                    functions[first, default: []].append(name)
                    diagnostics.remove(at: index)
                    continue
                }
                firstReport[key] = index
                functions[index] = [name]
                index += 1
            }
        }

        /// Returns the key under which `diagnostic`, a report about the function at `functionPath`,
        /// repeats another function's report: its place, severity, hint and message, with the
        /// first `functionPath` in the message, where the key path starts, left out. `nil` for a
        /// report without a span.
        private static func key(of diagnostic: Diagnostic, functionPath: String) -> String? {
            guard let span = diagnostic.span else { return nil }
            var message = diagnostic.message
            if let range = message.range(of: functionPath) {
                message.replaceSubrange(range, with: "\u{0}")
            }
            return "\(span.file.path)\u{0}\(span.start)\u{0}\(span.end)\u{0}\(diagnostic.severity)\u{0}\(diagnostic.hint ?? "")\u{0}\(message)"
        }

        /// Adds to each report of a problem that several functions have a note that names them.
        func addNotes(to diagnostics: inout [Diagnostic]) {
            for (index, names) in functions where names.count > 1 {
                diagnostics[index].notes.append(.reportedOnce(for: names, reason: "have this problem here"))
            }
        }
    }
}
