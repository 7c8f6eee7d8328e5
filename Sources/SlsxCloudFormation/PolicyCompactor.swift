import SlsxModel

/// Merges IAM statements that grant the same actions, so that a role's inline policy stays under
/// IAM's size limit as the number of streams grows.
///
/// Two statements merge when both have only `Effect`, `Action` and `Resource`, the same effect and
/// the same actions in the same order. The merged statement lists each resource once, in the order
/// first seen, at the place of the first statement. The union grants exactly what the separate
/// statements granted: no resource is widened, and no wildcard is introduced. Statements with any
/// other key (`Sid`, `Condition`, `NotAction`, `NotResource`, `Principal`) are kept as written.
public enum PolicyCompactor {
    /// Returns `statements` with the mergeable ones merged, in first-seen order.
    public static func compact(_ statements: [Node]) -> [Node] {
        var result: [Node] = []
        var resourcesByIndex: [Int: [Node]] = [:]
        var indexByKey: [MergeKey: Int] = [:]

        for statement in statements {
            guard let key = MergeKey(statement), let resources = resourceList(of: statement) else {
                result.append(statement)
                continue
            }
            if let index = indexByKey[key] {
                resourcesByIndex[index, default: []] += resources
            } else {
                indexByKey[key] = result.count
                resourcesByIndex[result.count] = resources
                result.append(statement)
            }
        }

        for (index, resources) in resourcesByIndex {
            var unique: [Node] = []
            var seen = Set<String>()
            for resource in resources where seen.insert(identity(of: resource)).inserted {
                unique.append(resource)
            }
            result[index].set("Resource", .sequence(unique))
        }
        return result
    }

    /// The effect and the list of actions, which two statements must share to merge.
    private struct MergeKey: Hashable {
        var effect: String
        var actions: [String]

        init?(_ statement: Node) {
            guard let entries = statement.mappingValue,
                  entries.allSatisfy({ ["Effect", "Action", "Resource"].contains($0.key) }),
                  let effect = statement["Effect"]?.stringValue,
                  let action = statement["Action"]
            else { return nil }
            if let single = action.stringValue {
                actions = [single]
            } else if let list = action.sequenceValue {
                let names = list.compactMap(\.stringValue)
                guard names.count == list.count else { return nil }
                actions = names
            } else {
                return nil
            }
            self.effect = effect
        }
    }

    private static func resourceList(of statement: Node) -> [Node]? {
        guard let resource = statement["Resource"] else { return nil }
        if resource.stringValue != nil { return [resource] }
        if let list = resource.sequenceValue { return list }
        // An intrinsic that yields one ARN, such as `Fn::GetAtt`.
        if resource.mappingValue != nil { return [resource] }
        return nil
    }

    /// Returns a text that is equal for equal resource nodes, to find repeats without comparing every pair.
    private static func identity(of resource: Node) -> String {
        if let text = resource.stringValue { return "s:" + text }
        return "n:" + ((try? JSONWriter(style: .compact).write(resource)) ?? "\(resource.kind)")
    }
}
