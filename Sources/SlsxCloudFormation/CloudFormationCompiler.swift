import SlsxModel
import SlsxSource

/// Compiles a `Service` into a CloudFormation template: the output of the Serverless Framework's
/// `sls package` (v3) for the parts slsx models, as an ordered `Node` for the YAML and JSON writers.
///
/// The stream events compile exactly as the framework compiles them where the framework is right.
/// Where it is wrong (names it cannot derive, silently overwritten resources, dangling references,
/// unresolved variables), the compiler reports a diagnostic at the script's span instead. Resources
/// appear in the order the functions and events were declared, so the same service always gives the
/// same template.
public struct CloudFormationCompiler: Sendable {
    /// The kind of output the compiler emits.
    public enum Mode: Sendable, Equatable {
        /// A deployable template: parameters for the code location, the execution role, a log
        /// group and a function per function, the stream resources, and outputs.
        case fullTemplate
        /// Only what the framework's stream compiler adds: a fragment with `Resources` (event
        /// source mappings and stream consumers) and `IamRoleStatements` (the statements for the
        /// shared execution role). Not deployable on its own, so references are not checked.
        case streamResourcesOnly
    }

    public struct Options: Sendable {
        public var mode: Mode
        /// The stage; overrides `provider.stage`. The default is `dev`, like the framework's.
        public var stage: String?
        /// The region; overrides `provider.region`. The default is `us-east-1`.
        public var region: String?
        /// The runtime of functions for which neither the function nor the provider names one.
        public var defaultRuntime: String
        /// Whether a template over CloudFormation's per-stack quotas (resources, outputs) is an
        /// error. When `false` it is a warning, for measuring the compiler on services larger than
        /// one stack can deploy.
        public var enforcesStackLimits: Bool

        public init(
            mode: Mode = .fullTemplate,
            stage: String? = nil,
            region: String? = nil,
            defaultRuntime: String = CloudFormationCompiler.defaultRuntime,
            enforcesStackLimits: Bool = true
        ) {
            self.mode = mode
            self.stage = stage
            self.region = region
            self.defaultRuntime = defaultRuntime
            self.enforcesStackLimits = enforcesStackLimits
        }

        /// The roles slsx creates for functions that name none.
        public var roleLayout: RoleLayout = .automatic
        /// The layout of the statements in each role's policy.
        public var policyLayout: PolicyLayout = .automatic
        /// Whether the compiler's own parts (each function's compiled resources, the resource table
        /// and the reference checker) stay allocated until the process exits (`ExitRelease`)
        /// instead of being freed on another thread. For a command that exits right after it
        /// writes the template: the template shares the bodies and logical IDs of those parts, so
        /// freeing them frees little and walks all of them.
        public var keepsPartsUntilExit = false
    }

    /// The roles slsx creates for the functions that name no role of their own.
    public enum RoleLayout: Sendable, Equatable {
        /// The framework's shared `IamRoleLambdaExecution`, unless its inline policy would break
        /// IAM's limit of 10,240 characters even with compacted statements: then each function
        /// gets a role of its own, with a note.
        case automatic
        /// Always the shared role, as the framework does; an overflowing policy is an error.
        case shared
        /// A role per function, `<Fn>IamRoleLambdaExecution`, with only that function's permissions.
        case perFunction
    }

    /// The layout of the statements in a role's policy.
    public enum PolicyLayout: Sendable, Equatable {
        /// The framework's layout, unless the shared role's policy would break IAM's size limit:
        /// then `compact`, with a note.
        case automatic
        /// The framework's layout: each function's statements on their own, byte for byte.
        case framework
        /// Statements with the same actions merged, each resource listed once (`PolicyCompactor`).
        case compact
    }

    /// The template parameter with the name of the S3 bucket that contains the code package.
    public static let codeBucketParameter = "DeploymentBucketName"
    /// The template parameter with the S3 key of the code package (a `.zip` file).
    public static let codeKeyParameter = "CodeKey"
    /// `nodejs24.x`. cfn-lint 1.51 lists its deprecation for 2028-04-30, the latest of the Node.js
    /// runtimes in its data, while `nodejs20.x` has been deprecated since 2026-04-30.
    public static let defaultRuntime = "nodejs24.x"

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Compiles `service`. The template is `nil` when any diagnostic is an error.
    public func compile(_ service: Service) -> (template: Node?, diagnostics: [Diagnostic]) {
        let build = build(service, checksStackLimits: true)
        return (build.diagnostics.containsError ? nil : build.template, build.diagnostics)
    }

