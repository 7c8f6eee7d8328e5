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
}
