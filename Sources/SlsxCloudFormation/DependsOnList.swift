import SlsxModel

/// The names in a resource's `DependsOn`, without those that the resource's properties already imply.
///
/// A `Ref` or `Fn::GetAtt` in a resource's properties makes CloudFormation create the target first,
/// so a `DependsOn` entry for the same target is redundant. The framework writes such entries, such
/// as a mapping that depends on the consumer whose `Ref` it reads, and cfn-lint reports them as
/// W3005. Each builder removes them from the properties it has just built, instead of a later pass
/// that looks the entries up in the finished resource again.
struct DependsOnList {
    private(set) var names: [String]

    init(_ names: [String]) {
        self.names = names
    }

    /// Removes every name that a `Ref` or `Fn::GetAtt` in the values of `properties` refers to,
    /// except in the value at `skippedIndex`, which the caller has checked already. The walk stops
    /// `ScriptResources.maximumDepth` levels below the properties mapping.
    mutating func removeNames(referencedIn properties: [Node.Entry], skipping skippedIndex: Int? = nil) {
        for index in properties.indices where index != skippedIndex && Self.isCollection(properties[index].value) {
            removeNames(referencedIn: properties[index].value, depth: 1)
        }
    }

    /// Returns the value of `DependsOn`: `nil` when no name is left, else a list of the names, or
    /// the one name as a string when `asString` is set.
    func node(asString: Bool = false) -> Node? {
        if names.isEmpty { return nil }
        if asString, names.count == 1 { return .string(names[0]) }
        return Intrinsics.strings(names)
    }

    /// Removes every name that a `Ref` or `Fn::GetAtt` in `node` refers to, for a node `depth`
    /// levels below a properties mapping, as `removeNames(referencedIn:skipping:)` walks it.
    mutating func removeNames(referencedIn node: Node, depth: Int) {
        guard depth < ScriptResources.maximumDepth, !names.isEmpty else { return }
        // Most values are scalars, so the loops below look at a value's kind before they call
        // this function for it, which would copy (retain) the value's payload.
        switch node.kind {
        case .sequence(let items):
            for index in items.indices where Self.isCollection(items[index]) {
                removeNames(referencedIn: items[index], depth: depth + 1)
            }
        case .mapping(let entries):
            if entries.count == 1 {
                removeTarget(key: entries[0].key, argument: entries[0].value)
            }
            for index in entries.indices where Self.isCollection(entries[index].value) {
                removeNames(referencedIn: entries[index].value, depth: depth + 1)
            }
        default:
            break
        }
    }

    private static func isCollection(_ node: Node) -> Bool {
        switch node.kind {
        case .sequence, .mapping: return true
        default: return false
        }
    }

    /// Removes the target of the one entry of `{Ref: name}` or `{Fn::GetAtt: [name, attribute]}`.
    private mutating func removeTarget(key: String, argument: Node) {
        let target: String?
        switch key {
        case "Ref": target = argument.stringValue
        case "Fn::GetAtt": target = argument.sequenceValue?.first?.stringValue
        default: target = nil
        }
        // `removeAll` would copy a list that is still shared even when it removes nothing.
        guard let target, names.contains(target) else { return }
        names.removeAll { $0 == target }
    }
}
