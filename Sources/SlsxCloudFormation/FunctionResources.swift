import SlsxModel
import SlsxSource

/// Builds the resources of one function in a full template: its log group, the
/// `AWS::Lambda::Function`, and for provisioned concurrency a version and the `provisioned` alias.
struct FunctionResources {
    var serviceName: String
    var stage: String
    var provider: Provider
    /// The decoded document, for the function settings the model does not carry (`memorySize`,
    /// `timeout`, `name`, `description`).
    var document: Node
    /// The document's function entries by name, read in constant time.
    var functions: FunctionDocuments
    var defaultRuntime: String
    /// The provider's settings that every function falls back to, looked up once instead of for
    /// every function.
    private let providerSettings: ProviderSettings

    /// The settings of the document's `provider` entry that a function's own settings override.
    private struct ProviderSettings {
        var architecture: Node?
        var memorySize: Node?
        var timeout: Node?
        var logRetentionInDays: Node?
        var versionFunctions: Node?
        /// The entries of `tags`, or none when it is missing or not a mapping.
        var tags: [Node.Entry]
        /// The entries of `environment`, or none when it is missing or not a mapping.
        var environment: [Node.Entry]

        init(_ provider: Node?) {
            architecture = provider?["architecture"]
            memorySize = provider?["memorySize"]
            timeout = provider?["timeout"]
            logRetentionInDays = provider?["logRetentionInDays"]
            versionFunctions = provider?["versionFunctions"]
            tags = provider?["tags"]?.mappingValue ?? []
            environment = provider?["environment"]?.mappingValue ?? []
        }
    }

    init(
        serviceName: String, stage: String, provider: Provider, document: Node, functions: FunctionDocuments,
        defaultRuntime: String
    ) {
        self.serviceName = serviceName
        self.stage = stage
        self.provider = provider
        self.document = document
        self.functions = functions
        self.defaultRuntime = defaultRuntime
        providerSettings = ProviderSettings(document["provider"])
    }

    /// The parts of a full template that one function adds, apart from its events' resources.
    struct Output {
        /// The log group, the function, and the version and alias when the function has them.
        var resources: [ResourceTable.Resource] = []
        var diagnostics: [Diagnostic] = []
        /// The function's name in Lambda (`deployedName(of:)`).
        var deployedName = ""
        /// The function's entries of the template's `Outputs`.
        var outputs: [Node.Entry] = []
    }

    /// `Code` of every function: the package in the bucket and at the key the parameters name. The
    /// same for every function, so it is built once and shared.
    private static let code = Node.mapping([
        Node.Entry("S3Bucket", Intrinsics.ref(CloudFormationCompiler.codeBucketParameter)),
        Node.Entry("S3Key", Intrinsics.ref(CloudFormationCompiler.codeKeyParameter)),
    ])

    /// The framework's defaults for `memorySize` (MB) and `timeout` (seconds) in v3.
    static let defaultMemorySize: Int64 = 1024
    static let defaultTimeout: Int64 = 6

    /// The function keys this builder compiles; any other key gets a warning, so that no setting
    /// is dropped without a word.
    static let compiledFunctionKeys: Set<String> = [
        "handler", "runtime", "role", "provisionedConcurrency", "iam", "iamRoleStatements", "events",
        "memorySize", "timeout", "name", "description", "environment", "tags", "architecture",
        "reservedConcurrency", "logRetentionInDays", "versionFunction",
    ]

    /// The provider keys that this builder, the role builder or the compiler read, and the keys that
    /// only set how the framework deploys (the stack name, the deployment bucket, ...), which a
    /// template does not contain. Any other provider key gets a warning.
    static let compiledProviderKeys: Set<String> = [
        "name", "runtime", "stage", "region", "role", "iam", "iamRoleStatements", "iamManagedPolicies",
        "rolePermissionsBoundary", "kinesis", "memorySize", "timeout", "environment", "tags",
        "architecture", "logRetentionInDays", "profile", "deploymentBucket", "deploymentPrefix",
        "deploymentMethod", "stackName", "stackPolicy", "stackParameters", "stackTags", "disableRollback",
        "rollbackConfiguration", "notificationArns", "cfnRole", "lambdaHashingVersion", "versionFunctions",
    ]

