import SlsxModel

/// The logical IDs of one function's resources, all named from the function's name normalised once.
///
/// Every such ID starts with `LogicalIDNaming.normalizedResourceName` of the function's name
/// (`worker-0042` → `WorkerDash0042`). A function with five stream events has about a dozen such
/// IDs, and normalising a name costs about 2,000 instructions (a callgrind estimate), so the name
/// is normalised once here.
struct FunctionLogicalIDs: Sendable {
    /// The function's name with `-` and `_` spelled out and the first character upper-cased.
    let normalizedName: String
    /// `<Fn>LambdaFunction`, which the function's resources and every mapping refer to.
    let lambdaFunction: String
    /// `{Fn::GetAtt: [<Fn>LambdaFunction, Arn]}`: the `FunctionName` of every mapping and the value
    /// of the function's output, built once and shared.
    let lambdaFunctionArn: Node

    init(function name: String) {
        normalizedName = LogicalIDNaming.normalizedResourceName(name)
        lambdaFunction = normalizedName + "LambdaFunction"
        lambdaFunctionArn = Intrinsics.getAtt(lambdaFunction, "Arn")
    }

    /// `<Fn>LogGroup`.
    var logGroup: String { normalizedName + "LogGroup" }

    /// `<Fn>IamRoleLambdaExecution`, the function's own execution role.
    var functionRole: String { normalizedName + "IamRoleLambdaExecution" }

    /// `<Fn>ProvConcLambdaAlias`, the alias that carries provisioned concurrency.
    var provisionedConcurrencyAlias: String { normalizedName + "ProvConcLambdaAlias" }

    /// `<Fn>LambdaVersion`, the version published for the provisioned-concurrency alias. The
    /// framework appends a hash of the code. slsx has no code to hash, so the ID is fixed and the
    /// version's `Description` changes with the code key instead.
    var lambdaVersion: String { normalizedName + "LambdaVersion" }

    /// `<Fn>EventSourceMapping<Type><StreamName>`, such as `FirstEventSourceMappingKinesisFoo`: the
    /// type's raw value with its first letter upper-cased, then `LogicalIDNaming.alphanumericName`
    /// of the stream name.
    func eventSourceMapping(type: StreamType, streamName: String) -> String {
        guard streamName.isASCII else {
            return normalizedName + "EventSourceMapping" + Self.typeName(type) + LogicalIDNaming.alphanumericName(streamName)
        }
        return eventSourceMapping(type: type, streamNameAt: 0..<streamName.utf8.count, ofASCII: streamName)
    }

    /// Returns `eventSourceMapping(type:streamName:)` for the stream name at `range` of the UTF-8
    /// bytes of `text`, an ASCII text such as the stream's ARN (`StreamName.asciiNameRange(ofARN:)`).
    func eventSourceMapping(type: StreamType, streamNameAt range: Range<Int>, ofASCII text: String) -> String {
        if let id = text.utf8.withContiguousStorageIfAvailable({
            eventSourceMapping(type: type, asciiStreamName: UnsafeBufferPointer(rebasing: $0[range]))
        }) {
            return id
        }
        return Array(text.utf8).withUnsafeBufferPointer {
            eventSourceMapping(type: type, asciiStreamName: UnsafeBufferPointer(rebasing: $0[range]))
        }
    }

    /// Returns `eventSourceMapping(type:streamName:)` for the stream name whose ASCII bytes are
    /// `asciiStreamName`.
    private func eventSourceMapping(type: StreamType, asciiStreamName: UnsafeBufferPointer<UInt8>) -> String {
        let typeName = Self.typeName(type)
        // Every stream event gets such an ID, so it is spelled straight into the string's storage
        // instead of joining four strings. "EventSourceMapping" has 18 bytes.
        let capacity = normalizedName.utf8.count + 18 + typeName.utf8.count + asciiStreamName.count
        return LogicalIDBuffer.spell(capacity: capacity) { id in
            id.append(normalizedName)
            id.append("EventSourceMapping")
            id.append(typeName)
            id.appendAlphanumerics(of: asciiStreamName)
        }
    }

    /// Returns the type's raw value with its first letter upper-cased.
    private static func typeName(_ type: StreamType) -> String {
        switch type {
        case .dynamodb: "Dynamodb"
        case .kinesis: "Kinesis"
        }
    }
}
