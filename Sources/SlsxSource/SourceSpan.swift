/// A range of bytes in one source file: where a token, an AST node or a value was written.
///
/// Spans are carried from the lexer through the evaluator into the model, so that a check on a
/// value reports the place where the user typed it, even when it reached the check through a
/// variable, a function call or a loop.
///
/// A span is a plain 12-byte value: it names its file by the file's identifier instead of holding
/// a reference, so copying the tokens, values and nodes that carry spans does no reference
/// counting. It does not keep its file alive, and `file` looks the file up in `SourceFileTable`.
public struct SourceSpan: Sendable {
    /// The identifier of the file the span points into.
    let fileIdentifier: UInt32
    // The offsets are stored in 32 bits: every token, expression, value and model node carries a
    // span, and this keeps a span at 12 bytes and an optional span within 16.
    private let storedStart: UInt32
    private let storedEnd: UInt32

    /// The file the span points into, or `SourceFile.unavailable` when that file has been released.
    /// Each call takes the file table's lock, so code that reads many spans of one file should
    /// keep the file rather than ask every span for it.
    public var file: SourceFile {
        SourceFileTable.shared.file(withIdentifier: fileIdentifier) ?? SourceFile.unavailable
    }

    /// The byte offset of the first byte.
    public var start: Int { Int(storedStart) }
    /// The byte offset just past the last byte; equal to `start` for an empty span.
    public var end: Int { Int(storedEnd) }

    /// Creates the span of bytes `start..<end` in `file`. An `end` before `start` gives an empty span.
    public init(file: SourceFile, start: Int, end: Int) {
        self.init(fileIdentifier: file.identifier, start: start, end: end)
    }

    /// Creates the span of bytes `start..<end` in the file with `fileIdentifier`.
    init(fileIdentifier: UInt32, start: Int, end: Int) {
        self.fileIdentifier = fileIdentifier
        // NOTE: offsets past 4 GiB are clamped to 4 GiB, so in a larger script a span points at
        // that offset instead of its own place.
        self.storedStart = UInt32(clamping: start)
        self.storedEnd = UInt32(clamping: max(start, end))
    }

    /// The location of the first byte.
    public var startLocation: SourceLocation { file.location(ofOffset: start) }

    /// The location just past the last byte.
    public var endLocation: SourceLocation { file.location(ofOffset: end) }

    /// Returns the span of bytes `start..<end` in the same file as `self`. It reads no
    /// `SourceFile`, so code that makes many spans of one file, such as the parser, does no
    /// reference counting.
    public func inSameFile(start: Int, end: Int) -> SourceSpan {
        SourceSpan(fileIdentifier: fileIdentifier, start: start, end: end)
    }

    /// Returns whether `other` points into the same file as `self`, without reading either file.
    public func isInSameFile(as other: SourceSpan) -> Bool {
        fileIdentifier == other.fileIdentifier
    }

    /// The span that covers both `self` and `other`; `other` must be in the same file.
    public func merged(with other: SourceSpan) -> SourceSpan {
        SourceSpan(fileIdentifier: fileIdentifier, start: min(start, other.start), end: max(end, other.end))
    }

    /// The text the span covers, or the part of it that lies inside the file: empty for the span
    /// of a released file.
    public var text: String {
        let bytes = file.bytes
        let upper = min(end, bytes.count)
        let lower = min(start, upper)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}

extension SourceSpan: Equatable {
    public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        lhs.fileIdentifier == rhs.fileIdentifier && lhs.start == rhs.start && lhs.end == rhs.end
    }
}

extension SourceSpan: CustomStringConvertible {
    /// `path:line:column`, the form diagnostics print.
    public var description: String {
        let file = file
        return "\(file.path):\(file.location(ofOffset: start))"
    }
}