    /// Whether `function` gets an `AWS::Lambda::Version`: with provisioned concurrency, or when the
    /// function's `versionFunction` or else the provider's `versionFunctions` is `true`.
    ///
    /// NOTE: the framework versions every function unless `versionFunctions: false`. slsx versions
    /// only on request, because it has no code to hash: the framework names each version after the
    /// code's hash, so every code change publishes a new version (and retains the old one).
    /// `functions` contains the document's function entries.
    static func isVersioned(_ function: Function, document: Node, functions: FunctionDocuments) -> Bool {
        let providerVersionFunctions = document["provider"]?["versionFunctions"]
        return isVersioned(function, written: functions[function.name.value], providerVersionFunctions: providerVersionFunctions)
    }

    /// Returns `isVersioned(_:document:functions:)` from the function's document entry `written`
    /// and the provider's `versionFunctions`.
    private static func isVersioned(_ function: Function, written: Node?, providerVersionFunctions: Node?) -> Bool {
        if function.provisionedConcurrency != nil { return true }
        return written?["versionFunction"]?.boolValue ?? providerVersionFunctions?.boolValue ?? false
    }

    /// The name the function gets in Lambda: `name` when the script gives one, else
    /// `<service>-<stage>-<function>` like the framework.
    func deployedName(of function: Function) -> Located<String> {
        deployedName(of: function, written: written(function))
    }

    /// Returns `deployedName(of:)` for the function whose document entry is `written`.
    private func deployedName(of function: Function, written: Node?) -> Located<String> {
        if let name = written?["name"], let text = name.stringValue {
            return Located(text, at: name.span)
        }
        // Every function without a `name` gets such a name, so it is spelled straight into the
        // string's storage. An interpolation appended its five parts one at a time.
        let functionName = function.name.value
        let capacity = serviceName.utf8.count + 1 + stage.utf8.count + 1 + functionName.utf8.count
        let name = LogicalIDBuffer.spell(capacity: capacity) { name in
            name.append(serviceName)
            name.append(UInt8(ascii: "-"))
            name.append(stage)
            name.append(UInt8(ascii: "-"))
            name.append(functionName)
        }
        return Located(name, at: function.name.span)
    }

