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
    /// Whether a string or key of the model may contain a Serverless variable. The decoder sets it
    /// to `false` when its caller stated that no string or key of the document contains `${`. The
    /// CloudFormation compiler then skips its search of the template's strings for variables,
    /// because the template's strings are the model's, copied whole, and its own, which contain
    /// none. A service built or changed by hand keeps `true`, so that its template is searched.
    public var mayContainServerlessVariables: Bool

    public init(
        name: Located<String>? = nil,
        provider: Provider = Provider(),
        functions: [Function] = [],
        resources: Node? = nil,
        document: Node = .mapping([]),
        serverlessVariables: [ServerlessVariable] = [],
        mayContainServerlessVariables: Bool = true
    ) {
        self.name = name
        self.provider = provider
        self.functions = functions
        self.resources = resources
        self.document = document
        self.serverlessVariables = serverlessVariables
        self.mayContainServerlessVariables = mayContainServerlessVariables
    }
}
