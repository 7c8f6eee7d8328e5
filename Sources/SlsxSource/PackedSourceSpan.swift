/// An optional `SourceSpan` in the 12 bytes of a span, for the values that are made by the
/// million: model nodes, language values and their map entries.
///
/// `SourceSpan?` takes 13 bytes, because every bit pattern of a span's three 32-bit fields is a
/// valid span and the optional needs a byte of its own to record whether it contains one. In a struct
/// that byte costs more than itself: a `Node` (a 17-byte kind and an optional span) took 40 bytes
/// with it and takes 32 without it. This type marks the absent span with a file identifier that
/// `SourceFileTable` never hands out (`absentFileIdentifier`), so it needs no extra byte.
///
/// A type stores it and exposes `span` as a computed `SourceSpan?`, so callers never see it.
public struct PackedSourceSpan: Sendable {
    /// The file identifier that marks the absence of a span. `SourceFileTable` stops giving out
    /// identifiers before it.
    static let absentFileIdentifier = UInt32.max

    private static let absent = SourceSpan(fileIdentifier: absentFileIdentifier, start: 0, end: 0)

    private var storage: SourceSpan

    @inline(__always)
    public init(_ span: SourceSpan?) {
        storage = span ?? Self.absent
    }

    /// The span, or `nil` when none was stored.
    public var span: SourceSpan? {
        @inline(__always) get { storage.fileIdentifier == Self.absentFileIdentifier ? nil : storage }
        @inline(__always) set { storage = newValue ?? Self.absent }
    }
}