    /// Compiles `service` as `compile` does, and returns the template's `LimitReport` without the
    /// rows for its written size (`LimitReport.addingBodySize`). The report is `nil` for a fragment
    /// and when the template is `nil`. The checks of the IAM limits and the report measure each
    /// role once between them.
    public func compileWithLimitReport(
        _ service: Service
    ) -> (template: Node?, diagnostics: [Diagnostic], limitReport: LimitReport?) {
        let build = build(service, checksStackLimits: true)
        guard !build.diagnostics.containsError else { return (nil, build.diagnostics, nil) }
        return (build.template, build.diagnostics, build.limitReport)
    }

    /// Compiles `service` into a root template and nested stacks (see `StackSplitter`). Every
    /// function gets a role of its own unless `roleLayout` is `.shared`, so that each role stays
    /// in the nested stack of its function. `measure` returns the bytes of a template as written.
    /// `previousStackCount` is the count of the split this one replaces (`StackSplitter`).
    public func compileSplit(
        _ service: Service, stackCount: Int?, previousStackCount: Int? = nil, fileExtension: String,
        measure: @escaping (Node) -> Int
    ) -> (output: StackSplitter.Output?, diagnostics: [Diagnostic]) {
        var splitOptions = options
        splitOptions.mode = .fullTemplate
        let compiler = CloudFormationCompiler(options: splitOptions)
        let build = compiler.build(service, checksStackLimits: false, perFunctionRoles: options.roleLayout != .shared)
        guard let template = build.template, !build.diagnostics.containsError else { return (nil, build.diagnostics) }
        let splitter = StackSplitter(
            stackCount: stackCount, previousStackCount: previousStackCount, fileExtension: fileExtension, measure: measure)
        let (output, splitDiagnostics) = splitter.split(
            template, owners: build.owners, functions: service.functions.map(\.name.value)
        )
        let diagnostics = build.diagnostics + splitDiagnostics
        return (diagnostics.containsError ? nil : output, diagnostics)
    }

    /// A compiled template before any limit of one stack is applied, for a split into nested stacks.
    struct Build {
        var template: Node?
        /// The function of each resource that belongs to one, by logical ID; filled only for a
        /// split (`checksStackLimits` false).
        var owners: [String: String] = [:]
        var diagnostics: [Diagnostic]
        var region: String
        /// The template measured against the limits, without its written size; set by `finished`
        /// for a full template.
        var limitReport: LimitReport?
        /// The template's roles as `TemplateAssembler` measured them, for a full template.
        var roles: [LimitReport.RoleMeasurement]?
        /// With `Options.keepsPartsUntilExit`, the parts that built the template, which `build`
        /// keeps until exit for the build it returns and frees for the others.
        var parts: TemplateAssembler.Parts?
    }

