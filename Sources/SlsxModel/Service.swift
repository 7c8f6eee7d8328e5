import SlsxSource

/// A whole serverless service: what one script describes and one serverless.yml holds.
public struct Service: Sendable {
    /// `service:`; required by the framework.
    public var name: Located<String>?
    public var provider: Provider
    /// Functions in the order the script declared them; the order of every output follows it.
    public var functions: [Function]
    /// `resources:` as written (CloudFormation `Resources`, `Outputs`, ...), passed through unchanged.
    public var resources: Node?
    /// The decoded document as the script built it. The serverless.yml and JSON writers emit this
    /// tree, so keys the model does not interpret (`custom`, `plugins`, `environment`, ...) and the
    /// script's key order survive unchanged.
    public var document: Node
    /// Every Serverless variable the document contains, in document order, once per string that
    /// contains it.
    public var serverlessVariables: [ServerlessVariable]

    public init(
        name: Located<String>? = nil,
        provider: Provider = Provider(),
        functions: [Function] = [],
        resources: Node? = nil,
        document: Node = .mapping([]),
        serverlessVariables: [ServerlessVariable] = []
    ) {
        self.name = name
        self.provider = provider
        self.functions = functions
        self.resources = resources
        self.document = document
        self.serverlessVariables = serverlessVariables
    }
}
