import SlsxModel
import SlsxSource

/// Puts a full template together from the compiled parts and the script's `resources`, then runs
/// the whole-template checks (references, resource count, outputs count).
struct TemplateAssembler {
    var service: Service
    var serviceName: String
    var stage: String
    var region: String
    var defaultRuntime: String
    var script: ScriptResources
    /// Each function's entry in the document, in function order (`FunctionDocuments.entries(of:)`).
    var functionEntries: [Node?]
    /// How a template over one of CloudFormation's per-stack quotas is reported.
    var overLimit: Diagnostic.Severity = .error
    /// Merges statements with the same actions in each role's policy (`PolicyCompactor`).
    var compactsPolicies = false
    /// Checks the resource and output counts of one stack. A split leaves the checks to each stack.
    var checksStackLimits = true
    /// Whether `assemble` returns the parts it is done with in `Assembly.parts`, for the compiler
    /// to keep until the process exits, instead of freeing them on another thread
    /// (`CloudFormationCompiler.Options.keepsPartsUntilExit`).
    var keepsParts = false

    static let defaultDescription = "The AWS CloudFormation template for this Serverless application"

    /// The result of `assemble`: the template and what its checks measured.
    struct Assembly {
        var template: Node
        /// The function of each resource that belongs to one, by logical ID. It is filled only
        /// without `checksStackLimits`, for a split, and is empty otherwise.
        var owners: [String: String]
        /// The errors of `ServerlessVariableChecker`, which the caller lets replace other
        /// diagnostics at their spans.
        var variableErrors: [Diagnostic]
        /// The template's roles measured for `LimitReport`, in the order of `Resources`.
        var roles: [LimitReport.RoleMeasurement]
        /// With `keepsParts`, the parts that built the template; `nil` otherwise.
        var parts: Parts? = nil
    }

    /// The parts of a template that `assemble` no longer reads: the compiled resources of each
    /// function, the resource table and the reference checker. The template shares their bodies
    /// and logical IDs, so freeing them frees little and walks all of them.
    struct Parts: Sendable {
        var streams: [StreamEventCompiler.Output]
        var functionResources: [FunctionResources.Output]
        var table: ResourceTable? = nil
        var finishedTable: ResourceTable? = nil
        var checker: TemplateReferenceChecker? = nil
    }

