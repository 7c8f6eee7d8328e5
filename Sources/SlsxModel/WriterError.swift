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

/// A writer error on its way up from the node that caused it. The writers add the key or index
/// of each level as the recursion unwinds, so writing a node keeps no path at all, and only a
/// failure, which ends the write, pays for its path.
struct WriterFailure: Error {
    enum Cause {
        case nonFiniteNumber(Double)
        case nestingTooDeep(limit: Int)
    }

    enum Component {
        case key(String)
        case index(Int)
    }

    var cause: Cause
    /// The path from the failing node up to the level the failure has reached, deepest first.
    var reversedPath: [Component] = []

    /// Returns this failure with the key or index of the next level up added to its path.
    func inside(_ component: Component) -> WriterFailure {
        var failure = self
        failure.reversedPath.append(component)
        return failure
    }

    /// The error as `WriterError`, with the path from the root.
    var writerError: WriterError {
        var path = NodePath()
        for component in reversedPath.reversed() {
            switch component {
            case .key(let key): path.push(key: key)
            case .index(let index): path.push(index: index)
            }
        }
        switch cause {
        case .nonFiniteNumber(let value): return .nonFiniteNumber(value, path: path.text)
        case .nestingTooDeep(let limit): return .nestingTooDeep(limit: limit, path: path.text)
        }
    }
}

/// The path of the node a writer or converter is at, such as `functions.worker.events[0].stream`.
///
/// A walk over a tree pushes a key or an index before each child and pops it after, so a path
/// costs no string work unless an error spells it out with `text`.
public struct NodePath: Sendable {
    private enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    private var components: [Component] = []

    public init() {}

    public mutating func push(key: String) {
        components.append(.key(key))
    }

    public mutating func push(index: Int) {
        components.append(.index(index))
    }

    public mutating func pop() {
        components.removeLast()
    }

    /// Keys joined by `.`, each index as `[n]`; the empty string at the root. A path of more than
    /// 12 components shows the first 8 and the last 3, with the number left out between them
    /// (`a.b[0]…(199000 more)….y.z`), so that a message about a deep value stays one short line.
    public var text: String {
        guard components.count > 12 else { return Self.join(components[...]) }
        let leftOut = components.count - 11
        return Self.join(components.prefix(8)) + "…(\(leftOut) more)…" + Self.join(components.suffix(3), leadingDot: true)
    }

    private static func join(_ components: ArraySlice<Component>, leadingDot: Bool = false) -> String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text = text.isEmpty && !leadingDot ? key : text + "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
