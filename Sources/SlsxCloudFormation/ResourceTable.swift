import SlsxModel
import SlsxSource

/// The resources of a template in the order they were added, with where each came from.
///
/// Adding a second resource under an ID that is already taken is an error with both places: the
/// framework merges the two objects silently, so one event's mapping replaces another's.
struct ResourceTable {
    /// One resource and what produced it.
    struct Resource {
        var logicalID: String
        /// The resource object: `Type`, `DependsOn`, `Properties` and so on.
        var body: Node
        /// The script value that produced the resource, for diagnostics.
        var span: SourceSpan?
        /// The function the resource belongs to, for the resource-count report; `nil` for shared
        /// resources such as the execution role.
        var function: String?
        /// The kind of resource in words (`event source mapping`), for the resource-count report.
        var kind: String
    }

    private(set) var resources: [Resource] = []
    private var indexByID: [String: Int] = [:]

    var count: Int { resources.count }

    /// The logical IDs of the resources, as the keys of the table's index: a lookup hashes the ID
    /// once, and the IDs are not hashed again into a set of their own.
    var logicalIDs: LogicalIDs { indexByID.keys }

    typealias LogicalIDs = Dictionary<String, Int>.Keys

    func contains(_ logicalID: String) -> Bool { indexByID[logicalID] != nil }

    func resource(_ logicalID: String) -> Resource? {
        guard let index = indexByID[logicalID] else { return nil }
        return resources[index]
    }

    /// Reserves room for `count` resources, so that adding them does not grow the table step by step.
    mutating func reserveCapacity(_ count: Int) {
        resources.reserveCapacity(count)
        indexByID.reserveCapacity(count)
    }

    /// Adds a resource; when the ID is taken, keeps the first one and returns an error naming both.
    @discardableResult
    mutating func add(_ resource: Resource) -> Diagnostic? {
        // `updateValue` hashes the ID once to look it up and insert it. On a clash, which is rare,
        // the first resource's index is put back.
        if let index = indexByID.updateValue(resources.count, forKey: resource.logicalID) {
            indexByID[resource.logicalID] = index
            let first = resources[index]
            return .error(
                "two \(first.kind == resource.kind ? "\(resource.kind)s" : "resources") get the logical ID `\(resource.logicalID)`",
                at: resource.span ?? first.span,
                hint: "CloudFormation keeps only one resource per ID, so one of them would be lost; "
                    + "give the streams or functions names that differ in letters or digits",
                notes: [.init("the first one was declared here", at: first.span)]
            )
        }
        resources.append(resource)
        return nil
    }

    /// Replaces the body of an existing resource; does nothing for an unknown ID.
    mutating func replaceBody(of logicalID: String, with body: Node) {
        guard let index = indexByID[logicalID] else { return }
        resources[index].body = body
    }

    /// The `Resources` mapping, in insertion order.
    var node: Node {
        .mapping(resources.map { Node.Entry($0.logicalID, $0.body) })
    }
}