    /// Compiles `service`, choosing the role and policy layout (see `RoleLayout`), and checks the
    /// IAM limits. With `checksStackLimits`, also the resource and output counts of one stack.
    func build(_ service: Service, checksStackLimits: Bool, perFunctionRoles: Bool = false) -> Build {
        guard let serviceName = service.name?.value, !serviceName.isEmpty else {
            return Build(
                template: nil,
                diagnostics: [.error("the service has no name", hint: "set `service`, such as `service: orders`")],
                region: ""
            )
        }

        // A variable that is the whole value of a typed setting (`type: "${opt:streamType}"`) leaves
        // that setting out of the model, so compiling would only add errors that follow from it.
        if service.serverlessVariables.contains(where: { $0.setting != nil }) {
            let errors = ServerlessVariableChecker.check(
                .mapping([]), service: service, wholeDocument: options.mode == .fullTemplate)
            return Build(template: nil, diagnostics: errors, region: "")
        }
        let stage = options.stage ?? service.provider.stage?.value ?? "dev"
        let region = options.region ?? service.provider.region?.value ?? "us-east-1"
        let script = ScriptResources(service.resources)

        let attempt = { (perFunction: Bool, compact: Bool) -> Build in
            var build = self.attempt(
                service, serviceName: serviceName, stage: stage, region: region, script: script,
                layout: (perFunction, compact), checksStackLimits: checksStackLimits
            )
            build.diagnostics = script.diagnostics + build.diagnostics
            return build
        }
        let perFunction = perFunctionRoles || options.roleLayout == .perFunction
        var build = attempt(perFunction, options.policyLayout == .compact)
        // With both layouts chosen explicitly there is nothing to choose, so the role is not measured here.
        guard options.mode == .fullTemplate, let template = build.template,
              options.policyLayout == .automatic || options.roleLayout == .automatic
        else {
            return finished(keepingParts(of: build))
        }
        let frameworkCharacters = sharedRoleCharacters(build, template: template)
        guard frameworkCharacters > LimitReport.maximumRolePolicyCharacters else {
            return finished(keepingParts(of: build))
        }

        // The shared role would break IAM's size limit: take the smallest change that fits.
        if options.policyLayout == .automatic {
            var compacted = attempt(false, true)
            if let node = compacted.template,
               sharedRoleCharacters(compacted, template: node) <= LimitReport.maximumRolePolicyCharacters {
                releaseParts(of: &build)
                build = compacted
                build.diagnostics.append(Diagnostic(
                    .note,
                    "the shared execution role's policy would have about \(frameworkCharacters) characters in the framework's layout, "
                        + "more than IAM's \(LimitReport.maximumRolePolicyCharacters), so statements with the same actions are merged",
                    hint: "pass `--policies compact` to choose this layout explicitly"
                ))
                return finished(keepingParts(of: build))
            }
            releaseParts(of: &compacted)
        }
        if options.roleLayout == .automatic {
            releaseParts(of: &build)
            build = attempt(true, options.policyLayout != .framework)
            build.diagnostics.append(Diagnostic(
                .note,
                "the shared execution role's policy would have about \(frameworkCharacters) characters, "
                    + "more than IAM's \(LimitReport.maximumRolePolicyCharacters), so each function gets a role of its own",
                hint: "pass `--roles per-function` to choose this layout explicitly"
            ))
        }
        return finished(keepingParts(of: build))
    }

    /// Returns `build` after handing its parts to `ExitRelease`: the build that `build(_:)`
    /// returns keeps them until the process exits.
    private func keepingParts(of build: Build) -> Build {
        var build = build
        if let parts = build.parts.take() { ExitRelease.keepUntilExit(parts) }
        return build
    }

    /// Frees the parts of a build that `build(_:)` does not return, on another thread. Kept
    /// until exit, every layout tried would stay in memory.
    private func releaseParts(of build: inout Build) {
        if let parts = build.parts.take() { BackgroundRelease.release(parts) }
    }

    /// Adds the IAM and parameter checks to a build.
    private func finished(_ build: Build) -> Build {
        var build = build
        if options.mode == .fullTemplate, let template = build.template {
            let roles = build.roles
                ?? LimitReport.roleMeasurements(template["Resources"]?.mappingValue ?? [], region: build.region)
            build.limitReport = LimitReport.measure(template, roles: roles)
            var limitDiagnostics = LimitReport.check(template, roles: roles)
            if !options.enforcesStackLimits {
                for index in limitDiagnostics.indices where limitDiagnostics[index].severity == .error {
                    limitDiagnostics[index].severity = .warning
                }
            }
            build.diagnostics += limitDiagnostics
        }
        return build
    }

    /// Returns the estimated characters of the shared role's policies in `template`, the
    /// template of `build`, taken from the assembler's measurements when they include the role.
    private func sharedRoleCharacters(_ build: Build, template: Node) -> Int {
        if let measured = build.roles?.first(where: { $0.logicalID == ExecutionRole.sharedLogicalID }) {
            return measured.policyCharacters
        }
        // The assembler measures only resources of type `AWS::IAM::Role`, and a script may
        // override the shared role with another type.
        guard let role = template["Resources"]?[ExecutionRole.sharedLogicalID] else { return 0 }
        return PolicySize(region: build.region).inlinePolicyCharacters(ofRole: role)
    }

