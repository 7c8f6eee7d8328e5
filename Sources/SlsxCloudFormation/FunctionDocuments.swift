import SlsxModel

/// The entries of the document's `functions` mapping by function name, for the settings the model
/// does not carry.
///
/// `document["functions"]?[name]` searches the mapping from its start, so reading every function's
/// settings that way made compiling quadratic in the number of functions. The lookup here is a
/// dictionary built once; like the mapping's subscript, it returns the first entry with a name.
struct FunctionDocuments {
    private var entries: [String: Node] = [:]

    init(_ document: Node) {
        let functions = document["functions"]?.mappingValue ?? []
        entries.reserveCapacity(functions.count)
        // The entries are stored from the last to the first, so that the first entry with a name
        // overwrites the later ones. So each name is hashed once, where a lookup before each
        // insert hashed it twice. The reserved room saves rehashing the names as the dictionary grows.
        for index in functions.indices.reversed() {
            entries[functions[index].key] = functions[index].value
        }
    }

    /// The function's entry as written in the document; `nil` when there is none.
    subscript(name: String) -> Node? {
        entries[name]
    }

    /// Returns the entry of each of `functions`, in their order. The compiler reads each
    /// function's entry about three times, so it looks every name up once here and then reads
    /// the entries by index.
    func entries(of functions: [Function]) -> [Node?] {
        // Indexing reads each function in place, where `map` copied every function it passed on.
        functions.indices.map { entries[functions[$0].name.value] }
    }
}
