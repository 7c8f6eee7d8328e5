import SlsxSource

/// One Lambda function: `functions.<name>`.
public struct Function: Sendable {
    /// The key under `functions`, such as `orders-indexer`.
    public var name: Located<String>
    /// `handler`, such as `src/indexer.handle`.
    public var handler: Located<String>?
    /// `runtime`, overriding the provider's.
    public var runtime: Located<String>?
    /// `role`: a role of the function's own instead of the shared execution role.
    public var role: Located<RoleReference>?
    /// `provisionedConcurrency`: the framework then publishes an alias (`provisioned`) and stream
    /// mappings target the alias instead of the function.
    public var provisionedConcurrency: Located<Int>?
    /// `iamRoleStatements` (or `iam.role.statements`) of this function: in the framework's
    /// per-function mode they give the function a role of its own.
    public var iamStatements: [Node]
    /// `events`, in the order written.
    public var events: [Event]
    /// Where the function was declared.
    public var span: SourceSpan?

    public init(
        name: Located<String>,
        handler: Located<String>? = nil,
        runtime: Located<String>? = nil,
        role: Located<RoleReference>? = nil,
        provisionedConcurrency: Located<Int>? = nil,
        iamStatements: [Node] = [],
        events: [Event] = [],
        span: SourceSpan? = nil
    ) {
        self.name = name
        self.handler = handler
        self.runtime = runtime
        self.role = role
        self.provisionedConcurrency = provisionedConcurrency
        self.iamStatements = iamStatements
        self.events = events
        self.span = span
    }

    /// The stream events, in order.
    public var streamEvents: [StreamEvent] {
        events.compactMap { event in
            if case .stream(let stream) = event { return stream }
            return nil
        }
    }
}

/// One entry of a function's `events`.
public enum Event: Sendable {
    /// `indirect` keeps the stream event (about 490 bytes) in a box of its own, so an `Event` is
    /// small and copying one retains the box instead of each of the event's references. The
    /// compiler reads every event of every function, and each read copied the whole event.
    indirect case stream(StreamEvent)
    /// Any other event (`http`, `sqs`, `schedule`, ...), kept as written: slsx passes it through to
    /// serverless.yml and compiles nothing for it.
    case other(Node.Entry)
}
