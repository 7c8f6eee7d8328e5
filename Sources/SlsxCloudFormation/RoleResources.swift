import SlsxModel

/// Builds the IAM roles that slsx creates: the shared `IamRoleLambdaExecution` and the roles of
/// functions that have one of their own, in the shape the framework's v3 package step writes.
struct RoleResources {
    var serviceName: String
    var stage: String
    /// The decoded document, for the settings of the shared role that the model does not carry:
    /// `provider.iam.role` `name`, `path`, `managedPolicies`, `permissionsBoundary` and `tags`, and
    /// the older `provider.iamManagedPolicies` and `provider.rolePermissionsBoundary`.
    var document: Node

    /// `<service>-<stage>`: the prefix of every function name and log group of the service.
    private var prefix: String { "\(serviceName)-\(stage)" }

    /// Builds the shared role with the log statements for `functionNames` (the Lambda names of the
    /// functions that use it), then `statements` (the provider's, then each function's stream
    /// statements, in function order), and the provider's role settings.
    ///
    /// Like the framework, the log statements name each function whose name does not start with
    /// `<service>-<stage>` on its own, then cover all other functions with `<service>-<stage>*`.
    func sharedRole(statements: [Node], functionNames: [String]) -> Node {
        let logGroupARN = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/"
        // Read once: the property builds a new string on every read, and the loop below reads
        // it for every function.
        let prefix = prefix
        var streamResources: [Node] = []
        var eventResources: [Node] = []
        for name in functionNames where !name.hasPrefix(prefix) {
            streamResources.append(Intrinsics.sub(logGroupARN + name + ":*"))
            eventResources.append(Intrinsics.sub(logGroupARN + name + ":*:*"))
        }
        if functionNames.contains(where: { $0.hasPrefix(prefix) }) {
            streamResources.append(Intrinsics.sub(logGroupARN + prefix + "*:*"))
            eventResources.append(Intrinsics.sub(logGroupARN + prefix + "*:*:*"))
        }
        let logStatements: [Node] = [
            .mapping([
                "Effect": .string("Allow"),
                "Action": Intrinsics.strings(["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"]),
                "Resource": .sequence(streamResources),
            ]),
            .mapping([
                "Effect": .string("Allow"),
                "Action": Intrinsics.strings(["logs:PutLogEvents"]),
                "Resource": .sequence(eventResources),
            ]),
        ]
        let role = document["provider"]?["iam"]?["role"]
        var properties = Node.mapping([
            "AssumeRolePolicyDocument": assumeRolePolicy,
            "Policies": policies(logStatements + statements),
            "Path": role?["path"] ?? .string("/"),
            "RoleName": role?["name"] ?? Intrinsics.join("-", [
                .string(serviceName), .string(stage), Intrinsics.ref("AWS::Region"), .string("lambdaRole"),
            ]),
        ])
        if let tags = role?["tags"]?.mappingValue, !tags.isEmpty {
            properties.append("Tags", FunctionResources.tagList(tags))
        }
        let boundary = role?["permissionsBoundary"] ?? role?["permissionBoundary"]
            ?? document["provider"]?["rolePermissionsBoundary"]
        if let boundary { properties.append("PermissionsBoundary", boundary) }
        let managedPolicies = role?["managedPolicies"] ?? document["provider"]?["iamManagedPolicies"]
        if let list = managedPolicies?.sequenceValue, !list.isEmpty {
            properties.append("ManagedPolicyArns", .sequence(list))
        }
        return .mapping(["Type": .string("AWS::IAM::Role"), "Properties": properties])
    }

    /// Builds the role of one function: the log statement for its own log group (the function's
    /// Lambda name is `deployedName`), then `statements`.
    func functionRole(function: String, deployedName: String, statements: [Node]) -> Node {
        let logGroup = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
            + "/aws/lambda/\(deployedName):*:*"
        let logStatement = Node.mapping([
            "Effect": .string("Allow"),
            "Action": Intrinsics.strings(["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents"]),
            "Resource": .sequence([Intrinsics.sub(logGroup)]),
        ])
        return .mapping([
            "Type": .string("AWS::IAM::Role"),
            "Properties": .mapping([
                "AssumeRolePolicyDocument": assumeRolePolicy,
                "Policies": policies([logStatement] + statements),
                "Path": .string("/"),
                "RoleName": Intrinsics.join("-", [
                    .string(serviceName), .string(stage), .string(function), Intrinsics.ref("AWS::Region"),
                    .string("lambdaRole"),
                ]),
                "ManagedPolicyArns": .sequence([]),
            ]),
        ])
    }

    /// Returns the length of a role name `<parts>-<region>-lambdaRole` once CloudFormation resolves
    /// the region. IAM allows at most 64 characters.
    static func roleNameLength(parts: [String], region: String) -> Int {
        (parts + [region, "lambdaRole"]).joined(separator: "-").count
    }

    private var assumeRolePolicy: Node {
        .mapping([
            "Version": .string("2012-10-17"),
            "Statement": .sequence([
                .mapping([
                    "Effect": .string("Allow"),
                    "Principal": .mapping(["Service": Intrinsics.strings(["lambda.amazonaws.com"])]),
                    "Action": Intrinsics.strings(["sts:AssumeRole"]),
                ]),
            ]),
        ])
    }

    private func policies(_ statements: [Node]) -> Node {
        .sequence([
            .mapping([
                "PolicyName": Intrinsics.join("-", [.string(serviceName), .string(stage), .string("lambda")]),
                "PolicyDocument": .mapping([
                    "Version": .string("2012-10-17"),
                    "Statement": .sequence(statements),
                ]),
            ]),
        ])
    }
}
