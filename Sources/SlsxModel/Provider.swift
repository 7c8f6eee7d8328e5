import SlsxSource

/// `provider:`: the settings shared by every function of a service.
public struct Provider: Sendable {
    /// `provider.name`; always `aws` for slsx.
    public var name: Located<String>?
    /// `provider.runtime`, such as `nodejs20.x`.
    public var runtime: Located<String>?
    /// `provider.region`; the framework's default is `us-east-1`.
    public var region: Located<String>?
    /// `provider.stage`; the framework's default is `dev`.
    public var stage: Located<String>?
    /// `provider.role` or `provider.iam.role` given as an ARN, a logical ID or an intrinsic: every
    /// function then runs with that role and the framework creates no `IamRoleLambdaExecution`.
    public var role: Located<RoleReference>?
    /// `provider.iam.role.statements` (or the older `provider.iamRoleStatements`): statements added to
    /// the shared execution role, as written.
    public var iamStatements: [Node]
    /// `provider.kinesis.consumerNamingMode`.
    public var kinesisConsumerNamingMode: Located<ConsumerNamingMode>?

    public init(
        name: Located<String>? = nil,
        runtime: Located<String>? = nil,
        region: Located<String>? = nil,
        stage: Located<String>? = nil,
        role: Located<RoleReference>? = nil,
        iamStatements: [Node] = [],
        kinesisConsumerNamingMode: Located<ConsumerNamingMode>? = nil
    ) {
        self.name = name
        self.runtime = runtime
        self.region = region
        self.stage = stage
        self.role = role
        self.iamStatements = iamStatements
        self.kinesisConsumerNamingMode = kinesisConsumerNamingMode
    }
}

/// How the framework names the Kinesis stream consumers it creates for `consumer: true`.
public enum ConsumerNamingMode: String, Sendable, Equatable, CaseIterable {
    /// `<function><StreamName>Consumer`: the same in every stage, so two stages of one service clash
    /// on a shared stream.
    case legacy
    /// `<service>-<stage>-<function><StreamName>Consumer`.
    case serviceSpecific
}

/// A role a function runs with, when it is not the shared `IamRoleLambdaExecution`.
public enum RoleReference: Sendable, Equatable {
    /// A role ARN such as `arn:aws:iam::123456789012:role/reader`.
    case arn(String)
    /// The logical ID of a role declared in `resources`; the framework turns it into
    /// `Fn::GetAtt: [<id>, Arn]` and depends on it.
    case logicalID(String)
    /// An intrinsic such as `Fn::GetAtt` or `Fn::ImportValue`, passed through.
    case intrinsic(Node)
}
