import SlsxModel
import SlsxSource

/// Checks the resources a script declares under `resources.Resources`, after they are merged into
/// the compiled ones. Each must be a map with a string `Type`. Its `DependsOn` must name other
/// resources as strings and form no cycle. cfn-lint reports these cases as E3001 (`Type`) and
/// E3005 (`DependsOn`), and CloudFormation rejects them only when the stack is created.
///
/// The checks visit the script's resources and the `DependsOn` chains that start from them, so the
/// compiled resources cost nothing unless the script depends on them. A cycle among compiled
/// resources alone cannot occur, because the compiler writes no such `DependsOn`.
struct ScriptResourceChecker {
    /// The script's entries of `resources.Resources`, in the order the script wrote them.
    var entries: [Node.Entry]
    /// The template's resources with the script's entries already merged in.
    var table: ResourceTable
    /// Whether a resource without `Type` is an error. Only a table with the compiled resources can
    /// tell a new resource, which needs one, from an override of a compiled resource.
    var requiresType = true

    /// Returns an error for each invalid resource, `Type` or `DependsOn`, and one per cycle.
    func check() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var checked = Set<String>()
        var dependents: [(id: String, span: SourceSpan?)] = []
        for entry in entries where checked.insert(entry.key).inserted {
            guard let body = table.resource(entry.key)?.body else { continue }
            let keySpan = entry.keySpan ?? entry.value.span
            guard body.mappingValue != nil else {
                diagnostics.append(.error(
                    "the resource `\(entry.key)` must be a map with `Type` and `Properties`, not \(Self.kindWithArticle(body))",
                    at: entry.value.span ?? keySpan,
                    hint: "write `\(entry.key): { Type: \"AWS::SQS::Queue\", Properties: { ... } }`"
                ))
                continue
            }
            diagnostics += checkType(of: body, id: entry.key, keySpan: keySpan)
            if let dependsOn = entry.value["DependsOn"] {
                let errors = checkDependsOn(dependsOn, id: entry.key, keySpan: keySpan)
                diagnostics += errors
                if errors.isEmpty { dependents.append((entry.key, dependsOn.span ?? keySpan)) }
            }
        }
        diagnostics += cycleErrors(startingAt: dependents)
        return diagnostics
    }

    private func checkType(of body: Node, id: String, keySpan: SourceSpan?) -> [Diagnostic] {
        guard let type = body["Type"] else {
            guard requiresType else { return [] }
            return [.error(
                "the resource `\(id)` has no `Type`",
                at: keySpan,
                hint: "add the resource type, such as `Type: \"AWS::SQS::Queue\"`"
            )]
        }
        guard let name = type.stringValue, !name.isEmpty else {
            let written = type.stringValue == nil ? Self.kindWithArticle(type) : "an empty string"
            return [.error(
                "the `Type` of resource `\(id)` must be a resource type name such as `AWS::SQS::Queue`, not \(written)",
                at: type.span ?? keySpan,
                hint: "write the type as a string, such as `Type: \"AWS::SQS::Queue\"`"
            )]
        }
        return []
    }

    /// Checks that `DependsOn` is a string or a list of strings and does not name `id` itself.
    /// Names that are not resources of the template are left to `TemplateReferenceChecker`.
    private func checkDependsOn(_ dependsOn: Node, id: String, keySpan: SourceSpan?) -> [Diagnostic] {
        let names: [Node]
        if dependsOn.stringValue != nil {
            names = [dependsOn]
        } else if let items = dependsOn.sequenceValue {
            names = items
        } else {
            return [.error(
                "`DependsOn` of `\(id)` must be a logical ID or a list of logical IDs, not \(Self.kindWithArticle(dependsOn))",
                at: dependsOn.span ?? keySpan,
                hint: "write `DependsOn: \"OtherResource\"` or `DependsOn: [\"First\", \"Second\"]`"
            )]
        }
        var diagnostics: [Diagnostic] = []
        for name in names {
            guard let target = name.stringValue else {
                diagnostics.append(.error(
                    "`DependsOn` of `\(id)` must list logical IDs as strings, not \(Self.kindWithArticle(name))",
                    at: name.span ?? dependsOn.span ?? keySpan,
                    hint: "write the name of a resource of this template in quotes, or remove the item"
                ))
                continue
            }
            if target.isEmpty {
                diagnostics.append(.error(
                    "`DependsOn` of `\(id)` contains an empty name",
                    at: name.span ?? dependsOn.span ?? keySpan,
                    hint: "write the logical ID of a resource of this template, or remove the item"
                ))
            } else if target == id {
                diagnostics.append(.error(
                    "`DependsOn` of `\(id)` names `\(id)` itself",
                    at: name.span ?? dependsOn.span ?? keySpan,
                    hint: "remove `\(id)` from its own `DependsOn`, because a resource cannot wait for itself"
                ))
            }
        }
        return diagnostics
    }

    /// Returns the kind of `node` with its article, as messages use it: `an integer`, `a list`, `null`.
    static func kindWithArticle(_ node: Node) -> String {
        switch node.kind {
        case .null: return "null"
        case .integer: return "an integer"
        default: return "a \(node.kindName)"
        }
    }

    // MARK: - Cycles

    /// Returns one error per `DependsOn` cycle reachable from `starts`, at the `DependsOn` of the
    /// first of the cycle's resources that the script declared.
    private func cycleErrors(startingAt starts: [(id: String, span: SourceSpan?)]) -> [Diagnostic] {
        guard !starts.isEmpty else { return [] }
        let spans = Dictionary(starts.map { ($0.id, $0.span) }, uniquingKeysWith: { first, _ in first })
        var finished = Set<String>()
        var diagnostics: [Diagnostic] = []
        for start in starts where !finished.contains(start.id) {
            for cycle in cycles(from: start.id, finished: &finished) {
                let span = cycle.lazy.compactMap { spans[$0] ?? nil }.first ?? start.span
                diagnostics.append(.error(
                    "`DependsOn` forms a cycle: \(Self.describeCycle(cycle))",
                    at: span,
                    hint: "remove one of these dependencies, because CloudFormation cannot create resources that wait for each other"
                ))
            }
        }
        return diagnostics
    }

    /// Returns the cycle as `A` → `B` → `A`. A cycle of more than 8 resources shows the first 4 and
    /// the last 2 with their count, so that a message stays one readable line.
    static func describeCycle(_ cycle: [String]) -> String {
        let quoted = { (ids: ArraySlice<String>) in ids.map { "`\($0)`" } }
        guard cycle.count > 8 else { return (quoted(cycle[...]) + quoted([cycle[0]])).joined(separator: " → ") }
        let skipped = "… \(cycle.count - 6) more …"
        return (quoted(cycle.prefix(4)) + [skipped] + quoted(cycle.suffix(2)) + quoted([cycle[0]])).joined(separator: " → ")
    }

    /// Walks the `DependsOn` graph depth-first from `start` with an explicit stack, so that no chain
    /// can exhaust the call stack, and returns each cycle it closes as the resources along it.
    /// Resources in `finished` were fully walked before, and a self-dependency is reported elsewhere.
    private func cycles(from start: String, finished: inout Set<String>) -> [[String]] {
        var found: [[String]] = []
        var path: [(id: String, dependencies: [String], next: Int)] = [(start, dependencies(of: start), 0)]
        var positionOnPath: [String: Int] = [start: 0]
        while let top = path.last {
            guard top.next < top.dependencies.count else {
                path.removeLast()
                positionOnPath[top.id] = nil
                finished.insert(top.id)
                continue
            }
            let dependency = top.dependencies[top.next]
            path[path.count - 1].next += 1
            if dependency == top.id || finished.contains(dependency) || !table.contains(dependency) { continue }
            if let position = positionOnPath[dependency] {
                found.append(path[position...].map(\.id))
                continue
            }
            positionOnPath[dependency] = path.count
            path.append((dependency, dependencies(of: dependency), 0))
        }
        return found
    }

    /// Returns the logical IDs in the `DependsOn` of resource `id`, as written.
    private func dependencies(of id: String) -> [String] {
        guard let dependsOn = table.resource(id)?.body["DependsOn"] else { return [] }
        if let name = dependsOn.stringValue { return [name] }
        return dependsOn.sequenceValue?.compactMap(\.stringValue) ?? []
    }
}