    /// Builds the resources of `function`, in the order the framework groups them per function, and
    /// its outputs. `written` is the function's entry in the document (`FunctionDocuments`), and
    /// `ids` are the logical IDs of the function's resources.
    func resources(for function: Function, written: Node?, role: ExecutionRole, ids: FunctionLogicalIDs) -> Output {
        var diagnostics: [Diagnostic] = []
        let name = function.name.value
        let functionSpan = function.span ?? function.name.span
        let deployedName = deployedName(of: function, written: written)
        let logGroupID = ids.logGroup

        // A string has at most as many characters as UTF-8 bytes, so most names need no count of
        // their characters.
        if deployedName.value.utf8.count > 64, deployedName.value.count > 64 {
            diagnostics.append(.error(
                "the Lambda function name `\(deployedName.value)` has \(deployedName.value.count) characters; Lambda allows at most 64",
                at: deployedName.span ?? functionSpan,
                hint: "shorten the service, stage or function name, or set the function's `name`"
            ))
        }

        var resources: [ResourceTable.Resource] = []
        resources.reserveCapacity(function.provisionedConcurrency != nil ? 4 : 3)
        // The log group's properties are its name and an integer retention, so there is no
        // reference to check in it.
        resources.append(ResourceTable.Resource(
            logicalID: logGroupID,
            body: .mapping([
                Node.Entry("Type", .string("AWS::Logs::LogGroup")),
                Node.Entry("Properties", logGroupProperties(written: written, name: deployedName.value)),
            ]),
            span: functionSpan, function: name, kind: "log group", scriptParts: []
        ))

        let handler = function.handler.map { Node.string($0.value, span: $0.span) }
        if handler == nil {
            diagnostics.append(.error(
                "function `\(name)` has no `handler`",
                at: functionSpan,
                hint: "add `handler`, such as `handler: src/index.handler`"
            ))
        }
        let runtime = function.runtime ?? provider.runtime
        let architecture = (written?["architecture"] ?? providerSettings.architecture)
            .flatMap { $0.stringValue != nil ? $0 : nil }
        let description = written?["description"].flatMap { $0.stringValue != nil ? $0 : nil }
        let tags = merged(providerSettings.tags, with: written?["tags"])
        let variables = merged(providerSettings.environment, with: written?["environment"])
        let reserved = written?["reservedConcurrency"].flatMap { $0.integerValue != nil ? $0 : nil }

        // The properties are built straight into an array of their final size: six are always
        // written, the others only when the script sets them.
        var properties: [Node.Entry] = []
        let optionalCount = [handler != nil, architecture != nil, description != nil, !tags.isEmpty, !variables.isEmpty,
                             reserved != nil].count(where: { $0 })
        properties.reserveCapacity(6 + optionalCount)
        let codeIndex = properties.count
        properties.append(Node.Entry("Code", Self.code))
        if let handler { properties.append(Node.Entry("Handler", handler)) }
        properties.append(Node.Entry("Runtime", .string(runtime?.value ?? defaultRuntime, span: runtime?.span)))
        properties.append(Node.Entry("FunctionName", .string(deployedName.value, span: deployedName.span)))
        let memorySize = integerSetting(
            written?["memorySize"], provider: providerSettings.memorySize, default: Self.defaultMemorySize)
        properties.append(Node.Entry("MemorySize", memorySize))
        let timeout = integerSetting(written?["timeout"], provider: providerSettings.timeout, default: Self.defaultTimeout)
        properties.append(Node.Entry("Timeout", timeout))
        if let architecture { properties.append(Node.Entry("Architectures", .sequence([architecture]))) }
        if let description { properties.append(Node.Entry("Description", description)) }
        // The reference check walks only the properties whose values the script wrote and may
        // hold references: the tags, the environment and a role the script names. The other
        // properties are scalars or name the code parameters and roles that the compiler adds.
        var scriptParts: [ResourceTable.ScriptPart] = []
        if !tags.isEmpty {
            let tagList = Self.tagList(tags)
            properties.append(Node.Entry("Tags", tagList))
            ResourceTable.ScriptPart.append(tagList, depth: 2, to: &scriptParts)
        }
        if !variables.isEmpty {
            let environment = Node.mapping([Node.Entry("Variables", .mapping(variables))])
            properties.append(Node.Entry("Environment", environment))
            ResourceTable.ScriptPart.append(environment, depth: 2, to: &scriptParts)
        }
        if let reserved { properties.append(Node.Entry("ReservedConcurrentExecutions", reserved)) }
        let roleNode = role.arnNode
        properties.append(Node.Entry("Role", roleNode))
        if case .external = role { ResourceTable.ScriptPart.append(roleNode, depth: 2, to: &scriptParts) }

        var dependsOn = DependsOnList([logGroupID])
        if case .shared = role {} else if let roleID = role.dependencyID { dependsOn = DependsOnList([logGroupID, roleID]) }
        // `Code` refers only to the two code parameters, so the walk skips it unless one of the
        // names is spelled like one of them.
        let listsCodeParameter = dependsOn.names.contains {
            $0 == CloudFormationCompiler.codeBucketParameter || $0 == CloudFormationCompiler.codeKeyParameter
        }
        dependsOn.removeNames(referencedIn: properties, skipping: listsCodeParameter ? nil : codeIndex)
        // The body is built at its final size, because an append of `DependsOn` would copy it.
        let body: [Node.Entry]
        if let dependsOnNode = dependsOn.node() {
            body = [
                Node.Entry("Type", .string("AWS::Lambda::Function")),
                Node.Entry("Properties", .mapping(properties)),
                Node.Entry("DependsOn", dependsOnNode),
            ]
        } else {
            body = [
                Node.Entry("Type", .string("AWS::Lambda::Function")),
                Node.Entry("Properties", .mapping(properties)),
            ]
        }
        resources.append(ResourceTable.Resource(
            logicalID: ids.lambdaFunction, body: .mapping(body), span: functionSpan, function: name, kind: "function",
            scriptParts: scriptParts
        ))

        let isVersioned = Self.isVersioned(
            function, written: written, providerVersionFunctions: providerSettings.versionFunctions)
        if let concurrency = function.provisionedConcurrency {
            resources += provisionedConcurrency(concurrency, function: name, ids: ids, span: functionSpan)
        } else if isVersioned {
            resources.append(version(of: name, ids: ids, span: functionSpan))
        }
        return Output(
            resources: resources, diagnostics: diagnostics, deployedName: deployedName.value,
            outputs: outputs(of: name, ids: ids, isVersioned: isVersioned)
        )
    }

