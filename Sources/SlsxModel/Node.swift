import SlsxSource

/// A neutral, ordered data tree: what a script's document decodes from, and what every writer walks.
///
/// Mappings are arrays of entries, never dictionaries, so the order in which a script wrote its keys is
/// the order every writer emits them, and the same input always gives the same bytes.
public struct Node: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case null
        case bool(Bool)
        case integer(Int64)
        case float(Double)
        case string(String)
        case sequence([Node])
        case mapping([Entry])
    }

    /// One key and value of a mapping, each with the place it was written.
    public struct Entry: Sendable, Equatable {
        public var key: String
        private var packedKeySpan: PackedSourceSpan
        public var value: Node

        /// The place where the key was written, or `nil`.
        public var keySpan: SourceSpan? {
            get { packedKeySpan.span }
            set { packedKeySpan.span = newValue }
        }

        public init(_ key: String, _ value: Node, keySpan: SourceSpan? = nil) {
            self.key = key
            self.packedKeySpan = PackedSourceSpan(keySpan)
            self.value = value
        }

        /// Compares keys and values only, like `Node`: the key's span does not take part.
        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.key == rhs.key && lhs.value == rhs.value
        }
    }

    public var kind: Kind
    // Nodes are made by the million, and the packed span keeps a node at 32 bytes instead of 40.
    private var packedSpan: PackedSourceSpan

    /// The place where the value was written in a script. It is `nil` for values that slsx made up
    /// (defaults, compiled resources) or that were read from JSON without positions.
    public var span: SourceSpan? {
        get { packedSpan.span }
        set { packedSpan.span = newValue }
    }

    public init(_ kind: Kind, span: SourceSpan? = nil) {
        self.kind = kind
        self.packedSpan = PackedSourceSpan(span)
    }

    /// Compares kinds only: two nodes with the same data from different places are equal.
    public static func == (lhs: Node, rhs: Node) -> Bool {
        lhs.kind == rhs.kind
    }
}

// MARK: - Building

extension Node {
    public static let null = Node(.null)

    public static func bool(_ value: Bool, span: SourceSpan? = nil) -> Node { Node(.bool(value), span: span) }
    public static func integer(_ value: Int64, span: SourceSpan? = nil) -> Node { Node(.integer(value), span: span) }
    public static func float(_ value: Double, span: SourceSpan? = nil) -> Node { Node(.float(value), span: span) }
    public static func string(_ value: String, span: SourceSpan? = nil) -> Node { Node(.string(value), span: span) }
    public static func sequence(_ items: [Node], span: SourceSpan? = nil) -> Node { Node(.sequence(items), span: span) }
    public static func mapping(_ entries: [Entry], span: SourceSpan? = nil) -> Node { Node(.mapping(entries), span: span) }

    /// Returns a mapping of key-value pairs without positions, in the order given.
    public static func mapping(_ pairs: KeyValuePairs<String, Node>) -> Node {
        // The compiler builds every resource from such literals. Reading the pairs by index and
        // reserving the entries up front copies each pair once, with no element copy of a closure
        // argument and no growth of the array.
        var entries: [Entry] = []
        entries.reserveCapacity(pairs.count)
        for index in pairs.indices {
            entries.append(Entry(pairs[index].key, pairs[index].value))
        }
        return Node(.mapping(entries))
    }
}

// MARK: - Reading

extension Node {
    public var stringValue: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = kind { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = kind { return value }
        return nil
    }

    public var sequenceValue: [Node]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var mappingValue: [Entry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// Returns the value of the first entry with `key`, when this node is a mapping.
    public subscript(key: String) -> Node? {
        // Indexing reads each entry in place, where `first(where:)` copied the entries it tested
        // into its closure (a retain and a release of each key and value).
        guard case .mapping(let entries) = kind else { return nil }
        for index in entries.indices where entries[index].key == key {
            return entries[index].value
        }
        return nil
    }

    /// The name of the value's kind as messages use it: `string`, `integer`, `list`, `map` and so on.
    public var kindName: String {
        switch kind {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .float: return "float"
        case .string: return "string"
        case .sequence: return "list"
        case .mapping: return "map"
        }
    }
}
