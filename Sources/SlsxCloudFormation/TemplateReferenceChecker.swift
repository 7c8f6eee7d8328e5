import SlsxModel
import SlsxSource

/// Checks that every `DependsOn`, `Ref`, `Fn::GetAtt` and `Fn::Sub` variable in a template names a
/// resource or parameter of the template, or a pseudo parameter such as `AWS::Region`.
///
/// CloudFormation rejects a template with a dangling reference only when the stack is created, after
/// the upload. This check reports it at the script value that produced it, once per name and place
/// (the compiler copies a stream ARN into the mapping and into an IAM statement), with a "did you
/// mean" for a near miss.
struct TemplateReferenceChecker {
    /// Logical IDs of the template's resources.
    var resourceIDs: ResourceTable.LogicalIDs
    /// Logical IDs of the template's parameters.
    var parameterIDs: Set<String>
    /// Whether a name that is not a resource or parameter is an error. Without it, only the shape
    /// of each `Ref` and `Fn::GetAtt` is checked, as for serverless.yml output, where a plugin may
    /// add resources.
    var reportsMissingNames = true
    /// The `ResourceTable.scriptParts` of the resources, by index in `Resources`. Of a resource
    /// with parts, only the parts are walked, and its `DependsOn` is checked as always. A resource
    /// without parts, or past the end of this array, is walked whole.
    var scriptParts: [[ResourceTable.ScriptPart]?] = []
    /// For each of the first entries of `Outputs`, whether the compiler made it and the script
    /// did not merge into it. Such an output's value names only a function or a version that the
    /// compiler adds, so it is not walked.
    var isCompiledOutput: [Bool] = []
    /// The maximum nesting the checker follows, so that no input can exhaust the stack.
    static let maximumDepth = 200

    /// The number of resources from which `check(_:alongside:)` checks them on two threads, and
    /// the number of runs it cuts them into. Both are estimates, not measurements. Fewer resources
    /// are checked too quickly for a second thread to pay off. With 16 runs, the thread that
    /// finishes `alongside` early still finds runs left to take.
    static let minimumSharedCount = 256
    static let runCount = 16

    /// Checks `template` (a mapping with `Resources`, `Outputs` and so on).
    func check(_ template: Node) -> [Diagnostic] {
        let resources = template["Resources"]?.mappingValue ?? []
        return Self.onePerName(diagnostics(resources, in: resources.indices) + otherSectionDiagnostics(template))
    }

    /// Returns what `check(template)` returns and the result of `alongside()`. With
    /// `minimumSharedCount` resources or more, two threads share the resources in runs while a
    /// second thread also computes `alongside` (`ForkJoin.shareRuns`). The diagnostics are the
    /// same, in the same order, as from `check`.
    func check<Extra: Sendable>(_ template: Node, alongside: @escaping @Sendable () -> Extra) -> ([Diagnostic], Extra) {
        let resources = template["Resources"]?.mappingValue ?? []
        let ranges = resources.count >= Self.minimumSharedCount
            ? ForkJoin.runs(of: resources.count, count: Self.runCount)
            : [resources.indices]
        let checker = self
        let (runDiagnostics, extra) = ForkJoin.shareRuns(
            count: ranges.count, { run in checker.diagnostics(resources, in: ranges[run]) }, alongside: alongside)
        return (Self.onePerName(runDiagnostics.flatMap { $0 } + otherSectionDiagnostics(template)), extra)
    }

    /// Returns the diagnostics of `resources[range]`, before `onePerName`.
    private func diagnostics(_ resources: [Node.Entry], in range: Range<Int>) -> [Diagnostic] {
        var state = WalkState()
        // The entries are read in place, by index, because `for entry in` would copy every
        // resource's entry: a retain and a release of its key and of its body.
        for index in range {
            if reportsMissingNames { checkDependsOn(of: resources, at: index, into: &state) }
            if index < scriptParts.count, let parts = scriptParts[index] {
                for part in parts {
                    walk(part.node, owner: resources[index].key, depth: part.depth, into: &state)
                }
            } else {
                walk(resources[index].value, owner: resources[index].key, depth: 0, into: &state)
            }
        }
        #if DEBUG
        // Debug builds, which the tests run, also walk every body whole, and stop when that finds
        // other diagnostics: the parts must miss nothing that the whole walk reports.
        if !scriptParts.isEmpty {
            var whole = self
            whole.scriptParts = []
            let expected = whole.diagnostics(resources, in: range)
            precondition(state.diagnostics == expected, "the compiled resources' script parts missed a reference diagnostic")
        }
        #endif
        return state.diagnostics
    }

