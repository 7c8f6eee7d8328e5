import SlsxSource

/// A map with string keys that keeps insertion order, with constant-time lookup.
///
/// Output order is always the order in which keys were first set; Swift `Dictionary` order never
/// reaches a caller. Each entry keeps the span of its key.
public struct OrderedMap: Sendable {
    public struct Entry: Sendable {
        public var key: String
        private var packedKeySpan: PackedSourceSpan
        public var value: Value

        /// The place where the key was written, or `nil`.
        public var keySpan: SourceSpan? {
            get { packedKeySpan.span }
            set { packedKeySpan.span = newValue }
        }

        init(key: String, keySpan: SourceSpan?, value: consuming Value) {
            self.key = key
            self.packedKeySpan = PackedSourceSpan(keySpan)
            self.value = value
        }
    }

    public private(set) var entries: [Entry] = []
    /// The position of each key, built only once the map has more than `linearSearchLimit`
    /// entries. Smaller maps, which are most maps a script builds, are searched in order, which
    /// is cheaper than hashing the key and saves building a dictionary per map.
    private var positions: [String: Int] = [:]

    private static let linearSearchLimit = 8

    public init() {}

    /// Creates an empty map with room for `capacity` entries.
    init(capacity: Int) {
        // Reserving room for no entries, as for every `{}` a script evaluates, still went
        // through the array's buffer reallocation (`_consumeAndCreateNew`).
        if capacity > 0 {
            entries.reserveCapacity(capacity)
        }
    }

    /// Creates a map from pairs, the later of two equal keys replacing the earlier value.
    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs {
            set(key, value)
        }
    }

    /// Creates a map of `entries` in their order. The keys must all differ, as in the entries of
    /// another map (`takeEntries`).
    package init(uniqueEntries entries: [Entry]) {
        assert(Set(entries.map(\.key)).count == entries.count, "OrderedMap(uniqueEntries:) with a repeated key")
        self.entries = entries
        if entries.count > OrderedMap.linearSearchLimit {
            indexPositions()
        }
    }

    /// Returns the entries and ends the map. A map that has one owner hands over its array without
    /// a copy, so that the caller can take each value out (`Entry.value`) and free it as soon as it
    /// is done with it. A `Value` made from the entries again measures them again.
    package consuming func takeEntries() -> [Entry] {
        entries
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> Value? {
        position(of: key).map { entries[$0].value }
    }

    /// Returns the closure at `key` when the map has the key and its value is a closure, read in
    /// place without copying the function value.
    func closure(at key: String) -> FunctionValue.Closure? {
        guard let position = position(of: key) else { return nil }
        return entries.withUnsafeBufferPointer { $0[position].value.closurePayload }
    }

    /// Returns whether the map has an entry for `key`, without copying its value.
    public func contains(_ key: String) -> Bool {
        position(of: key) != nil
    }

    /// The entry for `key`, with its key span.
    public func entry(_ key: String) -> Entry? {
        position(of: key).map { entries[$0] }
    }

    /// Sets `key` to `value`. A new key goes at the end; an existing key keeps its position and
    /// its original key span unless `keySpan` is given.
    /// `value` is `consuming` here and in `appendNew`, so that a caller's last use of a value
    /// moves it into the map instead of copying it.
    public mutating func set(_ key: String, _ value: consuming Value, keySpan: SourceSpan? = nil) {
        if let position = position(of: key) {
            entries[position].value = value
            if let keySpan {
                entries[position].keySpan = keySpan
            }
            return
        }
        appendNew(key, value, keySpan: keySpan)
    }

    /// Appends an entry for `key`, which the caller has checked is not in the map, without
    /// searching for it again.
    mutating func appendNew(_ key: String, _ value: consuming Value, keySpan: SourceSpan?) {
        entries.append(Entry(key: key, keySpan: keySpan, value: value))
        if entries.count > OrderedMap.linearSearchLimit {
            if positions.isEmpty {
                indexPositions()
            } else {
                positions[key] = entries.count - 1
            }
        }
    }

    /// Removes `key` if present, keeping the order of the other entries.
    public mutating func remove(_ key: String) {
        guard let position = position(of: key) else { return }
        entries.remove(at: position)
        positions = [:]
        if entries.count > OrderedMap.linearSearchLimit {
            indexPositions()
        }
    }

    /// Changes the value at `key` in place, so that a list stored there is not copied.
    mutating func modifyValue(_ key: String, _ body: (inout Value) throws -> Void) rethrows {
        guard let position = position(of: key) else { return }
        try body(&entries[position].value)
    }

    /// Reserves room for `capacity` entries, so that adding entries up to that count does not
    /// reallocate.
    mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// Replaces the key spans in the file of `origin` with `target`, and the spans in that file
    /// of the values made there (`Value.relocateSpans`).
    mutating func relocateSpans(inFileOf origin: SourceSpan, to target: SourceSpan) {
        for index in entries.indices {
            if let keySpan = entries[index].keySpan, keySpan.isInSameFile(as: origin) {
                entries[index].keySpan = target
            }
            if entries[index].value.span?.isInSameFile(as: origin) == true {
                entries[index].value.relocateSpans(inFileOf: origin, to: target)
            }
        }
    }

    private func position(of key: String) -> Int? {
        if entries.count > OrderedMap.linearSearchLimit {
            return positions[key]
        }
        return entries.firstIndex { $0.key == key }
    }

    private mutating func indexPositions() {
        positions.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() {
            positions[entry.key] = position
        }
    }
}
