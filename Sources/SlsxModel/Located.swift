import SlsxSource

/// A model value together with the place in the script where it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var span: SourceSpan?

    public init(_ value: Value, at span: SourceSpan? = nil) {
        self.value = value
        self.span = span
    }
}

extension Located: Equatable where Value: Equatable {
    /// Compares values only, like `Node`.
    public static func == (lhs: Located, rhs: Located) -> Bool { lhs.value == rhs.value }
}
