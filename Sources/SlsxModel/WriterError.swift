/// A node tree that a writer cannot write as valid output.
public enum WriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A float that the format cannot hold (NaN or an infinity in JSON), at a path such as
    /// `functions.worker.timeout`.
    case nonFiniteNumber(Double, path: String)
    /// Nesting deeper than the writer's limit, at the path where the limit was reached.
    case nestingTooDeep(limit: Int, path: String)

    public var description: String {
        switch self {
        case .nonFiniteNumber(let value, let path):
            return "cannot write \(value) at \(path.isEmpty ? "the root" : path) as JSON: "
                + "JSON has no NaN or infinity"
        case .nestingTooDeep(let limit, let path):
            return "cannot write \(path.isEmpty ? "the root" : path): nesting deeper than \(limit) levels"
        }
    }
}

/// The path of a node inside a tree, as writers report it: `functions.worker.events[0].stream`.
struct NodePath {
    private(set) var text = ""

    func appending(key: String) -> NodePath {
        NodePath(text: text.isEmpty ? key : text + "." + key)
    }

    func appending(index: Int) -> NodePath {
        NodePath(text: text + "[\(index)]")
    }
}
