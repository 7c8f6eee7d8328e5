/// What `slsx emit` writes.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// serverless.yml, as the Serverless Framework reads it.
    case yaml
    /// The same document as JSON.
    case json
    /// The CloudFormation template the framework would compile, as JSON with two-space indent.
    case cfnJSON = "cfn-json"
    /// The same template as YAML, with intrinsic functions in the long form (`Fn::GetAtt:`).
    case cfnYAML = "cfn-yaml"

    /// Whether the format is a CloudFormation template rather than the serverless.yml document.
    public var isCloudFormation: Bool { self == .cfnJSON || self == .cfnYAML }
}