extension CloudFormationCompiler {
    /// Checks the script's `resources` without compiling, for serverless.yml and JSON output: the
    /// sections and resources that must be maps, each `Type`, `DependsOn` among the script's own
    /// resources, and the shape of each `Ref` and `Fn::GetAtt`. A resource without `Type` and a
    /// name that the script does not declare pass, because the framework or a plugin may add
    /// the resource. The CloudFormation formats run these checks on the compiled template instead.
    public static func checkScriptResources(of service: Service) -> [Diagnostic] {
        let script = ScriptResources(service.resources)
        var diagnostics = script.sectionShapeDiagnostics
        var table = ResourceTable()
        for entry in script.entries("Resources") {
            if let existing = table.resource(entry.key) {
                table.replaceBody(of: entry.key, with: ScriptResources.merge(existing.body, entry.value))
            } else {
                table.add(ResourceTable.Resource(
                    logicalID: entry.key, body: entry.value, span: entry.keySpan, function: nil, kind: "script resource"))
            }
        }
        var checker = ScriptResourceChecker(entries: script.entries("Resources"), table: table)
        checker.requiresType = false
        diagnostics += checker.check()

        var sections = [Node.Entry("Resources", table.node)]
        for section in ["Outputs", "Conditions"] {
            sections.append(Node.Entry(section, .mapping(script.entries(section))))
        }
        let references = TemplateReferenceChecker(
            resourceIDs: ResourceTable().logicalIDs, parameterIDs: [], reportsMissingNames: false)
        diagnostics += references.check(.mapping(sections))
        return diagnostics
    }
}