    /// Returns the template with the results of its checks, and appends the other diagnostics.
    ///
    /// `functionResources` are the resources, outputs and Lambda names of each function
    /// (`FunctionResources.resources`), and `streams` are its events' resources. Neither has the
    /// `DependsOn` entries that the resources' properties already imply (`DependsOnList`).
    func assemble(
        roles: [ExecutionRole], streams: consuming [StreamEventCompiler.Output],
        functionResources: consuming [FunctionResources.Output],
        diagnostics: inout [Diagnostic]
    ) -> Assembly {
        // This thread builds the table, which takes about as long as building the shared role,
        // measuring its policies for `LimitReport` and collecting the warnings about uncompiled
        // settings together, so a second thread does those meanwhile. The table gets the shared
        // role's entry first, as the template lists it, and the body once both threads are done.
        // The warnings still come first.
        let sharesRole = roles.contains { if case .shared = $0 { return true } else { return false } }
        let (assembler, region, sharedStreams, sharedFunctionResources) = (self, region, streams, functionResources)
        let ((compiledTable, compiledDiagnostics), (settingWarnings, sharedRole, sharedRoleCharacters)) = ForkJoin.run(
            { compiledResources(sharesRole: sharesRole, roles: roles, streams: streams, functionResources: functionResources) },
            {
                let sharedRole = assembler.sharedRoleResource(
                    roles: roles, streams: sharedStreams, functionResources: sharedFunctionResources)
                let characters = sharedRole.map { PolicySize(region: region).inlinePolicyCharacters(ofRole: $0.body) }
                return (assembler.uncompiledSettingWarnings(), sharedRole, characters)
            }
        )
        // `consume` leaves the table's arrays with one reference, so that changing an entry does
        // not copy all 70,000 of them first.
        var table = consume compiledTable
        if let sharedRole {
            table.replaceBody(of: sharedRole.logicalID, with: sharedRole.body)
        }
        diagnostics += settingWarnings
        diagnostics += compiledDiagnostics
        let compiledOutputs = functionResources.flatMap(\.outputs)
        // The table and the outputs now contain what the template needs of the compiled parts.
        // Freeing the per-function arrays (70,000 resources for 10,000 functions) takes a while,
        // so another thread frees them while the template is checked, unless they are kept.
        var parts: Parts?
        if keepsParts {
            parts = Parts(streams: consume streams, functionResources: consume functionResources)
        } else {
            BackgroundRelease.release((consume streams, consume functionResources))
        }

        // The script's resources extend or override the compiled ones, as in the framework.
        let scriptResources = script.entries("Resources")
        for entry in scriptResources {
            if let existing = table.resource(entry.key) {
                if let typeChange = Self.typeChangeError(of: entry, overriding: existing) {
                    diagnostics.append(typeChange)
                }
                table.replaceBody(of: entry.key, with: ScriptResources.merge(existing.body, entry.value))
            } else {
                if let clash = table.add(ResourceTable.Resource(
                    logicalID: entry.key, body: entry.value, span: entry.keySpan ?? entry.value.span,
                    function: nil, kind: "script resource"
                )) {
                    diagnostics.append(clash)
                }
            }
        }
        diagnostics += ScriptResourceChecker(entries: scriptResources, table: table).check()
        diagnostics += Self.invalidLogicalIDErrors(table)
        if table.count == 0 {
            diagnostics.append(.error(
                "the template has no resources; CloudFormation requires at least one",
                at: service.name?.span,
                hint: "declare a function or a resource under `resources.Resources`"
            ))
        }

        let parameters = mergedSection(codeParameters, with: script.entries("Parameters"))
        let scriptOutputs = script.entries("Outputs")
        let outputs = mergedSection(compiledOutputs, with: scriptOutputs)
        // The outputs keep the compiled ones first, and the script's own entries merge into the
        // first compiled output with the same key, as `mergedSection` finds it.
        var isCompiledOutput = [Bool](repeating: true, count: compiledOutputs.count)
        for entry in scriptOutputs {
            if let index = compiledOutputs.firstIndex(where: { $0.key == entry.key }) { isCompiledOutput[index] = false }
        }
        let template = templateNode(parameters: parameters, resources: table.node, outputs: outputs)

        // The checks below only read the finished table and template, so they run on two threads
        // at once: a second thread runs the variable, role and resource-count checks, and both
        // threads share the reference check's runs of resources. Their diagnostics are appended
        // afterwards in a fixed order, whatever the timing.
        let checker = TemplateReferenceChecker(
            resourceIDs: table.logicalIDs,
            parameterIDs: Set(parameters.map(\.key)),
            scriptParts: table.scriptParts,
            isCompiledOutput: isCompiledOutput
        )
        // The shared role's measurement is still valid unless the script merged into its body.
        let sharedRoleIsCompiled = !scriptResources.contains { $0.key == ExecutionRole.sharedLogicalID }
        let measuredPolicyCharacters = sharedRoleCharacters.map { characters in
            sharedRoleIsCompiled ? [ExecutionRole.sharedLogicalID: characters] : [:]
        } ?? [:]
        let (service, checksStackLimits, overLimit) = (service, self.checksStackLimits, self.overLimit)
        let finishedTable = table
        let (referenceErrors, otherChecks) = checker.check(
            template,
            alongside: { () -> (variableErrors: [Diagnostic], roles: [LimitReport.RoleMeasurement], resourceCountDiagnostics: [Diagnostic]) in
                let variableErrors = ServerlessVariableChecker.check(template, service: service, wholeDocument: true)
                let roles = LimitReport.roleMeasurements(
                    finishedTable.entries, region: region, measuredPolicyCharacters: measuredPolicyCharacters)
                guard checksStackLimits else { return (variableErrors, roles, []) }
                let resourceCountDiagnostics = TemplateLimits.checkResourceCount(
                    finishedTable, scriptResourceCount: scriptResources.count, overLimit: overLimit)
                return (variableErrors, roles, resourceCountDiagnostics)
            }
        )
        diagnostics += referenceErrors
        var assembly = Assembly(template: template, owners: [:], variableErrors: otherChecks.variableErrors, roles: otherChecks.roles)
        if checksStackLimits {
            diagnostics += otherChecks.resourceCountDiagnostics
            if outputs.count > TemplateLimits.maximumOutputs {
                diagnostics.append(Diagnostic(
                    overLimit,
                    "the template has \(outputs.count) outputs; CloudFormation allows at most \(TemplateLimits.maximumOutputs)",
                    hint: "emit nested stacks with `--split DIR`, or split the service into several services"
                ))
            }
        } else {
            // Only a split into nested stacks, which leaves the stack limits to each stack, needs
            // the owner of each resource.
            assembly.owners.reserveCapacity(table.count)
            for index in table.origins.indices {
                if let function = table.origins[index].function { assembly.owners[table.entries[index].key] = function }
            }
        }

        // The template shares only the table's entries. The rest of the table (the origins, the
        // script parts and the index of logical IDs, which the checker and the second thread's
        // copy share) goes with the compiled parts above: kept, or freed on another thread.
        if var kept = parts {
            kept.table = consume table
            kept.finishedTable = consume finishedTable
            kept.checker = consume checker
            assembly.parts = kept
        } else {
            BackgroundRelease.release((consume table, consume finishedTable, consume checker))
        }
        return assembly
    }

