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
        var diagnostics: [Diagnostic] = []
        guard let serviceName = service.name?.value, !serviceName.isEmpty else {
            return (nil, [.error("the service has no name", hint: "set `service`, such as `service: orders`")])
        }
        let stage = options.stage ?? service.provider.stage?.value ?? "dev"
        let region = options.region ?? service.provider.region?.value ?? "us-east-1"

        let script = ScriptResources(service.resources)
        diagnostics += script.diagnostics
        let functionDocuments = FunctionDocuments(service.document)
        let roles = service.functions.map { ExecutionRole.resolve(for: $0, in: service, functions: functionDocuments) }

        let streamCompiler = StreamEventCompiler(
            serviceName: serviceName,
            stage: stage,
            consumerNamingMode: service.provider.kinesisConsumerNamingMode,
            scriptResourceTypes: script.resourceTypes
        )
        let streams = zip(service.functions, roles).map { function, role in
            streamCompiler.compile(function, role: role)
        }
        for output in streams { diagnostics += output.diagnostics }

        let template: Node
        switch options.mode {
        case .streamResourcesOnly:
            template = streamFragment(streams: streams, roles: roles, diagnostics: &diagnostics)
        case .fullTemplate:
            let assembler = TemplateAssembler(
                service: service, serviceName: serviceName, stage: stage, region: region,
                defaultRuntime: options.defaultRuntime, script: script, functionDocuments: functionDocuments,
                overLimit: options.enforcesStackLimits ? .error : .warning
            )
            template = assembler.assemble(roles: roles, streams: streams, diagnostics: &diagnostics)
        }

        diagnostics += ServerlessVariableChecker.check(template)
        return (diagnostics.containsError ? nil : template, diagnostics)
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
