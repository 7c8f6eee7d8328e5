#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Searches over the UTF-8 bytes of a string for the writers, the template checks and the ARN
/// scans. Nearly all the text they read contains none of the bytes they look for, so each search
/// skips plain text several bytes per step: with the C library's `memchr`, or eight bytes at a
/// time in a `UInt64`.
///
/// Every search reads only bytes inside the buffer it is given. A search for an offset returns
/// one in `start...bytes.count`, which is `bytes.count` when nothing was found, and a start offset
/// outside `0...bytes.count` finds nothing.
enum ByteScan {
    /// Returns the offset of the first `byte` at or after `start`.
    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int {
        guard let base = bytes.baseAddress, start >= 0, start < bytes.count,
              let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return bytes.count }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// Returns whether `bytes` contains `${`, the start of a Serverless variable or an `Fn::Sub`
    /// placeholder.
    static func containsPlaceholderStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var dollar = firstIndex(of: UInt8(ascii: "$"), in: bytes)
        while dollar + 1 < bytes.count {
            if bytes[dollar + 1] == UInt8(ascii: "{") { return true }
            dollar = firstIndex(of: UInt8(ascii: "$"), in: bytes, from: dollar + 1)
        }
        return false
    }

    /// Returns whether every byte is below 0x80, that is whether the text is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while let word = word(at: index, in: bytes) {
            if word & highBits != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// Returns whether every byte is an ASCII letter or digit (`A`...`Z`, `a`...`z`, `0`...`9`).
    static func isASCIIAlphanumeric(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while let word = word(at: index, in: bytes) {
            guard isAlphanumeric(word: word) else { return false }
            index += 8
        }
        // Fewer than eight bytes left after at least one whole word: the last eight bytes, which
        // overlap bytes already checked, are checked in one word.
        if index > 0, index < bytes.count, let last = word(at: bytes.count - 8, in: bytes) {
            return isAlphanumeric(word: last)
        }
        while index < bytes.count {
            let byte = bytes[index]
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            guard isLetter || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else { return false }
            index += 1
        }
        return true
    }

    /// Returns the offset of the first byte at or after `start` that `JSONWriter` may have to
    /// escape: a control character below 0x20, `"`, `\`, DEL (0x7F), or any byte of a non-ASCII
    /// character. Every other byte is printable ASCII and is written as it is.
    ///
    /// It is inlined because the writer calls it for every key and string, most of them a few
    /// bytes long, where the call cost about an eighth of the search's instructions.
    @inline(__always)
    static func firstJSONSpecialByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start >= 0 else { return bytes.count }
        var index = start
        // Whole words of plain bytes are skipped. The word with a special byte in it, or the
        // last few bytes, are searched byte by byte below, which finds the exact offset.
        while let word = word(at: index, in: bytes) {
            if jsonSpecialBytes(in: word) != 0 { break }
            index += 8
        }
        // Fewer than eight bytes left after at least one whole word: the last eight bytes,
        // which overlap plain bytes already read, tell in one test whether any is special.
        if index > start, index < bytes.count, index > bytes.count - 8,
           let last = word(at: bytes.count - 8, in: bytes), jsonSpecialBytes(in: last) == 0 {
            return bytes.count
        }
        while index < bytes.count, !isJSONSpecialByte(bytes[index]) {
            index += 1
        }
        return min(index, bytes.count)
    }

    /// Returns whether no byte of `bytes` is one that `isJSONSpecialByte` accepts, so that the
    /// JSON string literal of the text is the text between quotes. Eight or four bytes are tested
    /// at a time, as `OutputBuffer` copies them. A text of eight bytes or more ends with one word
    /// that overlaps the word before it, and one of four to seven bytes is two overlapping halves.
    static func containsNoJSONSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return true }
        let raw = UnsafeRawPointer(base)
        var special: UInt64 = 0
        if count >= 8 {
            var offset = 0
            while offset <= count - 8 {
                special |= jsonSpecialBytes(in: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            if offset < count {
                special |= jsonSpecialBytes(in: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }
        } else if count >= 4 {
            let first = raw.loadUnaligned(as: UInt32.self)
            let last = raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            special = jsonSpecialBytes(in: UInt64(first) | UInt64(last) << 32)
        } else {
            for offset in 0..<count where isJSONSpecialByte(base[offset]) { return false }
        }
        return special == 0
    }

    /// Returns whether `byte` is one of the bytes `firstJSONSpecialByte` looks for.
    @inline(__always)
    static func isJSONSpecialByte(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Returns the offset of the first byte at or after `start` that a rule of
    /// `YAMLQuoting.isPlainSafe` looks at inside the text: a control character below 0x20, DEL
    /// (0x7F), any byte of a non-ASCII character, `:` or `#`.
    static func firstYAMLPlainSpecialByte(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start >= 0 else { return bytes.count }
        var index = start
        while let word = word(at: index, in: bytes) {
            let special = (word & highBits)
                | self.bytes(below: 0x20, in: word)
                | self.bytes(equalTo: 0x7F, in: word)
                | self.bytes(equalTo: UInt8(ascii: ":"), in: word)
                | self.bytes(equalTo: UInt8(ascii: "#"), in: word)
            if special != 0 { break }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "#") { break }
            index += 1
        }
        return min(index, bytes.count)
    }

    // MARK: - Eight bytes at a time

    /// 0x01 in every byte of a word.
    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    /// 0x80 in every byte of a word.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Returns the eight bytes at `offset` as one word, or `nil` when fewer than eight bytes are
    /// left. The byte order does not matter to the tests below, which ask only whether some
    /// byte of the word matches.
    @inline(__always)
    private static func word(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard offset >= 0, offset <= bytes.count - 8 else { return nil }
        return UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Returns a word with the high bit set in the bytes of `word` that are below `limit`, and
    /// maybe in more significant bytes than such a byte, for `limit` up to 0x80. It is zero exactly when no byte
    /// is below `limit`. Subtracting `limit` from a byte below it borrows into the byte's high
    /// bit. The `& ~word` then drops bytes whose high bit was set already, because they are 0x80
    /// or more. A borrow only runs on into the next more significant byte from a byte that matched.
    @inline(__always)
    private static func bytes(below limit: UInt8, in word: UInt64) -> UInt64 {
        (word &- lowBits &* UInt64(limit)) & ~word & highBits
    }

    /// Returns a word that is zero exactly when no byte of `word` equals `byte`: that byte, and
    /// only that byte, becomes zero after the `^`.
    @inline(__always)
    private static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        bytes(below: 1, in: word ^ (lowBits &* UInt64(byte)))
    }

    /// Returns whether all eight bytes of `word` are ASCII letters or digits.
    @inline(__always)
    private static func isAlphanumeric(word: UInt64) -> Bool {
        // Setting bit 0x20 of each byte maps `A`...`Z` onto `a`...`z`, and maps no other ASCII
        // byte into that range.
        guard word & highBits == 0 else { return false }
        let digits = bytes(inASCII: word, from: UInt8(ascii: "0"), through: UInt8(ascii: "9"))
        let letters = bytes(inASCII: word | (lowBits &* 0x20), from: UInt8(ascii: "a"), through: UInt8(ascii: "z"))
        return digits | letters == highBits
    }

    /// Returns a word with the high bit set in exactly the bytes of `word` in `low...high`, for a
    /// word of ASCII bytes (all below 0x80) and `low` at least 1. Adding `0x80 - low` to such a
    /// byte sets its high bit exactly when the byte is at least `low`, and adding `0x7F - high`
    /// exactly when it is above `high`. Neither sum reaches 0x100, so no byte carries into the next.
    @inline(__always)
    private static func bytes(inASCII word: UInt64, from low: UInt8, through high: UInt8) -> UInt64 {
        let atLeastLow = word &+ lowBits &* UInt64(0x80 - low)
        let aboveHigh = word &+ lowBits &* UInt64(0x7F - high)
        return atLeastLow & ~aboveHigh & highBits
    }

    /// Returns a word that is zero exactly when no byte of `word` is one that `isJSONSpecialByte`
    /// accepts. The tests are combined with `|` rather than `||`, so that the word costs no
    /// branches.
    ///
    /// The first term finds the bytes of 0x7F and more at once: adding 1 to each byte sets the
    /// high bit of 0x7F, and the `|` keeps the high bit of the bytes that had it. A carry out of
    /// a byte comes only from 0xFF, which is found anyway, and only changes more significant bytes.
    @inline(__always)
    static func jsonSpecialBytes(in word: UInt64) -> UInt64 {
        ((word | (word &+ lowBits)) & highBits)
            | bytes(below: 0x20, in: word)
            | bytes(equalTo: UInt8(ascii: "\""), in: word)
            | bytes(equalTo: UInt8(ascii: "\\"), in: word)
    }
}
