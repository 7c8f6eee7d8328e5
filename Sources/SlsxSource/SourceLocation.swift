/// A position in a source file: 1-based line and column, and the 0-based UTF-8 byte offset.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int
    /// The 0-based byte offset into the file's UTF-8 text.
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// `line:column`, the form diagnostics print.
    public var description: String { "\(line):\(column)" }
}