    /// Builds the shared execution role when a function uses it: the provider's statements, then
    /// the stream statements of every function that uses it, in function order.
    private func sharedRoleResource(
        roles: [ExecutionRole], streams: [StreamEventCompiler.Output], functionResources: [FunctionResources.Output]
    ) -> ResourceTable.Resource? {
        guard roles.contains(where: { if case .shared = $0 { return true } else { return false } }) else { return nil }
        var statements = service.provider.iamStatements
        var functionNames: [String] = []
        for (index, role) in roles.enumerated() {
            guard case .shared = role else { continue }
            statements += streams[index].statements
            functionNames.append(functionResources[index].deployedName)
        }
        if compactsPolicies { statements = PolicyCompactor.compact(statements) }
        let roleBuilder = RoleResources(serviceName: serviceName, stage: stage, document: service.document)
        return ResourceTable.Resource(
            logicalID: ExecutionRole.sharedLogicalID,
            body: roleBuilder.sharedRole(statements: statements, functionNames: functionNames),
            span: nil, function: nil, kind: "execution role"
        )
    }

    /// Builds the table of the compiled resources: the shared role's entry first when
    /// `sharesRole`, with a null body for the caller to replace, then each function's resources
    /// followed by its events' resources. Returns it with the diagnostics of the functions, the
    /// roles and any clash of logical IDs, in that order per function.
    private func compiledResources(
        sharesRole: Bool, roles: [ExecutionRole], streams: [StreamEventCompiler.Output],
        functionResources: [FunctionResources.Output]
    ) -> (table: ResourceTable, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let roleBuilder = RoleResources(serviceName: serviceName, stage: stage, document: service.document)
        var table = ResourceTable()
        // An estimate: the shared role, a log group and a function per function, and the events'
        // resources. A larger table still grows as usual.
        let eventCount = streams.reduce(0) { $0 + $1.resources.count }
        table.reserveCapacity(1 + 2 * service.functions.count + eventCount)
        func add(_ resource: ResourceTable.Resource) {
            if let clash = table.add(resource) { diagnostics.append(clash) }
        }

        // The roles added here never have `DependsOn`, so there is no implied dependency to
        // remove from them as the builders of the other compiled resources do.
        if sharesRole {
            add(ResourceTable.Resource(
                logicalID: ExecutionRole.sharedLogicalID, body: .null, span: nil, function: nil, kind: "execution role"))
            diagnostics += roleNameCheck(parts: [serviceName, stage], span: service.name?.span)
        }

        // Then each function's resources, followed by its events' resources. The functions and
        // the compiled parts are read in place, by index, because copying a `Function` or an
        // output retains each of its arrays.
        let functions = service.functions
        for index in functions.indices {
            diagnostics += functionResources[index].diagnostics
            let ownResources = functionResources[index].resources
            table.add(ownResources, in: 0..<min(1, ownResources.count), diagnostics: &diagnostics)
            switch roles[index] {
            case .dedicated(let logicalID):
                let function = functions[index]
                var statements = service.provider.iamStatements + function.iamStatements + streams[index].statements
                if compactsPolicies { statements = PolicyCompactor.compact(statements) }
                add(ResourceTable.Resource(
                    logicalID: logicalID,
                    body: roleBuilder.functionRole(
                        function: function.name.value,
                        deployedName: functionResources[index].deployedName,
                        statements: statements
                    ),
                    span: function.name.span, function: function.name.value, kind: "execution role"
                ))
                diagnostics += roleNameCheck(parts: [serviceName, stage, function.name.value], span: function.name.span)
            case .external(let external):
                diagnostics += externalRoleNotes(function: functions[index], role: external, statements: streams[index].statements)
            case .shared:
                break
            }
            table.add(ownResources, in: min(1, ownResources.count)..<ownResources.count, diagnostics: &diagnostics)
            let streamResources = streams[index].resources
            table.add(streamResources, in: streamResources.indices, diagnostics: &diagnostics)
        }
        return (table, diagnostics)
    }

