/// The names of one lexical scope in slot order, shared by every `Environment` made for it.
///
/// A name's slot index is its position in `names`. The resolver builds one layout per block,
/// function and loop before evaluation, so an environment stores its values in an array instead
/// of a dictionary and a resolved name is read without hashing.
public final class ScopeLayout: Sendable {
    /// Each name once, in the order the scope first defines it.
    public let names: [String]
    private let indexes: [String: Int]

    /// Creates a layout of `names` in order, keeping the first position of a repeated name.
    public init(names: [String]) {
        var unique: [String] = []
        var indexes: [String: Int] = [:]
        for name in names where indexes[name] == nil {
            indexes[name] = unique.count
            unique.append(name)
        }
        self.names = unique
        self.indexes = indexes
    }

    public static let empty = ScopeLayout(names: [])

    public var count: Int { names.count }

    /// Returns the slot index of `name`, or `nil` when this scope does not define it.
    public func index(of name: String) -> Int? {
        indexes[name]
    }

    /// Returns a layout with the names of this one followed by those of `more` it lacks.
    public func adding(_ more: [String]) -> ScopeLayout {
        ScopeLayout(names: names + more)
    }
}