    /// Returns the diagnostics of the template's `Outputs` and `Conditions`, before `onePerName`.
    private func otherSectionDiagnostics(_ template: Node) -> [Diagnostic] {
        var state = WalkState()
        for section in ["Outputs", "Conditions"] {
            let entries = template[section]?.mappingValue ?? []
            let compiled = section == "Outputs" ? isCompiledOutput : []
            for index in entries.indices where index >= compiled.count || !compiled[index] {
                walkEntry(entries, at: index, owner: entries[index].key, depth: 0, into: &state)
            }
        }
        #if DEBUG
        // As for the resources: debug builds also walk every output, and stop when that finds
        // other diagnostics.
        if !isCompiledOutput.isEmpty {
            var whole = self
            whole.isCompiledOutput = []
            let expected = whole.otherSectionDiagnostics(template)
            precondition(state.diagnostics == expected, "an output the compiler made needed a reference diagnostic")
        }
        #endif
        return state.diagnostics
    }

    /// The diagnostics and recently found names that a check collects as it walks the template.
    private struct WalkState {
        var diagnostics: [Diagnostic] = []
        /// The last two names that `isResource` found, the latest first. Most lookups repeat
        /// one of them: every event source mapping of a function may name the shared role in
        /// `DependsOn` and names the function's ARN through the node the mappings share. A
        /// repeated name is often the same `String` storage, which `==` recognizes before it
        /// compares any byte, where a lookup hashes the whole ID.
        var recentResourceIDs: (String?, String?) = (nil, nil)
    }

    /// Returns whether `name` is the logical ID of one of the template's resources.
    private func isResource(_ name: String, state: inout WalkState) -> Bool {
        if name == state.recentResourceIDs.0 || name == state.recentResourceIDs.1 { return true }
        guard resourceIDs.contains(name) else { return false }
        state.recentResourceIDs = (name, state.recentResourceIDs.0)
        return true
    }

    /// Reports each name in the `DependsOn` of `resources[index]` that is not a resource of the template.
    private func checkDependsOn(of resources: [Node.Entry], at index: Int, into state: inout WalkState) {
        // The first `DependsOn`, as `Node`'s subscript finds it, but without copying the entries.
        // `==` of two different strings calls into the runtime, so the length rules out the
        // other keys of a resource (`Type`, `Properties`) first.
        let key = "DependsOn"
        guard case .mapping(let fields) = resources[index].value.kind,
              let dependsOnIndex = fields.firstIndex(where: { $0.key.utf8.count == key.utf8.count && $0.key == key })
        else { return }
        let dependsOn = fields[dependsOnIndex].value
        let names = dependsOn.stringValue.map { [Node.string($0, span: dependsOn.span)] }
            ?? dependsOn.sequenceValue ?? []
        for name in names {
            // `ScriptResourceChecker` reports names that are not strings or are empty.
            guard let id = name.stringValue, !id.isEmpty, !isResource(id, state: &state) else { continue }
            state.diagnostics.append(.error(
                "`DependsOn` of `\(resources[index].key)` names `\(id)`, which is not a resource of this template",
                at: name.span ?? dependsOn.span ?? resources[index].keySpan,
                hint: suggestion(for: id, among: resourceIDs.keys.sorted())
                    + "declare `\(id)` under `resources.Resources` or remove the dependency"
            ))
        }
    }