    /// Returns an error when the script's resource `entry` gives the compiled resource `existing`
    /// another `Type`. The framework merges the two (lodash `_.merge`), so the template would get
    /// the script's `Type` with the compiled resource's properties, which CloudFormation rejects for
    /// the new type (cfn-lint E3002). The same `Type`, or none, changes only properties.
    private static func typeChangeError(of entry: Node.Entry, overriding existing: ResourceTable.Resource) -> Diagnostic? {
        guard let typeNode = entry.value["Type"], let type = typeNode.stringValue,
              let compiledType = existing.body["Type"]?.stringValue, type != compiledType
        else { return nil }
        let owner = existing.function.map { "the \(existing.kind) of function `\($0)`" } ?? "the \(existing.kind)"
        return .error(
            "`\(entry.key)` is the logical ID of \(owner) (`\(compiledType)`), so the script cannot change its `Type` to `\(type)`",
            at: typeNode.span ?? entry.keySpan,
            hint: "leave out `Type` to change the compiled resource's properties, or give this resource a logical ID of its own")
    }

    /// Returns an error for each resource whose logical ID CloudFormation would reject, in table order.
    private static func invalidLogicalIDErrors(_ table: ResourceTable) -> [Diagnostic] {
        table.invalidLogicalIDIndexes.map { index in
            let (id, origin) = (table.entries[index].key, table.origins[index])
            return .error(
                "the logical ID `\(id)` is not 1 to 255 letters and digits, as CloudFormation requires",
                at: origin.span,
                hint: origin.function == nil
                    ? "rename the resource"
                    : "use only letters, digits, `-` and `_` in function and stream names"
            )
        }
    }

    // MARK: - Sections

