/// The bytes of one short UTF-8 text, such as a logical ID, written straight into the storage of
/// the `String` that `spell` returns, so the text is allocated once and never decoded from an
/// array.
///
/// The storage pointer is valid only inside `spell`. The type is not copyable, so no copy can
/// outlive that call, and every append checks the room left before it stores a byte.
struct LogicalIDBuffer: ~Copyable {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// The number of bytes appended so far.
    private(set) var count = 0

    private init(storage: UnsafeMutableBufferPointer<UInt8>) {
        self.storage = storage
    }

    /// Returns the text that `body` appends. `capacity` must be at least the number of bytes that
    /// `body` appends, because an append past it stops the process. `String` replaces each invalid
    /// UTF-8 sequence in the appended bytes with U+FFFD.
    static func spell(capacity: Int, _ body: (inout LogicalIDBuffer) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { storage in
            var buffer = LogicalIDBuffer(storage: storage)
            body(&buffer)
            return buffer.count
        }
    }

    /// Appends one byte.
    mutating func append(_ byte: UInt8) {
        precondition(count < storage.count, "LogicalIDBuffer: more bytes than the capacity given to spell")
        storage[count] = byte
        count += 1
    }

    /// Appends the UTF-8 bytes of `text`.
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            precondition(bytes.count <= storage.count - count, "LogicalIDBuffer: more bytes than the capacity given to spell")
            guard let source = bytes.baseAddress, let target = storage.baseAddress else { return }
            (target + count).initialize(from: source, count: bytes.count)
            count += bytes.count
        }
    }

    /// Appends the ASCII letters and digits of `text`, in order, with the first of them
    /// upper-cased, and skips every other byte. Bytes of non-ASCII characters are skipped too,
    /// because all of them are 0x80 or more.
    mutating func appendAlphanumerics(of text: UnsafeBufferPointer<UInt8>) {
        // The room is checked once for the whole text, which is the most this can append, so
        // the loop stores each byte without a check of its own.
        precondition(text.count <= storage.count - count, "LogicalIDBuffer: more bytes than the capacity given to spell")
        guard let target = storage.baseAddress else { return }
        let start = count
        var end = start
        for byte in text {
            // `byte | 0x20` maps `A`...`Z` onto `a`...`z` and no other byte into that range.
            let isLetter = (byte | 0x20) &- UInt8(ascii: "a") < 26
            let isDigit = byte &- UInt8(ascii: "0") < 10
            guard isLetter || isDigit else { continue }
            target[end] = byte
            end += 1
        }
        if end > start, target[start] &- UInt8(ascii: "a") < 26 { target[start] -= 0x20 }
        count = end
    }
}
