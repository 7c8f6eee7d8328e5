import Synchronization

/// Writes a `Node` as JSON (RFC 8259).
///
/// - `.indented`: two spaces per level, `"key": value`, empty collections as `[]` and `{}`, and a final
///   line break: the layout of `JSON.stringify(value, null, 2)`.
/// - `.compact`: no whitespace at all, as `JSON.stringify(value)` writes Lambda filter patterns; floats
///   with an integral value are written without `.0` (`5.0` → `5`).
///
/// Keys keep the node's order. Strings escape `"`, `\`, the control characters U+0000...U+001F and
/// U+007F...U+009F, and the separators U+2028 and U+2029, because some JavaScript readers take those
/// as line breaks. `/` and other text, non-ASCII included, is written raw. NaN and infinities have no JSON
/// form, so `write` throws `WriterError.nonFiniteNumber` instead of writing invalid JSON.
public struct JSONWriter: Sendable {
    public enum Style: Sendable, Equatable {
        case indented
        case compact
    }

    /// The deepest nesting of arrays and objects the writer accepts.
    public static let maximumDepth = 512

    public var style: Style

    public init(style: Style = .indented) {
        self.style = style
    }

    /// Returns the JSON text of `node`, or throws `WriterError` for a non-finite float or nesting
    /// deeper than `maximumDepth`.
    public func write(_ node: Node) throws(WriterError) -> String {
        String(decoding: try encode(node), as: UTF8.self)
    }

    /// Returns the JSON text of `node` as UTF-8 bytes, the same bytes as `write`, for callers that
    /// write the text to a file and need no `String` copy of it. `capacity` is the number of bytes
    /// to reserve before writing, and the buffer still grows past it when needed.
    public func encode(_ node: Node, reservingCapacity capacity: Int = 0) throws(WriterError) -> [UInt8] {
        // The text is built as UTF-8 bytes, which append without String's per-append checks.
        do throws(Failure) {
            return try OutputBuffer.collect(reservingCapacity: capacity) { (output) throws(Failure) in
                try writeValue(node, indent: 0, depth: 0, into: &output)
                if style == .indented { output.append(UInt8(ascii: "\n")) }
            }
        } catch {
            throw error.writerError
        }
    }

    /// Returns the same bytes as `encode(node)`, in the parts that `writeInParts` delivers, in
    /// order.
    public func encodeInParts(
        _ node: Node, splitKey: String, minimumSplitCount: Int = 256, runCount: Int = 16, reservingCapacity capacity: Int = 0
    ) throws(WriterError) -> [[UInt8]] {
        let collector = PartCollector()
        try writeInParts(
            node, splitKey: splitKey, minimumSplitCount: minimumSplitCount, runCount: runCount,
            reservingCapacity: capacity, to: { collector.append($0) })
        return collector.parts
    }