    /// Keeps the first diagnostic for each missing name at each span. The name is the first
    /// back-quoted word after "names" in the message.
    private static func onePerName(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: [(name: Substring, span: SourceSpan?)] = []
        var unique: [Diagnostic] = []
        for diagnostic in diagnostics {
            let name = diagnostic.message.firstRange(of: "names `").map { range in
                diagnostic.message[range.upperBound...].prefix { $0 != "`" }
            } ?? Substring(diagnostic.message)
            if seen.contains(where: { $0.name == name && $0.span == diagnostic.span }) { continue }
            seen.append((name, diagnostic.span))
            unique.append(diagnostic)
        }
        return unique
    }

    /// Returns "did you mean `X`? " for the nearest of `candidates`, or an empty string.
    private func suggestion(for name: String, among candidates: [String]) -> String {
        candidates.closest(to: name).map { "did you mean `\($0)`? " } ?? ""
    }

    /// Checks the intrinsic functions in `node` and below it.
    ///
    /// The recursion hands each child on as its array and index (`walkItem`, `walkEntry`), not as
    /// a `Node`. Swift copies a `Node` argument read from an array (a retain and a release of its
    /// payload), but reads the element in place when this function is inlined into them.
    @inline(__always)
    private func walk(_ node: Node, owner: String, depth: Int, into state: inout WalkState) {
        guard depth < Self.maximumDepth else { return }
        switch node.kind {
        case .sequence(let items):
            for index in items.indices { walkItem(items, at: index, owner: owner, depth: depth + 1, into: &state) }
        case .mapping(let entries):
            if entries.count == 1 { checkIntrinsic(entries[0], node: node, owner: owner, into: &state) }
            for index in entries.indices {
                walkEntry(entries, at: index, owner: owner, depth: depth + 1, into: &state)
            }
        default:
            break
        }
    }

    private func walkItem(_ items: [Node], at index: Int, owner: String, depth: Int, into state: inout WalkState) {
        walk(items[index], owner: owner, depth: depth, into: &state)
    }

    private func walkEntry(
        _ entries: [Node.Entry], at index: Int, owner: String, depth: Int, into state: inout WalkState
    ) {
        walk(entries[index].value, owner: owner, depth: depth, into: &state)
    }

    /// Checks the one entry of a mapping, `node`, when its key is `Ref`, `Fn::GetAtt` or `Fn::Sub`.
    /// It is inlined into the walk, which reads `entry` in place instead of copying it.
    @inline(__always)
    private func checkIntrinsic(_ entry: Node.Entry, node: Node, owner: String, into state: inout WalkState) {
        let span = entry.value.span ?? node.span ?? entry.keySpan
        switch entry.key {
        case "Ref":
            guard let name = entry.value.stringValue else {
                state.diagnostics.append(.error(
                    "`Ref` in `\(owner)` must name a resource or parameter as a string, not \(ScriptResourceChecker.kindWithArticle(entry.value))",
                    at: span,
                    hint: "write `Ref: \"Name\"` or `Ref(\"Name\")` with the logical ID of a resource or parameter"
                ))
                return
            }
            if name.isEmpty {
                state.diagnostics.append(.error(
                    "`Ref` in `\(owner)` has an empty name",
                    at: span,
                    hint: "write the logical ID of a resource or parameter, such as `Ref(\"Queue\")`"
                ))
            } else if reportsMissingNames, !isResourceOrParameter(name, state: &state) {
                state.diagnostics.append(missing("`Ref: \(name)` in `\(owner)`", name: name, span: span))
            }
        case "Fn::GetAtt":
            if let error = Self.getAttShapeError(entry.value, owner: owner, span: span) {
                state.diagnostics.append(error)
                return
            }
            let name = entry.value.sequenceValue?.first?.stringValue
                ?? entry.value.stringValue?.split(separator: ".").first.map(String.init)
            guard reportsMissingNames, let name else { return }
            if !isResource(name, state: &state) {
                state.diagnostics.append(.error(
                    "`Fn::GetAtt` of `\(name)` in `\(owner)` names `\(name)`, which is not a resource of this template",
                    at: span,
                    hint: suggestion(for: name, among: resourceIDs.keys.sorted())
                        + "declare `\(name)` under `resources.Resources`, or correct the name"
                ))
            }
        case "Fn::Sub":
            guard reportsMissingNames else { return }
            let text = entry.value.stringValue ?? entry.value.sequenceValue?.first?.stringValue
            let variables = Set(entry.value.sequenceValue?.dropFirst().first?.mappingValue?.map(\.key) ?? [])
            for name in Self.substitutionNames(in: text ?? "") where !variables.contains(name) {
                if !isResourceOrParameter(name, state: &state) {
                    state.diagnostics.append(missing("`${\(name)}` in an `Fn::Sub` of `\(owner)`", name: name, span: span))
                }
            }
        default:
            break
        }
    }