    /// Compiles the service once with one role and policy layout.
    private func attempt(
        _ service: Service, serviceName: String, stage: String, region: String, script: ScriptResources,
        layout: (perFunction: Bool, compact: Bool), checksStackLimits: Bool
    ) -> Build {
        var diagnostics: [Diagnostic] = []
        let functionDocuments = FunctionDocuments(service.document)
        let functionEntries = functionDocuments.entries(of: service.functions)
        let roles = ExecutionRole.resolve(service, entries: functionEntries, perFunction: layout.perFunction)
        let streamCompiler = StreamEventCompiler(
            serviceName: serviceName,
            stage: stage,
            consumerNamingMode: service.provider.kinesisConsumerNamingMode,
            scriptResourceTypes: script.resourceTypes,
            removesImpliedDependencies: options.mode == .fullTemplate
        )
        let functionBuilder = options.mode == .fullTemplate
            ? FunctionResources(
                serviceName: serviceName, stage: stage, provider: service.provider, document: service.document,
                functions: functionDocuments, defaultRuntime: options.defaultRuntime)
            : nil
        // Each function compiles on its own, so the functions compile on two threads and are
        // joined in function order: the events' outputs and the functions' own outputs, each in
        // an array of its own that the assembler can free.
        let functions = service.functions
        let (streams, functionOutputs) = ForkJoin.mapPairs(count: functions.count) { index in
            Self.compile(
                functions[index], written: functionEntries[index], role: roles[index], streamCompiler: streamCompiler,
                functionBuilder: functionBuilder)
        }
        for index in streams.indices where !streams[index].diagnostics.isEmpty {
            diagnostics += streams[index].diagnostics
        }

        let template: Node
        var owners: [String: String] = [:]
        let variableErrors: [Diagnostic]
        var measuredRoles: [LimitReport.RoleMeasurement]?
        var parts: TemplateAssembler.Parts?
        switch options.mode {
        case .streamResourcesOnly:
            template = streamFragment(streams: streams, roles: roles, diagnostics: &diagnostics)
            variableErrors = ServerlessVariableChecker.check(template, service: service, wholeDocument: false)
        case .fullTemplate:
            var assembler = TemplateAssembler(
                service: service, serviceName: serviceName, stage: stage, region: region,
                defaultRuntime: options.defaultRuntime, script: script, functionEntries: functionEntries,
                overLimit: options.enforcesStackLimits ? .error : .warning
            )
            assembler.compactsPolicies = layout.compact
            assembler.checksStackLimits = checksStackLimits
            assembler.keepsParts = options.keepsPartsUntilExit
            var assembly = assembler.assemble(
                roles: roles, streams: consume streams, functionResources: consume functionOutputs, diagnostics: &diagnostics)
            (template, owners, variableErrors, measuredRoles) = (assembly.template, assembly.owners, assembly.variableErrors, assembly.roles)
            parts = assembly.parts.take()
        }

        // A variable makes the checks at its place meaningless (a stream name taken from
        // `${cf:stack.Arn}`, a destination type read from `${opt:queue}`), so the variable's own
        // error replaces every other diagnostic at that span.
        let variableSpans = variableErrors.compactMap(\.span)
        diagnostics.removeAll { diagnostic in diagnostic.span.map { variableSpans.contains($0) } == true }
        diagnostics += variableErrors
        return Build(
            template: template, owners: owners, diagnostics: diagnostics, region: region, roles: measuredRoles, parts: parts)
    }

    /// Compiles one function's events and, for a full template, its own resources (`FunctionResources`),
    /// which are empty for a fragment. `written` is the function's entry in the document. In a
    /// full template the builders leave out the `DependsOn` entries that references already imply
    /// (`DependsOnList`).
    private static func compile(
        _ function: Function, written: Node?, role: ExecutionRole, streamCompiler: StreamEventCompiler,
        functionBuilder: FunctionResources?
    ) -> (stream: StreamEventCompiler.Output, resources: FunctionResources.Output) {
        let ids = FunctionLogicalIDs(function: function.name.value)
        let stream = streamCompiler.compile(function, role: role, ids: ids)
        guard let functionBuilder else { return (stream, FunctionResources.Output()) }
        let own = functionBuilder.resources(for: function, written: written, role: role, ids: ids)
        return (stream, own)
    }

    /// Builds the stream resources and the shared role's stream statements, without the rest of a template.
    private func streamFragment(
        streams: [StreamEventCompiler.Output], roles: [ExecutionRole], diagnostics: inout [Diagnostic]
    ) -> Node {
        var table = ResourceTable()
        var statements: [Node] = []
        for (output, role) in zip(streams, roles) {
            for resource in output.resources {
                if let clash = table.add(resource) { diagnostics.append(clash) }
            }
            if case .shared = role { statements += output.statements }
        }
        return .mapping(["Resources": table.node, "IamRoleStatements": .sequence(statements)])
    }
}
