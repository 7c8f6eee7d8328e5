/// Indentation for the writers: runs of spaces copied from one shared buffer, which appends
/// faster than a `repeatElement` sequence appended element by element.
enum Indentation {
    /// Enough spaces for the deepest nesting either writer accepts (512 levels of 2 spaces) and
    /// the line inside it.
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 1_100)

    /// Appends `count` spaces to `output`.
    static func append(_ count: Int, to output: inout [UInt8]) {
        if count <= spaces.count {
            output.append(contentsOf: spaces[..<max(count, 0)])
        } else {
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
        }
    }
}