    /// The code location parameters. `provider.deploymentBucket` (a name, or a map with `name`)
    /// becomes the bucket parameter's `Default`.
    private var codeParameters: [Node.Entry] {
        var bucket = Node.mapping([
            "Type": .string("String"),
            "Description": .string("Name of the S3 bucket that holds the code package"),
        ])
        let deploymentBucket = service.document["provider"]?["deploymentBucket"]
        if let name = deploymentBucket?.stringValue != nil ? deploymentBucket : deploymentBucket?["name"],
           name.stringValue != nil {
            bucket.append("Default", name)
        }
        return [
            Node.Entry(CloudFormationCompiler.codeBucketParameter, bucket),
            Node.Entry(CloudFormationCompiler.codeKeyParameter, .mapping([
                "Type": .string("String"),
                "Description": .string("S3 key of the code package (a .zip file) in that bucket"),
            ])),
        ]
    }

    /// `compiled` with the script's entries merged in: same keys merged, new keys appended.
    private func mergedSection(_ compiled: [Node.Entry], with scriptEntries: [Node.Entry]) -> [Node.Entry] {
        var merged = compiled
        for entry in scriptEntries {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index].value = ScriptResources.merge(merged[index].value, entry.value)
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    private func templateNode(parameters: [Node.Entry], resources: Node, outputs: [Node.Entry]) -> Node {
        var template = Node.mapping([])
        template.append(
            "AWSTemplateFormatVersion",
            script.valuesBySection["AWSTemplateFormatVersion"] ?? .string("2010-09-09")
        )
        template.append("Description", script.valuesBySection["Description"] ?? .string(Self.defaultDescription))
        for section in ["Metadata"] where !script.entries(section).isEmpty {
            template.append(section, .mapping(script.entries(section)))
        }
        template.append("Parameters", .mapping(parameters))
        for section in ["Mappings", "Conditions"] where !script.entries(section).isEmpty {
            template.append(section, .mapping(script.entries(section)))
        }
        if let transform = script.valuesBySection["Transform"] { template.append("Transform", transform) }
        template.append("Resources", resources)
        if !outputs.isEmpty { template.append("Outputs", .mapping(outputs)) }
        return template
    }

    // MARK: - Diagnostics

    /// IAM role names have at most 64 characters; the framework's include the region.
    private func roleNameCheck(parts: [String], span: SourceSpan?) -> [Diagnostic] {
        let length = RoleResources.roleNameLength(parts: parts, region: region)
        guard length > 64 else { return [] }
        let name = (parts + [region, "lambdaRole"]).joined(separator: "-")
        return [.error(
            "the execution role name `\(name)` has \(length) characters; IAM allows at most 64",
            at: span,
            hint: "shorten the service, stage or function name"
        )]
    }

    /// Notes for a function that runs with a role the script names: slsx adds no statements to it.
    private func externalRoleNotes(function: Function, role: Located<RoleReference>, statements: [Node]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if !statements.isEmpty {
            let actions = statements.compactMap { $0["Action"]?.sequenceValue }.joined().compactMap(\.stringValue)
            diagnostics.append(Diagnostic(
                .note,
                "function `\(function.name.value)` runs with a role the script names, so slsx adds no stream permissions to it",
                at: role.span ?? function.name.span,
                hint: "make sure the role allows " + actions.joined(separator: ", ")
            ))
        }
        if !function.iamStatements.isEmpty {
            diagnostics.append(.warning(
                "the IAM statements of function `\(function.name.value)` are not compiled, because it runs with a role the script names",
                at: function.span ?? function.name.span,
                hint: "add the statements to that role, or remove `role` so that slsx creates one"
            ))
        }
        return diagnostics
    }

    /// Top-level keys that change what `sls package` emits but that slsx does not apply, with the
    /// consequence each one has.
    static let unappliedDocumentKeys: KeyValuePairs<String, String> = [
        "plugins": "slsx runs no plugins, so the resources and settings they add are missing",
        "layers": "slsx creates no `AWS::Lambda::LayerVersion` resources",
        "package": "every function's code comes from the `CodeKey` parameter, whatever the packaging settings",
    ]

    /// Warns about settings the full template does not compile: top-level keys that change what
    /// `sls package` emits, provider and function keys slsx does not model, and events other than
    /// `stream`. A function key or event kind gets one warning that lists every function using it.
    private func uncompiledSettingWarnings() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let document = service.document.mappingValue ?? []
        for (key, consequence) in Self.unappliedDocumentKeys {
            guard let entry = document.first(where: { $0.key == key }) else { continue }
            diagnostics.append(.warning(
                "`\(key)` is not applied to the CloudFormation template",
                at: entry.keySpan ?? entry.value.span,
                hint: consequence + "; compare with the output of `sls package`"
            ))
        }
        for entry in service.document["provider"]?.mappingValue ?? []
        where !FunctionResources.compiledProviderKeys.contains(entry.key) {
            diagnostics.append(.warning(
                "`provider.\(entry.key)` is not compiled into the CloudFormation template",
                at: entry.keySpan ?? entry.value.span,
                hint: "slsx compiles the stream events and the function and role settings listed in "
                    + "docs/cloudformation.md; use `sls package` for the rest"
            ))
        }

        // Each uncompiled key or event kind, in first-use order, with the functions that use it.
        var keyUses: [(key: String, span: SourceSpan?, functions: [String])] = []
        var eventUses: [(kind: String, span: SourceSpan?, functions: [String], count: Int)] = []
        // The functions and their events are read in place, by index: `for event in
        // function.events` would copy every event, retaining its references, only to skip it.
        let functions = service.functions
        for functionIndex in functions.indices {
            let name = functions[functionIndex].name.value
            let functionSpan = functions[functionIndex].span
            // The entries are read in place too, because nearly all of them are compiled keys.
            let entries = functionEntries[functionIndex]?.mappingValue ?? []
            for entryIndex in entries.indices
            where !FunctionResources.compiledFunctionKeys.contains(entries[entryIndex].key) {
                let entry = entries[entryIndex]
                if let index = keyUses.firstIndex(where: { $0.key == entry.key }) {
                    keyUses[index].functions.append(name)
                } else {
                    keyUses.append((entry.key, entry.keySpan ?? entry.value.span ?? functionSpan, [name]))
                }
            }
            let events = functions[functionIndex].events
            for eventIndex in events.indices {
                guard case .other(let entry) = events[eventIndex] else { continue }
                if let index = eventUses.firstIndex(where: { $0.kind == entry.key }) {
                    eventUses[index].count += 1
                    if eventUses[index].functions.last != name { eventUses[index].functions.append(name) }
                } else {
                    eventUses.append((entry.key, entry.keySpan ?? entry.value.span ?? functionSpan, [name], 1))
                }
            }
        }
        for use in keyUses {
            diagnostics.append(.warning(
                "`\(use.key)` of \(Self.describeFunctions(use.functions)) is not compiled into the CloudFormation template",
                at: use.span,
                hint: "slsx compiles " + FunctionResources.compiledFunctionKeys.sorted().joined(separator: ", ")
                    + "; use `sls package` for the rest"
            ))
        }
        for use in eventUses {
            let events = use.count == 1 ? "event of \(Self.describeFunctions(use.functions)) is" :
                "events of \(Self.describeFunctions(use.functions)) are"
            diagnostics.append(.warning(
                "the `\(use.kind)` \(events) not compiled into the CloudFormation template",
                at: use.span,
                hint: "slsx compiles only `stream` events; use `sls package` for the others"
            ))
        }
        return diagnostics
    }

    /// Returns "function a" or "functions a, b and c", each name in back quotes, naming at most five
    /// functions and counting the rest.
    static func describeFunctions(_ names: [String]) -> String {
        let quoted = names.map { "`\($0)`" }
        guard quoted.count > 1 else { return "function " + (quoted.first ?? "") }
        let listed = quoted.prefix(5)
        let unlisted = quoted.count - listed.count
        if unlisted > 0 {
            return "functions " + listed.joined(separator: ", ") + " and \(unlisted) more"
        }
        return "functions " + listed.dropLast().joined(separator: ", ") + " and " + (listed.last ?? "")
    }
}
