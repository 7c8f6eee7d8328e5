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
    var functionDocuments: FunctionDocuments
    /// How a template over one of CloudFormation's per-stack quotas is reported.
    var overLimit: Diagnostic.Severity = .error
    /// Merges statements with the same actions in each role's policy (`PolicyCompactor`).
    var compactsPolicies = false
    /// Checks the resource and output counts of one stack. A split leaves the checks to each stack.
    var checksStackLimits = true

    static let defaultDescription = "The AWS CloudFormation template for this Serverless application"

    /// Returns the template, `owners` and the errors of `ServerlessVariableChecker`, which the
    /// caller lets replace other diagnostics at their spans. `owners` maps the logical ID of each
    /// resource that belongs to a function to that function. It is filled only without
    /// `checksStackLimits`, for a split, and is empty otherwise.
    ///
    /// `functionResources` are the resources, outputs and Lambda names of each function
    /// (`FunctionResources.resources`), and `streams` are its events' resources. Neither has the
    /// `DependsOn` entries that the resources' properties already imply (`DependsOnList`).
    func assemble(
        roles: [ExecutionRole], streams: [StreamEventCompiler.Output],
        functionResources: [FunctionResources.Output],
        diagnostics: inout [Diagnostic]
    ) -> (template: Node, owners: [String: String], variableErrors: [Diagnostic]) {
        diagnostics += uncompiledSettingWarnings()

        let roleBuilder = RoleResources(serviceName: serviceName, stage: stage, document: service.document)
        var table = ResourceTable()
        // An estimate: the shared role, a log group and a function per function, and the events'
        // resources. A larger table still grows as usual.
        let eventCount = streams.reduce(0) { $0 + $1.resources.count }
        table.reserveCapacity(1 + 2 * service.functions.count + eventCount)
        func add(_ resource: ResourceTable.Resource) {
            if let clash = table.add(resource) { diagnostics.append(clash) }
        }

        // The shared role comes first. It contains the provider's statements, then the stream
        // statements of every function that uses it, in function order.
        let usesSharedRole = roles.contains { if case .shared = $0 { return true } else { return false } }
        if usesSharedRole {
            var statements = service.provider.iamStatements
            var functionNames: [String] = []
            for (index, role) in roles.enumerated() {
                guard case .shared = role else { continue }
                statements += streams[index].statements
                functionNames.append(functionResources[index].deployedName)
            }
            if compactsPolicies { statements = PolicyCompactor.compact(statements) }
            add(ResourceTable.Resource(
                logicalID: ExecutionRole.sharedLogicalID,
                body: roleBuilder.sharedRole(statements: statements, functionNames: functionNames),
                span: nil, function: nil, kind: "execution role"
            ))
            diagnostics += roleNameCheck(parts: [serviceName, stage], span: service.name?.span)
        }

        // Then each function's resources, followed by its events' resources.
        for (index, function) in service.functions.enumerated() {
            let role = roles[index]
            let stream = streams[index]
            let compiled = functionResources[index]
            diagnostics += compiled.diagnostics
            if let first = compiled.resources.first { add(first) }
            switch role {
            case .dedicated(let logicalID):
                var statements = service.provider.iamStatements + function.iamStatements + stream.statements
                if compactsPolicies { statements = PolicyCompactor.compact(statements) }
                add(ResourceTable.Resource(
                    logicalID: logicalID,
                    body: roleBuilder.functionRole(
                        function: function.name.value,
                        deployedName: compiled.deployedName,
                        statements: statements
                    ),
                    span: function.name.span, function: function.name.value, kind: "execution role"
                ))
                diagnostics += roleNameCheck(parts: [serviceName, stage, function.name.value], span: function.name.span)
            case .external(let external):
                diagnostics += externalRoleNotes(function: function, role: external, statements: stream.statements)
            case .shared:
                break
            }
            for resource in compiled.resources.dropFirst() { add(resource) }
            for resource in stream.resources { add(resource) }
        }

        // The roles added here never have `DependsOn`, so there is no implied dependency to remove
        // from them as the builders of the other compiled resources do.

        // The script's resources extend or override the compiled ones, as in the framework.
        let scriptResources = script.entries("Resources")
        for entry in scriptResources {
            if let existing = table.resource(entry.key) {
                table.replaceBody(of: entry.key, with: ScriptResources.merge(existing.body, entry.value))
            } else {
                add(ResourceTable.Resource(
                    logicalID: entry.key, body: entry.value, span: entry.keySpan ?? entry.value.span,
                    function: nil, kind: "script resource"
                ))
            }
        }
        diagnostics += ScriptResourceChecker(entries: scriptResources, table: table).check()
        for resource in table.resources where !LogicalIDNaming.isValidLogicalID(resource.logicalID) {
            diagnostics.append(.error(
                "the logical ID `\(resource.logicalID)` is not 1 to 255 letters and digits, as CloudFormation requires",
                at: resource.span,
                hint: resource.function == nil
                    ? "rename the resource"
                    : "use only letters, digits, `-` and `_` in function and stream names"
            ))
        }
        if table.count == 0 {
            diagnostics.append(.error(
                "the template has no resources; CloudFormation requires at least one",
                at: service.name?.span,
                hint: "declare a function or a resource under `resources.Resources`"
            ))
        }

        let parameters = mergedSection(codeParameters, with: script.entries("Parameters"))
        let outputs = mergedSection(functionResources.flatMap(\.outputs), with: script.entries("Outputs"))
        let template = templateNode(parameters: parameters, resources: table.node, outputs: outputs)

        let checker = TemplateReferenceChecker(
            resourceIDs: table.logicalIDs,
            parameterIDs: Set(parameters.map(\.key))
        )
        // The two checks only read the template, so they walk it on two threads at once. The
        // variable errors go to the caller, which lets them replace other diagnostics at their spans.
        let service = service
        let (referenceErrors, variableErrors) = ForkJoin.run(
            { checker.check(template) },
            { ServerlessVariableChecker.check(template, service: service, wholeDocument: true) }
        )
        diagnostics += referenceErrors
        guard checksStackLimits else {
            // Only a split into nested stacks, which leaves the stack limits to each stack, needs
            // the owner of each resource.
            var owners: [String: String] = [:]
            owners.reserveCapacity(table.count)
            for index in table.resources.indices {
                if let function = table.resources[index].function { owners[table.resources[index].logicalID] = function }
            }
            return (template, owners, variableErrors)
        }
        diagnostics += TemplateLimits.checkResourceCount(
            table, scriptResourceCount: scriptResources.count, overLimit: overLimit)
        if outputs.count > TemplateLimits.maximumOutputs {
            diagnostics.append(Diagnostic(
                overLimit,
                "the template has \(outputs.count) outputs; CloudFormation allows at most \(TemplateLimits.maximumOutputs)",
                hint: "emit nested stacks with `--split DIR`, or split the service into several services"
            ))
        }
        return (template, [:], variableErrors)
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
        // function.events` would copy every stream event (about 680 bytes) only to skip it.
        let functions = service.functions
        for functionIndex in functions.indices {
            let name = functions[functionIndex].name.value
            let functionSpan = functions[functionIndex].span
            for entry in functionDocuments[name]?.mappingValue ?? []
            where !FunctionResources.compiledFunctionKeys.contains(entry.key) {
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