    /// Returns an error unless `argument` is an `Fn::GetAtt` argument CloudFormation accepts (the
    /// cases of cfn-lint's E1010): `"Name.Attribute"`, or a list of the logical ID and the attribute
    /// name, where the attribute may also be an intrinsic function such as `Ref`.
    private static func getAttShapeError(_ argument: Node, owner: String, span: SourceSpan?) -> Diagnostic? {
        let hint = "write `\"Fn::GetAtt\": [\"Name\", \"Arn\"]` or `GetAtt(\"Name\", \"Arn\")`"
        if let text = argument.stringValue {
            let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .error(
                    "`Fn::GetAtt` in `\(owner)` must be `Name.Attribute` or a list of two items, not `\(text)`",
                    at: span, hint: hint
                )
            }
            return nil
        }
        guard let items = argument.sequenceValue, items.count == 2 else {
            let written = argument.sequenceValue.map { $0.isEmpty ? "an empty list" : "a list of \($0.count) \($0.count == 1 ? "item" : "items")" }
                ?? ScriptResourceChecker.kindWithArticle(argument)
            return .error(
                "`Fn::GetAtt` in `\(owner)` must be a list of two items, the logical ID and the attribute name, not \(written)",
                at: span, hint: hint
            )
        }
        if items[0].stringValue?.isEmpty ?? true {
            return .error(
                "the first item of `Fn::GetAtt` in `\(owner)` must be a logical ID, not "
                    + (items[0].stringValue == nil ? ScriptResourceChecker.kindWithArticle(items[0]) : "an empty string"),
                at: items[0].span ?? span, hint: hint
            )
        }
        if items[1].stringValue?.isEmpty ?? (items[1].mappingValue?.count != 1) {
            return .error(
                "the second item of `Fn::GetAtt` in `\(owner)` must be an attribute name, not "
                    + (items[1].stringValue == nil ? ScriptResourceChecker.kindWithArticle(items[1]) : "an empty string"),
                at: items[1].span ?? span, hint: hint
            )
        }
        return nil
    }

    private func isResourceOrParameter(_ name: String, state: inout WalkState) -> Bool {
        isResource(name, state: &state) || parameterIDs.contains(name) || Intrinsics.pseudoParameters.contains(name)
    }

    private func missing(_ reference: String, name: String, span: SourceSpan?) -> Diagnostic {
        .error(
            "\(reference) names `\(name)`, which is not a resource or parameter of this template",
            at: span,
            hint: suggestion(for: name, among: parameterIDs.union(resourceIDs.keys).sorted())
                + "declare `\(name)` under `resources.Resources` or `resources.Parameters`, or correct the name"
        )
    }

    /// Returns the resource or parameter names that the `${...}` variables of an `Fn::Sub` text use:
    /// `${Name}` and `${Name.Attribute}` give `Name`; `${!Literal}` is literal text.
    static func substitutionNames(in text: String) -> [String] {
        var names: [String] = []
        for body in ServerlessVariable.placeholderBodies(in: text) {
            if body.hasPrefix("!") || body.isEmpty { continue }
            // A Serverless variable, such as `${sls:stage}` from a function's `name`, is reported
            // at the script value where it is written (`ServerlessVariableChecker`), not a second
            // time here without a place.
            if ServerlessVariable.isVariableBody(body) { continue }
            let name = body.hasPrefix("AWS::") ? String(body) : String(body.split(separator: ".").first ?? body)
            names.append(name)
        }
        return names
    }
}