    /// Returns the function's entries of the template's `Outputs`: `<Fn>LambdaFunctionArn`, and for
    /// a function with a version `<Fn>LambdaFunctionQualifiedArn` (the framework's name).
    private func outputs(of function: String, ids: FunctionLogicalIDs, isVersioned: Bool) -> [Node.Entry] {
        let arn = Node.Entry(ids.lambdaFunction + "Arn", .mapping([
            Node.Entry("Description", .string("ARN of the function " + function)),
            Node.Entry("Value", ids.lambdaFunctionArn),
        ]))
        guard isVersioned else { return [arn] }
        return [
            arn,
            Node.Entry(ids.lambdaFunction + "QualifiedArn", .mapping([
                Node.Entry("Description", .string("Current Lambda function version")),
                Node.Entry("Value", Intrinsics.ref(ids.lambdaVersion)),
            ])),
        ]
    }

    /// Builds a version and the `provisioned` alias. The framework names the version after a hash
    /// of the code, but slsx has no code. So the version's `Description` is the code key, and a new
    /// key changes the description, which replaces the version and publishes the new code.
    private func provisionedConcurrency(
        _ concurrency: Located<Int>, function: String, ids: FunctionLogicalIDs, span: SourceSpan?
    ) -> [ResourceTable.Resource] {
        let version = version(of: function, ids: ids, span: span)
        let alias = ResourceTable.Resource(
            logicalID: ids.provisionedConcurrencyAlias,
            body: .mapping([
                "Type": .string("AWS::Lambda::Alias"),
                "Properties": .mapping([
                    "FunctionName": Intrinsics.ref(ids.lambdaFunction),
                    "FunctionVersion": Intrinsics.getAtt(ids.lambdaVersion, "Version"),
                    "Name": .string("provisioned"),
                    "ProvisionedConcurrencyConfig": .mapping([
                        "ProvisionedConcurrentExecutions": .integer(Int64(concurrency.value), span: concurrency.span),
                    ]),
                ]),
            ]),
            span: concurrency.span ?? span, function: function, kind: "alias"
        )
        return [version, alias]
    }

    /// Builds the function's version. Its `Description` is the code key, so a new key replaces the
    /// version and publishes the new code.
    private func version(of function: String, ids: FunctionLogicalIDs, span: SourceSpan?) -> ResourceTable.Resource {
        ResourceTable.Resource(
            logicalID: ids.lambdaVersion,
            body: .mapping([
                "Type": .string("AWS::Lambda::Version"),
                "DeletionPolicy": .string("Retain"),
                "Properties": .mapping([
                    "FunctionName": Intrinsics.ref(ids.lambdaFunction),
                    "Description": Intrinsics.ref(CloudFormationCompiler.codeKeyParameter),
                ]),
            ]),
            span: span, function: function, kind: "version"
        )
    }

    /// Returns the function's entry in the document, where settings the model does not carry are read.
    private func written(_ function: Function) -> Node? {
        functions[function.name.value]
    }

    /// Returns an integer setting: the function's value `written`, else the provider's value
    /// `provider`, else the framework's default.
    private func integerSetting(_ written: Node?, provider: Node?, default value: Int64) -> Node {
        if let node = written, node.integerValue != nil { return node }
        if let node = provider, node.integerValue != nil { return node }
        return .integer(value)
    }

    /// Returns CloudFormation's tag list, `[{Key, Value}]`, for the entries of a `tags` mapping.
    static func tagList(_ tags: [Node.Entry]) -> Node {
        .sequence(tags.map { Node.mapping(["Key": .string($0.key, span: $0.keySpan), "Value": $0.value]) })
    }

    /// Returns the entries of a mapping setting of the provider, `provider`, with the entries of
    /// the function's value `written` merged over them: a key the function repeats takes the
    /// function's value in the provider's place.
    private func merged(_ provider: [Node.Entry], with written: Node?) -> [Node.Entry] {
        var merged = provider
        for entry in written?.mappingValue ?? [] {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index] = entry
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    /// Returns the log group's properties: its name, and `RetentionInDays` from the function's
    /// (whose document entry is `written`) or the provider's `logRetentionInDays`.
    private func logGroupProperties(written: Node?, name: String) -> Node {
        let logGroupName = Node.Entry("LogGroupName", .string("/aws/lambda/" + name))
        let retention = written?["logRetentionInDays"] ?? providerSettings.logRetentionInDays
        if let retention, retention.integerValue != nil {
            return .mapping([logGroupName, Node.Entry("RetentionInDays", retention)])
        }
        return .mapping([logGroupName])
    }
}
