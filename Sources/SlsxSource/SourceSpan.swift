/// A range of bytes in one source file: where a token, an AST node or a value was written.
///
/// Spans are carried from the lexer through the evaluator into the model, so that a check on a
/// value reports the place where the user typed it, even when it reached the check through a
/// variable, a function call or a loop.
public struct SourceSpan: Sendable {
    /// The file the span points into.
    public let file: SourceFile
    // The offsets are stored in 32 bits: every token, expression, value and model node carries a
    // span, and this keeps an optional span at 16 bytes instead of 24.
    private let storedStart: UInt32
    private let storedEnd: UInt32

    /// The byte offset of the first byte.
    public var start: Int { Int(storedStart) }
    /// The byte offset just past the last byte; equal to `start` for an empty span.
    public var end: Int { Int(storedEnd) }

    /// Creates the span of bytes `start..<end` in `file`. An `end` before `start` gives an empty span.
    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        // NOTE: offsets past 4 GiB are clamped to 4 GiB, so in a larger script a span points at
        // that offset instead of its own place.
        self.storedStart = UInt32(clamping: start)
        self.storedEnd = UInt32(clamping: max(start, end))
    }

    /// The location of the first byte.
    public var startLocation: SourceLocation { file.location(ofOffset: start) }

    /// The location just past the last byte.
    public var endLocation: SourceLocation { file.location(ofOffset: end) }

    /// The span that covers both `self` and `other`; `other` must be in the same file.
    public func merged(with other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// The text the span covers.
    public var text: String {
        String(decoding: file.bytes[start..<min(end, file.bytes.count)], as: UTF8.self)
    }
}

extension SourceSpan: Equatable {
    public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        lhs.file === rhs.file && lhs.start == rhs.start && lhs.end == rhs.end
    }
}

extension SourceSpan: CustomStringConvertible {
    /// `path:line:column`, the form diagnostics print.
    public var description: String { "\(file.path):\(startLocation)" }
}
