/// What one top-level declaration of a REPL entry added to the document.
public struct DeclarationSummary: Sendable {
    public enum Kind: String, Sendable {
        case service, provider, function, resources, field
    }

    /// One event of a function declaration.
    public struct Event: Sendable {
        /// The event's key: `stream` for `stream` statements, otherwise the key written in
        /// `event { ... }`, such as `http`.
        public var kind: String
        /// For a stream event, `kinesis` or `dynamodb` when the ARN shows it, otherwise `nil`.
        public var source: String?
        /// For a stream event, the stream or table name taken from the ARN when it is a string.
        public var name: String?
        /// For a stream event, the ARN value as written (a string, or an intrinsic such as
        /// `{"Fn::GetAtt": [...]}`).
        public var arn: Value?
    }

    public var kind: Kind
    /// The function name, the field key, or the declaration keyword for `provider`/`resources`.
    public var name: String
    public var events: [Event] = []
}
