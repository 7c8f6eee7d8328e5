/// Searching, splitting and trimming of strings by their UTF-8 bytes instead of by `Character`.
///
/// Swift treats "\r\n" as one `Character`, so a `Character` search for "\n" misses the line break
/// in "a\r\nb". The string built-ins therefore compare UTF-8 bytes. Because UTF-8 is
/// self-synchronizing, a match of a whole valid UTF-8 pattern starts and ends on Unicode scalar
/// boundaries, so every slice taken at match boundaries is valid text.
enum TextSearch {
    /// A pattern prepared for Knuth-Morris-Pratt search, which takes time linear in the lengths of
    /// the text and the pattern, so a hostile pattern cannot make a search quadratic.
    struct Pattern {
        let bytes: [UInt8]
        /// `failure[i]` is the length of the longest proper prefix of `bytes[0...i]` that is also
        /// its suffix.
        private let failure: [Int]

        init(_ text: String) {
            let bytes = Array(text.utf8)
            var failure = [Int](repeating: 0, count: bytes.count)
            var length = 0
            var position = 1
            while position < bytes.count {
                if bytes[position] == bytes[length] {
                    length += 1
                    failure[position] = length
                    position += 1
                } else if length > 0 {
                    length = failure[length - 1]
                } else {
                    position += 1
                }
            }
            self.bytes = bytes
            self.failure = failure
        }

        /// Returns the byte offset of the first match that starts at or after `start`, or `nil`.
        /// An empty pattern matches at `start`.
        func firstMatch(in text: [UInt8], from start: Int) -> Int? {
            guard !bytes.isEmpty else { return start <= text.count ? start : nil }
            var matched = 0
            var position = start
            while position < text.count {
                if text[position] == bytes[matched] {
                    matched += 1
                    position += 1
                    if matched == bytes.count {
                        return position - matched
                    }
                } else if matched > 0 {
                    matched = failure[matched - 1]
                } else {
                    position += 1
                }
            }
            return nil
        }

        /// Returns the number of non-overlapping matches in `text`, searching from the left, and
        /// stops counting once it exceeds `limit`. The pattern must not be empty.
        func countMatches(in text: [UInt8], limit: Int = Int.max) -> Int {
            var count = 0
            var start = 0
            while count <= limit, let match = firstMatch(in: text, from: start) {
                count += 1
                start = match + bytes.count
            }
            return count
        }

        /// Returns the text between non-overlapping matches, from the left: one more part than
        /// there are matches. The pattern must not be empty.
        func split(_ text: [UInt8]) -> [String] {
            var parts: [String] = []
            var start = 0
            while let match = firstMatch(in: text, from: start) {
                parts.append(String(decoding: text[start..<match], as: UTF8.self))
                start = match + bytes.count
            }
            parts.append(String(decoding: text[start...], as: UTF8.self))
            return parts
        }

        /// Returns `text` with every non-overlapping match replaced by `replacement`, from the left.
        /// `capacity` is the result's size in bytes, which the caller has computed and checked.
        /// The pattern must not be empty.
        func replace(in text: [UInt8], with replacement: String, capacity: Int) -> String {
            var result: [UInt8] = []
            result.reserveCapacity(capacity)
            var start = 0
            while let match = firstMatch(in: text, from: start) {
                result.append(contentsOf: text[start..<match])
                result.append(contentsOf: replacement.utf8)
                start = match + bytes.count
            }
            result.append(contentsOf: text[start...])
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// Returns whether the UTF-8 bytes of `text` end with those of `suffix`.
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let textBytes = text.utf8
        let suffixBytes = suffix.utf8
        guard suffixBytes.count <= textBytes.count else { return false }
        return textBytes.suffix(suffixBytes.count).elementsEqual(suffixBytes)
    }

    /// Returns `text` without spaces, tabs, line feeds and carriage returns at either end. These
    /// are single ASCII bytes, so "\r\n" is removed like any other pair of them.
    static func trim(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