    /// Writes the same bytes as `encode(node)` to `deliver`, in parts that follow each other,
    /// written on two threads at once (`ForkJoin`). The parts are the text before the entries of
    /// the mapping under `splitKey` of the top-level mapping (such as a template's `Resources`),
    /// those entries in `runCount` runs of about the same number of entries, and the text after
    /// them. Returns the number of bytes delivered.
    ///
    /// Each thread writes the next run that no thread has taken yet. So one large entry (a role
    /// with thousands of statements) does not leave the other thread waiting, as it would with a
    /// split into two halves of the entries. Which thread writes a part depends on the timing, but
    /// the parts and their order do not.
    ///
    /// A run is passed to `deliver` as soon as it and every part before it are written
    /// (`InOrderDelivery`). So the caller can send the text on while later runs are still being
    /// written, and each run's arrays are freed once `deliver` returns. `deliver` runs on either
    /// thread, never on both at once.
    ///
    /// When `node` has no such mapping, or one of fewer than `minimumSplitCount` entries, there is
    /// one part. On errors it throws what `encode` throws: the error of the first part that fails.
    /// The parts before that one may have been delivered already, and none after it is. Each run
    /// fills arrays of `capacity` divided by the number of runs (at least 64 KiB), and starts a
    /// new array when one is full instead of growing it.
    @discardableResult
    public func writeInParts(
        _ node: Node, splitKey: String, minimumSplitCount: Int = 256, runCount: Int = 16, reservingCapacity capacity: Int = 0,
        to deliver: @escaping @Sendable ([UInt8]) -> Void
    ) throws(WriterError) -> Int {
        guard case .mapping(let entries) = node.kind,
              let splitIndex = entries.firstIndex(where: { $0.key == splitKey }),
              case .mapping(let inner) = entries[splitIndex].value.kind,
              inner.count >= max(minimumSplitCount, 2)
        else {
            let bytes = try encode(node, reservingCapacity: capacity)
            deliver(bytes)
            return bytes.count
        }
        let runs = ForkJoin.runs(of: inner.count, count: runCount)
        let runCapacity = max(capacity, 0) / runs.count
        // Part 0 is the text before the entries, parts 1 through `runs.count` are the runs, and
        // the last part is the text after them.
        let partCount = runs.count + 2
        let writePart = { @Sendable (part: Int) -> Result<[[UInt8]], WriterError> in
            if part == 0 {
                // `{`, the entries before `splitKey`, then `"splitKey": {`.
                return collectPart(reservingCapacity: 0) { (output) throws(Failure) in
                    output.append(UInt8(ascii: "{"))
                    for index in 0..<splitIndex {
                        try writeEntry(entries, at: index, indent: 2, depth: 1, into: &output)
                    }
                    if splitIndex > 0 { output.append(UInt8(ascii: ",")) }
                    newline(2, into: &output)
                    JSONWriter.appendQuoted(splitKey, to: &output)
                    output.append(style == .indented ? ": {" : ":{")
                }.map { [$0] }
            }
            if part == partCount - 1 {
                // The `}` of `splitKey`, the entries after it and the final `}`.
                return collectPart(reservingCapacity: 0) { (output) throws(Failure) in
                    newline(2, into: &output)
                    output.append(UInt8(ascii: "}"))
                    for index in (splitIndex + 1)..<entries.count {
                        try writeEntry(entries, at: index, indent: 2, depth: 1, into: &output)
                    }
                    newline(0, into: &output)
                    output.append(UInt8(ascii: "}"))
                    if style == .indented { output.append(UInt8(ascii: "\n")) }
                }.map { [$0] }
            }
            // `writeEntry` starts every entry but the mapping's first with a comma, so each run
            // continues the text of the run before it.
            do throws(Failure) {
                return .success(try OutputBuffer.collectParts(partCapacity: runCapacity) { (output) throws(Failure) in
                    for index in runs[part - 1] {
                        try writeEntry(inner, at: index, indent: 4, depth: 2, into: &output)
                    }
                })
            } catch {
                return .failure(error.inside(.key(splitKey)).writerError)
            }
        }

        let delivery = InOrderDelivery<[[UInt8]], WriterError> { arrays in
            for bytes in arrays { deliver(bytes) }
        }
        let nextPart = RunCounter()
        // Parts are taken in index order, so when one fails, every part before it is already
        // taken, and a thread may stop: nothing after a failed part is delivered.
        let writeParts = { @Sendable () -> Int in
            var byteCount = 0
            while !delivery.hasFailed, let part = nextPart.take(below: partCount) {
                let bytes = writePart(part)
                if case .success(let arrays) = bytes {
                    byteCount += arrays.reduce(0) { $0 + $1.count }
                }
                delivery.finish(part, bytes)
            }
            return byteCount
        }
        let (first, second) = ForkJoin.run(writeParts, writeParts)
        if let failure = delivery.firstFailure { throw failure }
        return first + second
    }

    /// Returns the bytes that `body` appends, or the error it throws with its path.
    private func collectPart(
        reservingCapacity capacity: Int, _ body: (inout OutputBuffer) throws(Failure) -> Void
    ) -> Result<[UInt8], WriterError> {
        do throws(Failure) {
            return .success(try OutputBuffer.collect(reservingCapacity: capacity, body))
        } catch {
            return .failure(error.writerError)
        }
    }

