import SlsxSource

/// A `stream` event: one Lambda event source mapping on a Kinesis or DynamoDB stream.
///
/// Every property the Serverless Framework documents for `stream` is here, optional where the script
/// may leave it out. Properties keep the span of the value the script wrote, so every check points at
/// it.
public struct StreamEvent: Sendable {
    /// `arn`: a string ARN or an intrinsic (`Fn::GetAtt`, `Fn::ImportValue`, `Ref`, `Fn::Join`, ...).
    public var arn: Located<ARNValue>
    /// `type` as written; `nil` when the script left it to be inferred from a string ARN.
    public var type: Located<StreamType>?
    public var batchSize: Located<Int>?
    public var startingPosition: Located<StartingPosition>?
    /// `startingPositionTimestamp`, in seconds since the epoch; required by `AT_TIMESTAMP`.
    public var startingPositionTimestamp: Located<Double>?
    public var enabled: Located<Bool>?
    /// `batchWindow`, in seconds (CloudFormation's `MaximumBatchingWindowInSeconds`).
    public var batchWindow: Located<Int>?
    public var parallelizationFactor: Located<Int>?
    public var maximumRetryAttempts: Located<Int>?
    public var maximumRecordAgeInSeconds: Located<Int>?
    public var bisectBatchOnFunctionError: Located<Bool>?
    /// `functionResponseType`; the only value Lambda accepts is `ReportBatchItemFailures`.
    public var functionResponseType: Located<String>?
    /// `destinations.onFailure`.
    public var onFailure: Located<FailureDestination>?
    /// `consumer`: `true` for a consumer the framework creates, or the ARN of an existing one.
    public var consumer: Located<Consumer>?
    public var tumblingWindowInSeconds: Located<Int>?
    /// `filterPatterns`: each pattern as written, in order. Lambda ORs the patterns.
    public var filterPatterns: Located<[Node]>?
    /// Where the event was declared: the `stream` keyword or key.
    public var span: SourceSpan?

    public init(arn: Located<ARNValue>, span: SourceSpan? = nil) {
        self.arn = arn
        self.span = span
    }

    /// The stream type: as written, or else inferred from a string ARN's service field. `nil` only for
    /// an intrinsic ARN without `type`, which the checks reject.
    public var resolvedType: StreamType? {
        if let type { return type.value }
        if case .string(let text) = arn.value { return StreamType(inferredFromARN: text) }
        return nil
    }
}

/// An ARN as a script may give it.
public enum ARNValue: Sendable, Equatable {
    case string(String)
    /// A CloudFormation intrinsic function, as a one-entry mapping such as `{Fn::GetAtt: [T, StreamArn]}`.
    case intrinsic(Node)

    /// The value as a node, for writers.
    public var node: Node {
        switch self {
        case .string(let text): return .string(text)
        case .intrinsic(let node): return node
        }
    }
}

public enum StreamType: String, Sendable, Equatable, CaseIterable {
    case dynamodb
    case kinesis

    /// Infers the type from the service field of an ARN (`arn:<partition>:<service>:...`); `nil` for any
    /// other service or text that is not an ARN.
    public init?(inferredFromARN arn: String) {
        guard let type = serviceField(ofARN: arn, names: StreamType.names) else { return nil }
        self = type
    }
}

/// The offsets of the first three `:` bytes of plain ARN text, -1 for each one not found.
///
/// Both the decoder and the compiler read an ARN's service this way for every stream event, so
/// the scan is a few searches over contiguous bytes (`ByteScan`) instead of a split into
/// substrings.
enum ARNColons {
    /// Returns the offsets, or `nil` when `bytes` has a non-ASCII byte or a `${`. Such text is split
    /// by characters instead, because a variable may contain `:`.
    static func find(in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard ByteScan.isASCII(bytes), !ByteScan.containsPlaceholderStart(bytes) else { return nil }
        let first = ByteScan.firstIndex(of: UInt8(ascii: ":"), in: bytes)
        let second = ByteScan.firstIndex(of: UInt8(ascii: ":"), in: bytes, from: first + 1)
        let third = ByteScan.firstIndex(of: UInt8(ascii: ":"), in: bytes, from: second + 1)
        let offset = { (found: Int) in found < bytes.count ? found : -1 }
        return (offset(first), offset(second), offset(third))
    }
}

/// Returns the case in `names` whose raw value is the third field of `arn` split at `:` as
/// `ServerlessVariable.arnFields` splits it (the service of `arn:<partition>:<service>:...`).
/// Returns `nil` when no case matches, when there are fewer than three fields or when the first
/// field is not `arn`.
private func serviceField<Value>(ofARN arn: String, names: CaseNames<Value>) -> Value? {
    // ASCII text without `${` splits at its `:` bytes (`arnFields` does the same), so the fields
    // are found in one pass over the bytes, and the service field's bytes are matched with the
    // cases' raw values without building a `String`. The compiler infers the type of every stream
    // event and failure destination this way.
    var text = arn
    let plain: (isPlain: Bool, value: Value?) = text.withUTF8 { bytes in
        guard let colons = ARNColons.find(in: bytes) else { return (false, nil) }
        guard colons.1 >= 0, colons.0 == 3, bytes[0] == UInt8(ascii: "a"), bytes[1] == UInt8(ascii: "r"),
              bytes[2] == UInt8(ascii: "n")
        else { return (true, nil) }
        let end = colons.2 >= 0 ? colons.2 : bytes.count
        return (true, names.match(asciiBytes: UnsafeBufferPointer(rebasing: bytes[(colons.1 + 1)..<end])))
    }
    if plain.isPlain { return plain.value }
    let fields = ServerlessVariable.arnFields(arn)
    guard fields.count >= 3, fields[0] == "arn" else { return nil }
    return Value(rawValue: String(fields[2]))
}

public enum StartingPosition: String, Sendable, Equatable, CaseIterable {
    case latest = "LATEST"
    case trimHorizon = "TRIM_HORIZON"
    case atTimestamp = "AT_TIMESTAMP"
}

/// `consumer` of a Kinesis stream event (enhanced fan-out).
public enum Consumer: Sendable, Equatable {
    /// `consumer: true`: the framework creates an `AWS::Kinesis::StreamConsumer`. The decoder rejects
    /// `consumer: false`, as the framework's schema does, so it produces only `enabled(true)`.
    case enabled(Bool)
    /// The ARN of an existing consumer (a string or an intrinsic).
    case arn(ARNValue)
}

/// `destinations.onFailure`: where Lambda sends records it gave up on.
public struct FailureDestination: Sendable, Equatable {
    public var arn: ARNValue
    /// `type` as written; inferred from a string ARN when absent.
    public var type: DestinationType?

    public init(arn: ARNValue, type: DestinationType? = nil) {
        self.arn = arn
        self.type = type
    }

    /// Returns the fix for a `Ref` of an SQS queue given as the destination, which returns the
    /// queue's URL: the queue's ARN, written in slsx and in serverless.yml.
    public static func queueARNHint(_ queue: String) -> String {
        "use the queue's ARN: `GetAtt(\"\(queue)\", \"Arn\")` in the script, which emits `Fn::GetAtt: [\(queue), Arn]`"
    }

    /// The destination type: as written, or else inferred from a string ARN's service field.
    public var resolvedType: DestinationType? {
        if let type { return type }
        guard case .string(let text) = arn else { return nil }
        return serviceField(ofARN: text, names: DestinationType.names)
    }
}

public enum DestinationType: String, Sendable, Equatable, CaseIterable {
    case sns
    case sqs
}
