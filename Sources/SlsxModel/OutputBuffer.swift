/// The bytes a writer produces, appended through a fixed chunk of `chunkSize` bytes.
///
/// Every `Array.append` checks that the array is uniquely referenced and has room, which cost
/// about 40 instructions for one byte and 90 for a short run in callgrind (Swift 6.3.1). Writers
/// append a few bytes at a time, so those checks were the largest cost of writing JSON. Here an append stores into the
/// chunk after one comparison with the room left, and each full chunk goes to the array in one
/// copy.
///
/// The chunk is the only pointer: `collect` allocates and frees it, and every store checks the
/// room left in it first. The type is not copyable, so no copy can outlive `collect`.
struct OutputBuffer: ~Copyable {
    /// The size of the chunk: large enough that flushing adds almost nothing per byte, small
    /// enough to stay in the processor's cache.
    static let chunkSize = 64 * 1024

    private var bytes: [UInt8]
    private let chunk: UnsafeMutablePointer<UInt8>
    /// The number of bytes in the chunk not yet moved to `bytes`.
    private var used = 0
    /// With `collectParts`: the full arrays before `bytes`, in order.
    private var fullParts: [[UInt8]] = []
    /// With `collectParts`: the capacity of each array. A flush that would grow `bytes` past it
    /// starts a new array instead. Without `collectParts` it is `nil`, and `bytes` grows.
    private let partCapacity: Int?

