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
        if function.provisionedConcurrency != nil { return true }
        let written = functions[function.name.value]?["versionFunction"]?.boolValue
        return written ?? document["provider"]?["versionFunctions"]?.boolValue ?? false
    }

    /// The name the function gets in Lambda: `name` when the script gives one, else
    /// `<service>-<stage>-<function>` like the framework.
    func deployedName(of function: Function) -> Located<String> {
        if let name = written(function)?["name"], let text = name.stringValue {
            return Located(text, at: name.span)
        }
        return Located("\(serviceName)-\(stage)-\(function.name.value)", at: function.name.span)
    }

    /// The resources of `function`, in the order the framework groups them per function.
    func resources(
        for function: Function, role: ExecutionRole
    ) -> (resources: [ResourceTable.Resource], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let name = function.name.value
        let functionSpan = function.span ?? function.name.span
        let deployedName = deployedName(of: function)
        let logGroupID = LogicalIDNaming.logGroup(name)
        let functionID = LogicalIDNaming.lambdaFunction(name)

        if deployedName.value.count > 64 {
            diagnostics.append(.error(
                "the Lambda function name `\(deployedName.value)` has \(deployedName.value.count) characters; Lambda allows at most 64",
                at: deployedName.span ?? functionSpan,
                hint: "shorten the service, stage or function name, or set the function's `name`"
            ))
        }

        var resources: [ResourceTable.Resource] = []
        resources.append(ResourceTable.Resource(
            logicalID: logGroupID,
            body: .mapping([
                "Type": .string("AWS::Logs::LogGroup"),
                "Properties": logGroupProperties(of: function, name: deployedName.value),
            ]),
            span: functionSpan, function: name, kind: "log group"
        ))

        var properties = Node.mapping([
            "Code": .mapping([
                "S3Bucket": Intrinsics.ref(CloudFormationCompiler.codeBucketParameter),
                "S3Key": Intrinsics.ref(CloudFormationCompiler.codeKeyParameter),
            ]),
        ])
        if let handler = function.handler {
            properties.append("Handler", .string(handler.value, span: handler.span))
        } else {
            diagnostics.append(.error(
                "function `\(name)` has no `handler`",
                at: functionSpan,
                hint: "add `handler`, such as `handler: src/index.handler`"
            ))
        }
        let runtime = function.runtime ?? provider.runtime
        properties.append("Runtime", .string(runtime?.value ?? defaultRuntime, span: runtime?.span))
        properties.append("FunctionName", .string(deployedName.value, span: deployedName.span))
        properties.append("MemorySize", integerSetting("memorySize", of: function, default: Self.defaultMemorySize))
        properties.append("Timeout", integerSetting("timeout", of: function, default: Self.defaultTimeout))
        if let architecture = setting("architecture", of: function), architecture.stringValue != nil {
            properties.append("Architectures", .sequence([architecture]))
        }
        if let description = written(function)?["description"], description.stringValue != nil {
            properties.append("Description", description)
        }
        let tags = mergedMapping("tags", of: function)
        if !tags.isEmpty {
            properties.append("Tags", Self.tagList(tags))
        }
        let variables = mergedMapping("environment", of: function)
        if !variables.isEmpty {
            properties.append("Environment", .mapping(["Variables": .mapping(variables)]))
        }
        if let reserved = written(function)?["reservedConcurrency"], reserved.integerValue != nil {
            properties.append("ReservedConcurrentExecutions", reserved)
        }
        properties.append("Role", role.arnNode)
        properties.shrinkToFit()

        var dependsOn = [logGroupID]
        if case .shared = role {} else if let roleID = role.dependencyID { dependsOn.append(roleID) }
        resources.append(ResourceTable.Resource(
            logicalID: functionID,
            body: .mapping([
                "Type": .string("AWS::Lambda::Function"),
                "Properties": properties,
                "DependsOn": Intrinsics.strings(dependsOn),
            ]),
            span: functionSpan, function: name, kind: "function"
        ))

        if let concurrency = function.provisionedConcurrency {
            resources += provisionedConcurrency(concurrency, function: name, span: functionSpan)
        } else if Self.isVersioned(function, document: document, functions: functions) {
            resources.append(version(of: name, span: functionSpan))
        }
        return (resources, diagnostics)
    }

    /// Builds a version and the `provisioned` alias. The framework names the version after a hash
    /// of the code, but slsx has no code. So the version's `Description` is the code key, and a new
    /// key changes the description, which replaces the version and publishes the new code.
    private func provisionedConcurrency(
        _ concurrency: Located<Int>, function: String, span: SourceSpan?
    ) -> [ResourceTable.Resource] {
        let functionID = LogicalIDNaming.lambdaFunction(function)
        let versionID = LogicalIDNaming.lambdaVersion(function)
        let version = version(of: function, span: span)
        let alias = ResourceTable.Resource(
            logicalID: LogicalIDNaming.provisionedConcurrencyAlias(function),
            body: .mapping([
                "Type": .string("AWS::Lambda::Alias"),
                "Properties": .mapping([
                    "FunctionName": Intrinsics.ref(functionID),
                    "FunctionVersion": Intrinsics.getAtt(versionID, "Version"),
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
    private func version(of function: String, span: SourceSpan?) -> ResourceTable.Resource {
        ResourceTable.Resource(
            logicalID: LogicalIDNaming.lambdaVersion(function),
            body: .mapping([
                "Type": .string("AWS::Lambda::Version"),
                "DeletionPolicy": .string("Retain"),
                "Properties": .mapping([
                    "FunctionName": Intrinsics.ref(LogicalIDNaming.lambdaFunction(function)),
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

    /// Returns an integer setting of the function, else of the provider, else the framework's default.
    private func integerSetting(_ key: String, of function: Function, default value: Int64) -> Node {
        if let node = written(function)?[key], node.integerValue != nil { return node }
        if let node = document["provider"]?[key], node.integerValue != nil { return node }
        return .integer(value)
    }

    /// Returns CloudFormation's tag list, `[{Key, Value}]`, for the entries of a `tags` mapping.
    static func tagList(_ tags: [Node.Entry]) -> Node {
        .sequence(tags.map { Node.mapping(["Key": .string($0.key, span: $0.keySpan), "Value": $0.value]) })
    }

    /// Returns a setting of the function, else of the provider.
    private func setting(_ key: String, of function: Function) -> Node? {
        written(function)?[key] ?? document["provider"]?[key]
    }

    /// Returns the entries of a mapping setting of the provider, with the function's entries merged
    /// over them: a key the function repeats takes the function's value in the provider's place.
    private func mergedMapping(_ key: String, of function: Function) -> [Node.Entry] {
        var merged = document["provider"]?[key]?.mappingValue ?? []
        for entry in written(function)?[key]?.mappingValue ?? [] {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index] = entry
            } else {
                merged.append(entry)
            }
        }
        return merged
    }

    /// Returns the log group's properties: its name, and `RetentionInDays` from the function's or
    /// the provider's `logRetentionInDays`.
    private func logGroupProperties(of function: Function, name: String) -> Node {
        var properties = Node.mapping(["LogGroupName": .string("/aws/lambda/\(name)")])
        if let retention = setting("logRetentionInDays", of: function), retention.integerValue != nil {
            properties.append("RetentionInDays", retention)
        }
        return properties
    }
}
