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

    /// Removes every name that a `Ref` or `Fn::GetAtt` in the values of `properties` refers to.
    /// The walk stops `ScriptResources.maximumDepth` levels below the properties mapping.
    mutating func removeNames(referencedIn properties: [Node.Entry]) {
        for index in properties.indices {
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

    private mutating func removeNames(referencedIn node: Node, depth: Int) {
        guard depth < ScriptResources.maximumDepth, !names.isEmpty else { return }
        switch node.kind {
        case .sequence(let items):
            // Indexing lends each element; `for item in items` would copy (retain) every one.
            for index in items.indices {
                removeNames(referencedIn: items[index], depth: depth + 1)
            }
        case .mapping(let entries):
            if entries.count == 1 {
                removeTarget(of: entries[0])
            }
            for index in entries.indices {
                removeNames(referencedIn: entries[index].value, depth: depth + 1)
            }
        default:
            break
        }
    }

    /// Removes the target of `entry` when it is the one entry of `{Ref: name}` or
    /// `{Fn::GetAtt: [name, attribute]}`.
    private mutating func removeTarget(of entry: Node.Entry) {
        let target: String?
        switch entry.key {
        case "Ref": target = entry.value.stringValue
        case "Fn::GetAtt": target = entry.value.sequenceValue?.first?.stringValue
        default: target = nil
        }
        // `removeAll` would copy a list that is still shared even when it removes nothing.
        guard let target, names.contains(target) else { return }
        names.removeAll { $0 == target }
    }
}
