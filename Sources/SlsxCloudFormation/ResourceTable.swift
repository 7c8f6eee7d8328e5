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
        /// For a resource the compiler built, the nodes of its body that came from the script
        /// and are mappings or lists, in the order a walk of the body reaches them. The reference
        /// check walks only these, because every other node of such a body is a scalar or a node
        /// that the compiler made, naming only resources and parameters it adds itself. `nil`
        /// means the check walks the whole body.
        var scriptParts: [ScriptPart]? = nil
    }

    /// A node of a compiled resource's body that came from the script, with its depth in the body
    /// as `TemplateReferenceChecker` counts it (the body's own entries are at depth 1).
    struct ScriptPart {
        var node: Node
        var depth: Int

        /// Appends `node` at `depth` to `parts` when it is a mapping or a list, because a scalar
        /// contains no reference.
        static func append(_ node: Node, depth: Int, to parts: inout [ScriptPart]) {
            switch node.kind {
            case .mapping, .sequence: parts.append(ScriptPart(node: node, depth: depth))
            default: break
            }
        }
    }

    /// The origin of a resource: the fields of `Resource` other than its logical ID and body.
    struct Origin {
        var span: SourceSpan?
        var function: String?
        var kind: String
    }

    /// The resources as the entries of the template's `Resources`, in insertion order. The table
    /// keeps them in this form so that `node` shares their storage: a template has up to tens of
    /// thousands of resources, and copying them into a second array took as long as adding them.
    private(set) var entries: [Node.Entry] = []
    /// The origin of each resource, at the index of its entry in `entries`.
    private(set) var origins: [Origin] = []
    /// The indexes in `entries` of the resources whose logical ID CloudFormation would reject
    /// (`LogicalIDNaming.isValidLogicalID`), in increasing order. Each ID is checked as it is
    /// added, while its bytes are in the cache from hashing it.
    private(set) var invalidLogicalIDIndexes: [Int] = []
    /// The `scriptParts` of each resource, at the index of its entry in `entries`. A body that
    /// `replaceBody` changed has `nil`, because the script may have merged anything into it.
    private(set) var scriptParts: [[ScriptPart]?] = []
    /// The position of each resource's entry in `entries`, by logical ID.
    private var logicalIDIndex = LogicalIDIndex()
    /// The pairs of functions whose resources clashed already, as "first\u{0}second". Two
    /// functions whose names give one logical ID clash in every resource they both have (log
    /// group, function, mappings of one stream), and that is one mistake, reported once.
    private var clashingFunctions: Set<String> = []

    var count: Int { entries.count }

    /// The logical IDs of the resources, as the table's index: a lookup hashes the ID once, and
    /// the IDs are not hashed again into a set of their own.
    var logicalIDs: LogicalIDs { logicalIDIndex }

    typealias LogicalIDs = LogicalIDIndex

    func contains(_ logicalID: String) -> Bool { logicalIDIndex.contains(logicalID) }

    func resource(_ logicalID: String) -> Resource? {
        guard let position = logicalIDIndex.position(of: logicalID) else { return nil }
        let origin = origins[position]
        return Resource(
            logicalID: logicalID, body: entries[position].value, span: origin.span, function: origin.function, kind: origin.kind)
    }

    /// Reserves room for `count` resources, so that adding them does not grow the table step by step.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        origins.reserveCapacity(count)
        scriptParts.reserveCapacity(count)
        logicalIDIndex.reserveCapacity(count)
    }

    /// Adds a resource; when the ID is taken, keeps the first one and returns an error naming both.
    @discardableResult
    mutating func add(_ resource: Resource) -> Diagnostic? {
        add(
            logicalID: resource.logicalID, body: resource.body,
            origin: Origin(span: resource.span, function: resource.function, kind: resource.kind),
            scriptParts: resource.scriptParts
        )
    }

    /// Adds `resources[range]` in order, appending an error to `diagnostics` for each ID that is
    /// taken. The resources are read in place: copying each one whole would retain and release
    /// every field once more.
    mutating func add(_ resources: [Resource], in range: Range<Int>, diagnostics: inout [Diagnostic]) {
        for index in range {
            let origin = Origin(span: resources[index].span, function: resources[index].function, kind: resources[index].kind)
            if let clash = add(
                logicalID: resources[index].logicalID, body: resources[index].body, origin: origin,
                scriptParts: resources[index].scriptParts
            ) {
                diagnostics.append(clash)
            }
        }
    }

    /// Returns whether a clash between resources of `first` and `second` is the first one between
    /// those two functions, and records it. A clash not between two functions is always reported.
    private mutating func isFirstClash(between first: String?, and second: String?) -> Bool {
        guard let first, let second, first != second else { return true }
        return clashingFunctions.insert(first + "\u{0}" + second).inserted
    }

    /// Adds one resource. The callers build `origin` for this call only, so it is consumed, and
    /// `origins` takes it over instead of retaining a copy of its strings.
    private mutating func add(
        logicalID: String, body: Node, origin: consuming Origin, scriptParts parts: [ScriptPart]?
    ) -> Diagnostic? {
        // `insert` hashes the ID once to look it up and add it, and keeps the first resource on a clash.
        if let firstIndex = logicalIDIndex.insert(logicalID) {
            let first = origins[firstIndex]
            guard isFirstClash(between: first.function, and: origin.function) else { return nil }
            var notes: [Diagnostic.Note] = [.init("the first one was declared here", at: first.span)]
            if let firstFunction = first.function, let function = origin.function, firstFunction != function {
                notes.append(.init(
                    "functions `\(firstFunction)` and `\(function)` get one name in logical IDs, so their other resources "
                        + "would clash too; this is reported once"))
            }
            // The framework spells `-` as `Dash` and `_` as `Underscore` in a function's part of
            // a logical ID, and drops every symbol from a stream's part (LogicalIDNaming), so
            // `a-b` and `aDashb`, or the streams `my-stream` and `my_stream`, clash.
            return .error(
                "two \(first.kind == origin.kind ? "\(origin.kind)s" : "resources") get the logical ID `\(logicalID)`",
                at: origin.span ?? first.span,
                hint: "CloudFormation keeps only one resource per ID, so one of them would be lost; rename one so that the "
                    + "names still differ when the first letter is upper-cased, `-` is spelled `Dash` and `_` `Underscore` (function names), or symbols are dropped (stream names)",
                notes: notes
            )
        }
        if !LogicalIDNaming.isValidLogicalID(logicalID) { invalidLogicalIDIndexes.append(entries.count) }
        entries.append(Node.Entry(logicalID, body))
        origins.append(origin)
        scriptParts.append(parts)
        return nil
    }

    /// Replaces the body of an existing resource; does nothing for an unknown ID.
    mutating func replaceBody(of logicalID: String, with body: Node) {
        guard let position = logicalIDIndex.position(of: logicalID) else { return }
        entries[position].value = body
        scriptParts[position] = nil
    }

    /// The `Resources` mapping, in insertion order. It shares the storage of `entries` until the
    /// table changes again.
    var node: Node {
        .mapping(entries)
    }
}
