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
    /// conversion reported a problem.
    static func node(from value: Value) -> (node: Node, diagnostics: [Diagnostic], containsPlaceholderStart: Bool) {
        // Almost every document converts without a problem, so the first walk keeps no key path.
        // Only a document with a problem is walked again, with the path that names each problem.
        var containsPlaceholderStart = false
        if let node = convertDocumentWithoutPath(value, containsPlaceholderStart: &containsPlaceholderStart) {
            return (node, [], containsPlaceholderStart)
        }
        var diagnostics: [Diagnostic] = []
        var path = NodePath()
        let node = convert(value, path: &path, depth: 0, keySpan: nil, diagnostics: &diagnostics)
        return (node, diagnostics, true)
    }

    /// Converts the document as `convertWithoutPath` does, but converts the entries of a long
    /// top-level `functions` map in two halves on two threads. Each entry converts on its own, so
    /// the joined entries are the ones one thread converts.
    private static func convertDocumentWithoutPath(_ document: Value, containsPlaceholderStart found: inout Bool) -> Node? {
        guard case .map(let map) = document.kind else {
            return convertWithoutPath(document.kind, span: document.span, depth: 0, containsPlaceholderStart: &found)
        }
        var entries: [Node.Entry] = []
        entries.reserveCapacity(map.count)
        for index in map.entries.indices {
            let key = map.entries[index].key
            notePlaceholderStart(in: key, containsPlaceholderStart: &found)
            let child: Node?
            if key == "functions", case .map(let functions) = map.entries[index].value.kind,
               functions.count >= ServiceDecoder.minimumParallelFunctionCount {
                child = convertInTwoHalvesWithoutPath(
                    functions, span: map.entries[index].value.span, containsPlaceholderStart: &found)
            } else {
                child = convertWithoutPath(
                    map.entries[index].value.kind, span: map.entries[index].value.span, depth: 1,
                    containsPlaceholderStart: &found)
            }
            guard let child else { return nil }
            entries.append(Node.Entry(key, child, keySpan: map.entries[index].keySpan))
        }
        return Node(.mapping(entries), span: document.span)
    }

    /// Converts `map`, a map at depth 1, as `convertWithoutPath` does, with the first half of its
    /// entries on the calling thread and the second half on a new thread.
    private static func convertInTwoHalvesWithoutPath(
        _ map: OrderedMap, span: SourceSpan?, containsPlaceholderStart found: inout Bool
    ) -> Node? {
        let half = map.count / 2
        var firstFound = found
        let (first, second) = ForkJoin.run(
            { convertEntriesWithoutPath(of: map, in: 0..<half, depth: 1, containsPlaceholderStart: &firstFound) },
            {
                var secondFound = false
                let entries = convertEntriesWithoutPath(
                    of: map, in: half..<map.count, depth: 1, containsPlaceholderStart: &secondFound)
                return (entries, secondFound)
            })
        found = firstFound || second.1
        guard var entries = first, let secondEntries = second.0 else { return nil }
        entries.append(contentsOf: secondEntries)
        return Node(.mapping(entries), span: span)
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
    private static func convert(
        _ value: Value, path: inout NodePath, depth: Int, keySpan: SourceSpan?, diagnostics: inout [Diagnostic]
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
            for index in map.entries.indices {
                let key = map.entries[index].key
                let keySpan = map.entries[index].keySpan
                path.push(key: key)
                let child = convert(
                    map.entries[index].value, path: &path, depth: depth + 1, keySpan: keySpan, diagnostics: &diagnostics)
                path.pop()
                entries.append(Node.Entry(key, child, keySpan: keySpan))
            }
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
}