    private init(chunk: UnsafeMutablePointer<UInt8>, capacity: Int, partCapacity: Int? = nil) {
        self.chunk = chunk
        self.partCapacity = partCapacity
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Returns the bytes that `body` appends, in order. `capacity` is the number of bytes to
    /// reserve up front, and the result still grows past it when needed.
    static func collect<Failure: Error>(
        reservingCapacity capacity: Int, _ body: (inout OutputBuffer) throws(Failure) -> Void
    ) throws(Failure) -> [UInt8] {
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var output = OutputBuffer(chunk: chunk, capacity: capacity)
        try body(&output)
        output.flush()
        return output.bytes
    }

    /// Returns the bytes that `body` appends, in order, in arrays of at most `partCapacity` bytes
    /// each, or 64 KiB when that is larger. Only an append of more than 64 KiB at once may exceed
    /// it. Arrays of a fixed capacity copy no byte twice, while a growing array copies its bytes
    /// at every doubling.
    static func collectParts<Failure: Error>(
        partCapacity: Int, _ body: (inout OutputBuffer) throws(Failure) -> Void
    ) throws(Failure) -> [[UInt8]] {
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        let capacity = max(partCapacity, chunkSize)
        var output = OutputBuffer(chunk: chunk, capacity: capacity, partCapacity: capacity)
        try body(&output)
        output.flush()
        return output.fullParts + [output.bytes]
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if used == Self.chunkSize { flush() }
        chunk[used] = byte
        used += 1
    }

    /// Appends `count` copies of `byte`, such as the spaces of an indentation.
    mutating func append(repeating byte: UInt8, count: Int) {
        guard count > 0 else { return }
        if count > Self.chunkSize - used {
            flush()
            guard count <= Self.chunkSize else {
                bytes.append(contentsOf: repeatElement(byte, count: count))
                return
            }
        }
        (chunk + used).update(repeating: byte, count: count)
        used += count
    }

    /// Appends a line break and then `indent` spaces.
    ///
    /// The JSON writer starts every indented line this way. The spaces are stored eight at a time, so
    /// the last store may write up to seven bytes past the line's end. Those bytes lie inside
    /// the chunk, because the check below leaves room for them, and beyond `used`, so the next
    /// append overwrites them and no flush copies them.
    mutating func appendLineBreak(indent: Int) {
        let count = 1 + max(indent, 0)
        guard count + 7 <= Self.chunkSize - used else {
            append(UInt8(ascii: "\n"))
            append(repeating: UInt8(ascii: " "), count: indent)
            return
        }
        let start = chunk + used
        start.pointee = UInt8(ascii: "\n")
        var offset = 1
        while offset < count {
            UnsafeMutableRawPointer(start + offset).storeBytes(of: Self.eightSpaces, as: UInt64.self)
            offset += 8
        }
        used += count
    }

    /// Eight ASCII spaces (0x20) as one word, in either byte order.
    private static let eightSpaces: UInt64 = 0x2020_2020_2020_2020

    /// Appends the decimal digits of `value`, with a `-` when it is negative: the same bytes as
    /// `String(value)`, without building the `String`.
    mutating func append(decimal value: Int64) {
        // `magnitude` is a `UInt64`, so `Int64.min` needs no special case.
        var magnitude = value.magnitude
        var digitCount = 1
        var rest = magnitude / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        let count = digitCount + (value < 0 ? 1 : 0)
        // At most 20 bytes: `-9223372036854775808`. The chunk always has room after a flush.
        if count > Self.chunkSize - used { flush() }
        var position = used + count
        repeat {
            position -= 1
            chunk[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        if value < 0 { chunk[used] = UInt8(ascii: "-") }
        used += count
    }

    /// Appends the bytes of `run`.
    mutating func append(contentsOf run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, run.count > 0 else { return }
        if run.count > Self.chunkSize - used {
            flush()
            guard run.count <= Self.chunkSize else {
                bytes.append(contentsOf: run)
                return
            }
        }
        (chunk + used).update(from: source, count: run.count)
        used += run.count
    }

    /// Appends `text` between two `"` and returns `true` when none of its bytes is one that
    /// `ByteScan.isJSONSpecialByte` accepts, so that the JSON string literal is the text itself.
    /// Otherwise, and for a text longer than the chunk, it appends nothing and returns `false`.
    mutating func appendQuotedIfNoJSONEscape(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = text.count
        if count + 2 > Self.chunkSize - used {
            flush()
            guard count + 2 <= Self.chunkSize else { return false }
        }
        let start = chunk + used
        start.pointee = UInt8(ascii: "\"")
        guard Self.copyWithoutJSONSpecialBytes(text, to: start + 1) else { return false }
        start[count + 1] = UInt8(ascii: "\"")
        used += count + 2
        return true
    }

    /// Appends a `,` when `comma` is set, a line break, `indent` spaces and `"key": `, the start
    /// of an entry in indented JSON, and returns `true` when no byte of `key` is one that
    /// `ByteScan.isJSONSpecialByte` accepts. Otherwise, and when the chunk has too little room
    /// left, it appends nothing and returns `false`, and the caller appends the parts one by one.
    ///
    /// The JSON writer starts every entry of a mapping this way: one room check and one call in
    /// place of five appends.
    mutating func appendIndentedKeyIfNoJSONEscape(_ key: UnsafeBufferPointer<UInt8>, indent: Int, comma: Bool) -> Bool {
        let lineStart = comma ? 1 : 0
        let keyStart = lineStart + 1 + max(indent, 0)
        // The spaces are stored eight at a time, up to seven bytes past the line's indentation,
        // which the key then overwrites. The room check leaves space for those bytes too.
        guard keyStart + key.count + 4 + 7 <= Self.chunkSize - used else { return false }
        let start = chunk + used
        if comma { start.pointee = UInt8(ascii: ",") }
        start[lineStart] = UInt8(ascii: "\n")
        var offset = lineStart + 1
        while offset < keyStart {
            UnsafeMutableRawPointer(start + offset).storeBytes(of: Self.eightSpaces, as: UInt64.self)
            offset += 8
        }
        start[keyStart] = UInt8(ascii: "\"")
        guard Self.copyWithoutJSONSpecialBytes(key, to: start + keyStart + 1) else { return false }
        let keyEnd = keyStart + 1 + key.count
        start[keyEnd] = UInt8(ascii: "\"")
        start[keyEnd + 1] = UInt8(ascii: ":")
        start[keyEnd + 2] = UInt8(ascii: " ")
        used += keyEnd + 3
        return true
    }

    /// Copies `text` to `destination` and returns whether none of its bytes is one that
    /// `ByteScan.isJSONSpecialByte` accepts.
    ///
    /// The bytes are copied and tested in the same pass, eight or four at a time, where a scan
    /// followed by a copy read every string twice and called `memcpy` for a few bytes. A text of
    /// eight bytes or more ends with one word that overlaps the word before it, and one of four to
    /// seven bytes is two overlapping halves. `destination` must have room for `text.count` bytes.
    /// The whole text is copied even when it has a special byte, and the callers then leave those
    /// bytes past `used` for the next append to overwrite.
    @inline(__always)
    private static func copyWithoutJSONSpecialBytes(_ text: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>) -> Bool {
        let count = text.count
        guard let base = text.baseAddress, count > 0 else { return true }
        let source = UnsafeRawPointer(base)
        let target = UnsafeMutableRawPointer(destination)
        var special: UInt64 = 0
        if count >= 8 {
            var offset = 0
            while offset <= count - 8 {
                let word = source.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                target.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                special |= ByteScan.jsonSpecialBytes(in: word)
                offset += 8
            }
            if offset < count {
                let word = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                target.storeBytes(of: word, toByteOffset: count - 8, as: UInt64.self)
                special |= ByteScan.jsonSpecialBytes(in: word)
            }
        } else if count >= 4 {
            let first = source.loadUnaligned(as: UInt32.self)
            let last = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            target.storeBytes(of: first, as: UInt32.self)
            target.storeBytes(of: last, toByteOffset: count - 4, as: UInt32.self)
            // Both halves are bytes of the text, so the word tests each byte at least once.
            special = ByteScan.jsonSpecialBytes(in: UInt64(first) | UInt64(last) << 32)
        } else {
            for offset in 0..<count {
                destination[offset] = base[offset]
                if ByteScan.isJSONSpecialByte(base[offset]) { special = 1 }
            }
        }
        return special == 0
    }

    /// Appends the UTF-8 bytes of `text`.
    mutating func append(_ text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }

    /// Moves the bytes in the chunk to the end of `bytes`, or with `partCapacity` to a new array
    /// when `bytes` has no room for them.
    private mutating func flush() {
        if let partCapacity, !bytes.isEmpty, bytes.count + used > partCapacity {
            fullParts.append(bytes)
            bytes = []
            bytes.reserveCapacity(partCapacity)
        }
        bytes.append(contentsOf: UnsafeBufferPointer(start: chunk, count: used))
        used = 0
    }
}