    /// Writes `node` at `depth`, with its inner lines at `indent`.
    ///
    /// The recursion hands each child on as its array and index (`writeItem`, `writeEntry`), not
    /// as a `Node`. Swift copies a `Node` argument read from an array (a retain and a release of
    /// its payload), but reads the element in place when this function is inlined into them.
    @inline(__always)
    private func writeValue(_ node: Node, indent: Int, depth: Int, into output: inout OutputBuffer) throws(Failure) {
        guard depth <= JSONWriter.maximumDepth else { throw Failure(cause: .nestingTooDeep(limit: JSONWriter.maximumDepth)) }
        switch node.kind {
        case .null:
            output.append("null")
        case .bool(let value):
            output.append(value ? "true" : "false")
        case .integer(let value):
            output.append(decimal: value)
        case .float(let value):
            guard value.isFinite else { throw Failure(cause: .nonFiniteNumber(value)) }
            output.append(floatText(value))
        case .string(let text):
            JSONWriter.appendQuoted(text, to: &output)
        case .sequence(let items):
            guard !items.isEmpty else {
                output.append("[]")
                return
            }
            output.append(UInt8(ascii: "["))
            for index in items.indices {
                try writeItem(items, at: index, indent: indent + 2, depth: depth + 1, into: &output)
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "]"))
        case .mapping(let entries):
            guard !entries.isEmpty else {
                output.append("{}")
                return
            }
            output.append(UInt8(ascii: "{"))
            for index in entries.indices {
                try writeEntry(entries, at: index, indent: indent + 2, depth: depth + 1, into: &output)
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Writes one item of a list, preceded by a comma unless it is the first, at `indent` and
    /// `depth`.
    private func writeItem(_ items: [Node], at index: Int, indent: Int, depth: Int, into output: inout OutputBuffer) throws(Failure) {
        if index > 0 { output.append(UInt8(ascii: ",")) }
        newline(indent, into: &output)
        do throws(Failure) {
            try writeValue(items[index], indent: indent, depth: depth, into: &output)
        } catch {
            throw error.inside(.index(index))
        }
    }

    /// Writes one entry of a mapping, preceded by a comma unless it is the first: `"key": value`
    /// at `indent`, with the value at `depth`.
    private func writeEntry(
        _ entries: [Node.Entry], at index: Int, indent: Int, depth: Int, into output: inout OutputBuffer
    ) throws(Failure) {
        let isStarted = style == .indented && entries[index].key.withUTF8Bytes { key in
            output.appendIndentedKeyIfNoJSONEscape(key, indent: indent, comma: index > 0)
        }
        if !isStarted {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            newline(indent, into: &output)
            JSONWriter.appendQuoted(entries[index].key, to: &output)
            output.append(UInt8(ascii: ":"))
            if style == .indented { output.append(UInt8(ascii: " ")) }
        }
        do throws(Failure) {
            try writeValue(entries[index].value, indent: indent, depth: depth, into: &output)
        } catch {
            throw error.inside(.key(entries[index].key))
        }
    }

    private typealias Failure = WriterFailure

    private func newline(_ indent: Int, into output: inout OutputBuffer) {
        guard style == .indented else { return }
        output.appendLineBreak(indent: indent)
    }

    /// Swift's shortest round-trip form (`0.1`, `1.0`, `1e+20`). In compact mode an integral value
    /// that fits in `Int64` is written as an integer, as JavaScript does.
    ///
    /// NOTE: JavaScript writes integral values up to 1e21 in full and small exponents as `1e-7`. This
    /// writer spells them `1e+20` and `1e-07`, which read back as the same numbers.
    private func floatText(_ value: Double) -> String {
        // The range check comes first because converting a Double outside Int64's range traps.
        if style == .compact, value > -9.2e18, value < 9.2e18, Double(Int64(value)) == value {
            return String(Int64(value))
        }
        return value.description
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        let bytes = OutputBuffer.collect(reservingCapacity: text.utf8.count + 2) { output in
            appendQuoted(text, to: &output)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, escaped as the type's documentation lists.
    static func appendQuoted(_ text: String, to output: inout OutputBuffer) {
        text.withUTF8Bytes { bytes in
            // Nearly every string needs no escape, and is copied and tested in one pass.
            if output.appendQuotedIfNoJSONEscape(bytes) { return }
            appendEscaped(bytes, to: &output)
        }
    }

    /// Appends the UTF-8 text `bytes` as a JSON string literal, escaping what needs it.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout OutputBuffer) {
        output.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are found by `ByteScan` and appended whole.
        var copiedUpTo = 0
        var index = ByteScan.firstJSONSpecialByte(in: bytes, from: 0)
        while index < bytes.count {
            guard let (escape, width) = escapeSequence(at: index, in: bytes) else {
                index = ByteScan.firstJSONSpecialByte(in: bytes, from: index + 1)
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<index]))
            output.append(escape)
            copiedUpTo = index + width
            index = ByteScan.firstJSONSpecialByte(in: bytes, from: copiedUpTo)
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copiedUpTo..<bytes.count]))
        output.append(UInt8(ascii: "\""))
    }

    /// Returns the number of Unicode scalars in the JSON string literal of `text`, quotes included,
    /// as `quoted(text)` would write it, without writing it.
    public static func quotedScalarCount(_ text: String) -> Int {
        text.withUTF8Bytes { bytes in
            // Nearly every text is printable ASCII without `"` or `\`: one scalar per byte.
            if ByteScan.containsNoJSONSpecialByte(bytes) { return bytes.count + 2 }
            var count = 2
            var index = 0
            while true {
                // Up to the next special byte, the text is printable ASCII: one scalar per byte.
                let special = ByteScan.firstJSONSpecialByte(in: bytes, from: index)
                count += special - index
                index = special
                guard index < bytes.count else { return count }
                if let (escape, width) = escapeSequence(at: index, in: bytes) {
                    count += escape.utf8.count  // Escapes are ASCII: one scalar per byte.
                    index += width
                    continue
                }
                // Every scalar has exactly one byte that is not a continuation byte (10xxxxxx).
                if bytes[index] & 0xC0 != 0x80 { count += 1 }
                index += 1
            }
        }
    }

    /// Returns the escape for the scalar that starts at `bytes[index]` and the number of bytes it
    /// replaces, or `nil` when the scalar is written raw. `bytes` is valid UTF-8, as every `String`
    /// is, and `index` must be within it. Reads past `index` are checked against `bytes.count`.
    private static func escapeSequence(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (String, Int)? {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""): return ("\\\"", 1)
        case UInt8(ascii: "\\"): return ("\\\\", 1)
        case UInt8(ascii: "\n"): return ("\\n", 1)
        case UInt8(ascii: "\r"): return ("\\r", 1)
        case UInt8(ascii: "\t"): return ("\\t", 1)
        case 0x08: return ("\\b", 1)
        case 0x0C: return ("\\f", 1)
        case 0x00...0x1F, 0x7F: return (unicodeEscape(UInt32(byte)), 1)
        case 0xC2:
            // U+0080...U+009F are C2 80...C2 9F in UTF-8.
            guard index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) else { return nil }
            return (unicodeEscape(UInt32(bytes[index + 1])), 2)
        case 0xE2:
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80,
                  bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
            else { return nil }
            return (unicodeEscape(0x2000 + UInt32(bytes[index + 2]) - 0x80), 3)
        default:
            return nil
        }
    }

    /// `\u` and four lowercase hexadecimal digits.
    private static func unicodeEscape(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// The parts of `JSONWriter.encodeInParts`, appended in order by one thread at a time.
private final class PartCollector: Sendable {
    private let collected = Mutex<[[UInt8]]>([])

    func append(_ bytes: [UInt8]) {
        collected.withLock { $0.append(bytes) }
    }

    var parts: [[UInt8]] {
        collected.withLock { $0 }
    }
}
