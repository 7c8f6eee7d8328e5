/// The logical IDs of a template in the order they were added, with a hash table that finds the
/// position of each one.
///
/// `Dictionary<String, Int>` hashes a `String` with SipHash, about 650 instructions for each
/// insert of a 40-byte ID (callgrind, `benchmarks/many-bindings.slsx` at N = 1,000). This index hashes ASCII IDs
/// eight bytes at a time instead. For ASCII text, `String` equality is byte equality, so the
/// hash of the bytes agrees with `==`. For other text it does not: `String` equality is
/// canonical equivalence, under which U+212A KELVIN SIGN equals `K`. So from the first non-ASCII
/// ID on, the index keeps a `Dictionary` and looks every ID up there.
///
/// The hash has no random seed, unlike `Dictionary`'s, so a script could choose IDs that collide
/// and make adding them slow. It cannot change the result.
struct LogicalIDIndex: Sendable {
    /// The IDs, each once, in the order they were added. A position is an index in this array.
    private(set) var keys: [String] = []
    /// The open-addressing table while every ID is ASCII, with linear probing and a power-of-two
    /// count. An occupied slot contains the ID's 32-bit hash in its high half and its position plus
    /// one in its low half. An empty slot is 0.
    private var slots: [UInt64] = []
    /// The position of every ID, once an ID that is not ASCII was added.
    private var dictionary: [String: Int]?

    var count: Int { keys.count }

    /// Reserves room for `count` IDs, so that adding them does not grow the table step by step.
    mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        if var dictionary {
            self.dictionary = nil
            dictionary.reserveCapacity(count)
            self.dictionary = dictionary
        } else if Self.slotCount(for: count) > slots.count {
            rehash(slotCount: Self.slotCount(for: count))
        }
    }

    /// Returns the position of `id`, or `nil` when it was not added.
    func position(of id: String) -> Int? {
        if let dictionary { return dictionary[id] }
        guard let hash = Self.asciiHash(id) else {
            // A non-ASCII ID can still equal an ASCII one, such as `K` spelled with U+212A. This
            // happens only in lookups of IDs that CloudFormation would reject, so they search
            // the IDs one by one.
            // NOTE: the search takes time linear in the number of IDs for each such lookup.
            return keys.firstIndex(of: id)
        }
        return find(id, hash: hash).position
    }

    func contains(_ id: String) -> Bool { position(of: id) != nil }

    /// Adds `id` at the next position and returns `nil`, or returns the position of an equal ID
    /// added before and leaves the index as it was.
    mutating func insert(_ id: String) -> Int? {
        if dictionary == nil, let hash = Self.asciiHash(id) {
            if slots.count < Self.slotCount(for: keys.count + 1) {
                rehash(slotCount: Self.slotCount(for: keys.count + 1))
            }
            let (existing, slot) = find(id, hash: hash)
            if let existing { return existing }
            precondition(keys.count < Int(UInt32.max), "LogicalIDIndex: more IDs than a slot can number")
            slots[slot] = UInt64(hash) << 32 | UInt64(keys.count + 1)
            keys.append(id)
            return nil
        }
        if dictionary == nil { switchToDictionary() }
        if let existing = dictionary?[id] { return existing }
        dictionary?[id] = keys.count
        keys.append(id)
        return nil
    }

    // MARK: - The ASCII table

    /// Returns the position of `id` and its slot, or `nil` and the empty slot where it belongs.
    private func find(_ id: String, hash: UInt32) -> (position: Int?, slot: Int) {
        guard !slots.isEmpty else { return (nil, 0) }
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (nil, slot) }
            // Both IDs are ASCII, so `==` compares their bytes. The hash rules out most IDs before that.
            let position = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            if UInt32(truncatingIfNeeded: entry >> 32) == hash, keys[position] == id { return (position, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Rebuilds the slots at `slotCount`, a power of two, from the hashes they hold.
    private mutating func rehash(slotCount: Int) {
        var rebuilt = [UInt64](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        for entry in slots where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while rebuilt[slot] != 0 { slot = (slot + 1) & mask }
            rebuilt[slot] = entry
        }
        slots = rebuilt
    }

    /// Returns the slot count that keeps `count` IDs at most half the slots: a power of two, at least 16.
    private static func slotCount(for count: Int) -> Int {
        var slotCount = 16
        while slotCount < 2 * count { slotCount *= 2 }
        return slotCount
    }

    /// Moves every ID into `dictionary`, where non-ASCII IDs are compared as `String`s.
    private mutating func switchToDictionary() {
        var dictionary: [String: Int] = [:]
        dictionary.reserveCapacity(Swift.max(keys.capacity, keys.count + 1))
        for position in keys.indices { dictionary[keys[position]] = position }
        self.dictionary = dictionary
        slots = []
    }

    /// Returns a 32-bit hash of the bytes of `id`, or `nil` when `id` is not ASCII.
    ///
    /// Each eight-byte word is mixed in with a multiply, as in rustc's FxHash, and the final mix
    /// moves the high bits of the last product, which depend on every word, into the result. A
    /// length that is not a multiple of eight ends with the last eight bytes. They overlap bytes
    /// already mixed in, which changes the hash but not the rule that equal bytes hash equally.
    static func asciiHash(_ id: String) -> UInt32? {
        if let hash = id.utf8.withContiguousStorageIfAvailable({ asciiHash(bytes: $0) }) { return hash }
        return Array(id.utf8).withUnsafeBufferPointer { asciiHash(bytes: $0) }
    }

    private static func asciiHash(bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        let multiplier: UInt64 = 0x517C_C1B7_2722_0A95
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawBufferPointer(bytes)
        var hash = UInt64(bytes.count) &* multiplier
        var seen: UInt64 = 0
        func mix(_ word: UInt64) {
            seen |= word
            hash = (((hash << 5) | (hash >> 59)) ^ word) &* multiplier
        }
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            if bytes.count >= 8 {
                mix(raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
            } else {
                var word: UInt64 = 0
                for index in offset..<bytes.count { word |= UInt64(bytes[index]) << (8 * UInt64(index)) }
                mix(word)
            }
        }
        guard seen & highBits == 0 else { return nil }
        return UInt32(truncatingIfNeeded: (hash ^ (hash >> 29)) >> 32)
    }
}
