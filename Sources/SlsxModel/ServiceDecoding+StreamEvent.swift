import SlsxSource

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The rules below follow two sources, named beside each check:
// - the framework: the JSON schema of the `stream` event in the Serverless Framework v3,
//   lib/plugins/aws/package/compile/events/stream.js;
// - the Lambda API: the CreateEventSourceMapping API reference and the Lambda developer guide's
//   parameter tables for Kinesis and DynamoDB event source mappings.

extension ServiceDecoding {
    /// Decodes `stream: <arn>` or `stream: {arn: ..., ...}`, given as the value `node` of the key
    /// `stream` at `keySpan`, and appends the event to `events`, unless it has no usable `arn`.
    /// Every problem is reported either way.
    mutating func decodeStreamEvent(_ node: Node, keySpan: SourceSpan?, function: String, into events: inout [Event]) {
        let eventSpan = keySpan ?? node.span

        switch node.kind {
        case .string:
            var plainService: String?
            guard let arn = decodeStreamARN(node, fallback: eventSpan, plainService: &plainService) else {
                return
            }
            _ = resolveStreamType(arn: arn, plainService: plainService, type: nil, eventSpan: eventSpan)
            events.append(.stream(StreamEvent(arn: arn, span: eventSpan)))
        case .mapping where ServiceDecoding.isIntrinsic(node):
            // The framework's schema takes an intrinsic only as `arn`, with `type` beside it.
            error("`stream` of function `\(function)` is an intrinsic function, but an intrinsic ARN goes under `arn`",
                  at: node.span ?? eventSpan,
                  hint: "write `arn:` with the intrinsic and `type: kinesis` or `type: dynamodb` under `stream:`")
        case .mapping(let entries):
            decodeStreamSettings(entries, eventSpan: eventSpan, function: function, into: &events)
        case .null:
            error("stream event of function `\(function)` has no arn", at: eventSpan,
                  hint: "give the stream's ARN as `stream: <arn>` or as `arn:` indented under `stream:`")
        default:
            error("`stream` of function `\(function)` must be an ARN or a map of settings, but found "
                  + describe(node), at: node.span ?? eventSpan,
                  hint: "write `stream: <arn>` or `arn:` and the other settings under `stream:`")
        }
    }

    /// Decodes the settings of a stream event and appends the event to `events`, unless it has no
    /// usable `arn`.
    private mutating func decodeStreamSettings(
        _ entries: [Node.Entry], eventSpan: SourceSpan?, function: String, into events: inout [Event]
    ) {
        // Built only for a message, because most events have no problem to report.
        func place() -> String { "stream event of function `\(function)`" }
        let settings = StreamSettings(entries)
        rejectUnknownKeys(settings.unknownEntries, known: KnownKeys.streamEvent, in: place(), parent: eventSpan)

        // The framework: `arn` is required, a string ARN or an intrinsic.
        let decodedARN: Located<ARNValue>?
        var plainService: String?
        if let entry = settings[.arn] {
            decodedARN = decodeStreamARN(entry.value, fallback: entry.keySpan, plainService: &plainService)
        } else {
            decodedARN = nil
            error("\(place()) has no arn", at: eventSpan, hint: "add `arn:` with the ARN of the Kinesis stream or DynamoDB table stream")
        }
        let hasARN = decodedARN != nil
        // The event is created with its ARN, because the compiler (Swift 6.3) rejects the
        // `consume event` below once `event.arn` is assigned.
        var event = StreamEvent(arn: decodedARN ?? Located(.string(""), at: eventSpan), span: eventSpan)

        // The framework: `type` is `dynamodb` or `kinesis`, required with an intrinsic `arn`.
        var type: Located<StreamType>?
        if let entry = settings[.type], !acceptsVariable(entry.value, for: "type", fallback: entry.keySpan),
           let text = string(entry.value, named: "type", fallback: entry.keySpan) {
            if let value = StreamType.names.match(text.value) {
                type = Located(value, at: text.span)
            } else {
                error("`type` must be `dynamodb` or `kinesis`, but is `\(text.value)`", at: text.span,
                      hint: suggestion(for: text.value, among: StreamType.allCases.map(\.rawValue)))
            }
        }
        let typeIsVariable = ServerlessVariable.isWholeVariable(settings[.type]?.value.stringValue ?? "")
        var resolvedType: StreamType?
        if hasARN {
            resolvedType = resolveStreamType(
                arn: event.arn, plainService: plainService, type: type, typeIsVariable: typeIsVariable,
                eventSpan: eventSpan)
        }

        event.type = type
        decodeBatching(settings, into: &event)
        decodeStartingPosition(settings, resolvedType: resolvedType, eventSpan: eventSpan, into: &event)

        decodeRecordHandling(settings, resolvedType: resolvedType, function: function, into: &event)

        guard hasARN else { return }
        // `consume` moves the event into the array. Appending a copy instead cost a copy of every
        // field with its retains, three moves of the whole event and the release of the original,
        // 1.5 M of the decoder's 32.9 M instructions for the benchmark at n=1000 (callgrind).
        events.append(.stream(consume event))
    }

    // MARK: - ARN and type

    /// Decodes a stream `arn`: a string that starts with `arn:` or contains a Serverless variable,
    /// or an intrinsic function. Sets `plainService` to the service field of an ARN that is all
    /// ASCII and has no `${`, which `resolveStreamType` then need not read again.
    private mutating func decodeStreamARN(
        _ node: Node, fallback: SourceSpan?, plainService: inout String?
    ) -> Located<ARNValue>? {
        let span = node.span ?? fallback
        if case .string(let text) = node.kind, let service = ServiceDecoding.plainASCIIARNService(text) {
            // Text without `${` contains no variable and no `Fn::Sub` syntax, so the checks below
            // would find nothing.
            plainService = service
            return Located(.string(text), at: span)
        }
        switch node.kind {
        case .string(let text) where ServiceDecoding.arnService(text) != nil || ServiceDecoding.containsVariable(text):
            _ = acceptsVariable(node, for: "arn", fallback: fallback)
            checkSubstitutionSyntax(text, named: "arn", at: span)
            return Located(.string(text), at: span)
        case .mapping where ServiceDecoding.isIntrinsic(node):
            return Located(.intrinsic(node), at: span)
        default:
            error("stream `arn` must be an ARN or an intrinsic function, but found \(describe(node))", at: span,
                  hint: "write an ARN such as `arn:aws:kinesis:us-east-1:123456789012:stream/orders`, "
                      + "or `Fn::GetAtt: [<table>, StreamArn]` with `type:`")
            return nil
        }
    }

    /// Returns the stream type from `type` or from a string ARN's service field, and checks that the
    /// two agree (the framework infers the type from the ARN's third field). Returns `nil` after
    /// reporting an error when neither gives a type, unless `type` is a Serverless variable.
    /// `plainService` is the service that `decodeStreamARN` read from a plain ASCII ARN, if any.
    private mutating func resolveStreamType(
        arn: Located<ARNValue>, plainService: String?, type: Located<StreamType>?, typeIsVariable: Bool = false,
        eventSpan: SourceSpan?
    ) -> StreamType? {
        guard case .string(let text) = arn.value else {
            if type == nil, !typeIsVariable {
                error("stream event needs `type: dynamodb` or `type: kinesis` when `arn` is an intrinsic function",
                      at: eventSpan, hint: "add `type: dynamodb` for a table stream or `type: kinesis` for a Kinesis stream")
            }
            return type?.value
        }

        let service: String
        if let plainService {
            // Read from text without `${`, so neither the service nor the ARN contains a variable.
            service = plainService
        } else {
            service = ServiceDecoding.arnService(text) ?? ""
            if service.isEmpty || ServiceDecoding.containsVariable(service), ServiceDecoding.containsVariable(text) {
                // The framework resolves the variable before it reads the type from the ARN.
                return type?.value
            }
        }
        guard let inferred = StreamType.names.match(service) else {
            error("stream `arn` is a `\(service)` ARN, but a stream event reads a `kinesis` or `dynamodb` stream",
                  at: arn.span, hint: "use the ARN of a Kinesis stream or of a DynamoDB table's stream")
            return type?.value
        }
        if let type, type.value != inferred {
            error("`type: \(type.value.rawValue)` contradicts the arn, which is a `\(inferred.rawValue)` ARN",
                  at: type.span, hint: "write `type: \(inferred.rawValue)`, or remove `type` to infer it from the arn")
        }
        // A plain ARN has no `${`. Any other may hold a variable or `Fn::Sub` syntax such as
        // `${AWS::Region}`, whose colons and value are known only later.
        if plainService != nil || !text.contains("${") {
            checkStreamResource(of: text, type: inferred, at: arn.span)
        }
        return inferred
    }

    /// Reports an ARN, written without `${`, whose resource cannot name a stream. Lambda
    /// creates a mapping only from `stream/<name>` for Kinesis (or a consumer of it,
    /// `stream/<name>/consumer/...`) and from `table/<name>/stream/<label>` for DynamoDB. The
    /// framework passes any text through, and the mistake shows only when CloudFormation creates
    /// the mapping. The most common one is a table's own ARN in place of its stream's.
    private mutating func checkStreamResource(of arn: String, type: StreamType, at span: SourceSpan?) {
        var arn = arn
        let problem = arn.withUTF8 { bytes in ServiceDecoding.streamResourceProblem(bytes, type: type) }
        guard let problem else { return }

        // The resource is what follows the fifth colon: `arn:partition:service:region:account:`.
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let resource = fields.count == 6 ? String(fields[5]) : ""
        let found = resource.isEmpty ? "it has none" : "is `\(resource)`"
        switch problem {
        case .tableInsteadOfStream:
            let table = resource.dropFirst("table/".count)
            error("stream `arn` is the ARN of the DynamoDB table `\(table)`, not of its stream",
                  at: span,
                  hint: "use the stream's ARN, which ends in `/stream/<label>` (`arn.dynamodbStream` builds it), "
                      + "or `Fn::GetAtt: [<table>, StreamArn]` with `type: dynamodb`")
        case .missingRegion:
            error("stream `arn` has no region: the field after `\(type.rawValue):` is empty",
                  at: span, hint: "write the stream's region, such as us-east-1, after `:\(type.rawValue):`")
        case .invalidRegion:
            let region = fields.count == 6 ? String(fields[3]) : ""
            error("stream `arn` has the region `\(region)`, but a region is lower-case letters, digits and `-`",
                  at: span, hint: "write the stream's region, such as us-east-1")
        case .invalidName:
            let name = type == .kinesis ? resource.dropFirst("stream/".count).prefix { $0 != "/" }
                : resource.dropFirst("table/".count).prefix { $0 != "/" }
            let rule = type == .kinesis
                ? "a Kinesis stream name is 1 to 128 letters, digits, `_`, `.` and `-`"
                : "a DynamoDB table name is at most 255 letters, digits, `_`, `.` and `-`"
            error("stream `arn` names `\(name)`, but \(rule)", at: span, hint: "check the name in the ARN")
        case .notAStream:
            switch type {
            case .kinesis:
                error("stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` "
                        + "or `stream/<name>/consumer/<consumer>:<time>`, but \(found)",
                      at: span, hint: "write `arn:aws:kinesis:<region>:<account>:stream/<name>`, or build it with `arn.kinesisStream`")
            case .dynamodb:
                error("stream `arn` is not the ARN of a DynamoDB table stream: its resource must be "
                        + "`table/<name>/stream/<label>`, but \(found)",
                      at: span, hint: "use the stream ARN of the table, or build it with `arn.dynamodbStream`")
            }
        }
    }

    /// The reason an ARN cannot name a stream.
    enum StreamResourceProblem: Equatable {
        /// `table/<name>` alone: a DynamoDB table's ARN where its stream's belongs.
        case tableInsteadOfStream
        case notAStream
        /// The region field, between the third and fourth colons, is empty.
        case missingRegion
        /// The region field has a character other than a lower-case letter, a digit or `-`.
        case invalidRegion
        /// The stream's or table's name has a character AWS does not allow, or a length outside
        /// its range.
        case invalidName
    }

    /// Returns why the ARN in `bytes` cannot name a stream of `type`, or `nil` when it can: its
    /// region and its resource (what follows the fifth colon). It reads bytes in one
    /// pass, because this runs for every stream event, and splitting a `String` by characters cost
    /// thousands of instructions per ARN.
    static func streamResourceProblem(_ bytes: UnsafeBufferPointer<UInt8>, type: StreamType) -> StreamResourceProblem? {
        guard let base = bytes.baseAddress else { return .notAStream }
        // The offsets just past the third and fourth colons, where the region and the account start.
        var regionStart = 0
        var accountStart = 0
        var index = 0
        for field in 0..<5 {
            guard index < bytes.count, let colon = memchr(base + index, Int32(UInt8(ascii: ":")), bytes.count - index) else {
                return .notAStream
            }
            index = base.distance(to: colon.assumingMemoryBound(to: UInt8.self)) + 1
            if field == 2 { regionStart = index }
            if field == 3 { accountStart = index }
        }

        switch type {
        case .kinesis:
            // `stream/<name>`, or a consumer of it: `stream/<name>/consumer/<consumer>:<time>`.
            guard hasPrefix("stream/", in: bytes, at: index), startsSegment(bytes, at: index + 7) else { return .notAStream }
        case .dynamodb:
            // `table/<name>/stream/<label>`.
            guard hasPrefix("table/", in: bytes, at: index), startsSegment(bytes, at: index + 6) else { return .notAStream }
        }
        // Kinesis and DynamoDB are regional, so the region is never empty.
        // NOTE: the account is not checked. An AWS account ID is 12 digits, but the framework's
        // own examples write placeholders such as `XXXXXX`, which slsx compiles as they are.
        if accountStart - regionStart == 1 { return .missingRegion }
        // Region codes are lower-case letters, digits and `-` (us-east-1, cn-north-1, us-gov-west-1).
        for offset in regionStart..<accountStart - 1 {
            switch bytes[offset] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): continue
            default: return .invalidRegion
            }
        }

        switch type {
        case .kinesis:
            // A stream name is 1 to 128 of `a-zA-Z0-9_.-` (Kinesis API, CreateStream's StreamName).
            let nameStart = index + 7
            let nameEnd = nameEnd(in: bytes, from: nameStart)
            guard nameEnd - nameStart <= 128, isResourceName(bytes, nameStart..<nameEnd) else { return .invalidName }
            if nameEnd == bytes.count { return nil }
            // A consumer: `/consumer/<name>:<creation time in seconds>`, the name as a stream's.
            guard hasPrefix("/consumer/", in: bytes, at: nameEnd) else { return .notAStream }
            let consumerStart = nameEnd + 10
            var colon = consumerStart
            while colon < bytes.count, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
            guard colon > consumerStart, colon - consumerStart <= 128, isResourceName(bytes, consumerStart..<colon),
                  colon + 1 < bytes.count,
                  (colon + 1..<bytes.count).allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") })
            else { return .notAStream }
            return nil
        case .dynamodb:
            // A table name is at most 255 of `a-zA-Z0-9_.-` (DynamoDB API, CreateTable's TableName).
            // NOTE: the API's minimum of 3 characters is not checked, because the framework's
            // own test cases name tables `t1` and `t2`, and slsx compiles them as they are.
            let nameStart = index + 6
            let nameEnd = nameEnd(in: bytes, from: nameStart)
            guard nameEnd - nameStart <= 255, isResourceName(bytes, nameStart..<nameEnd) else { return .invalidName }
            if nameEnd == bytes.count { return .tableInsteadOfStream }
            guard hasPrefix("/stream/", in: bytes, at: nameEnd), startsSegment(bytes, at: nameEnd + 8) else { return .notAStream }
            // The label is the stream's creation time, such as 2024-01-01T00:00:00.000: one
            // segment without spaces.
            for offset in (nameEnd + 8)..<bytes.count where bytes[offset] == UInt8(ascii: "/") || bytes[offset] <= UInt8(ascii: " ") {
                return .notAStream
            }
            return nil
        }
    }

    /// Returns the offset of the first `/` at or after `start`, or the end of `bytes`.
    private static func nameEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
        return end
    }

    /// Returns whether `bytes[range]` contains only the characters Kinesis and DynamoDB allow in
    /// names: ASCII letters, digits, `_`, `.` and `-`.
    private static func isResourceName(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range {
            switch bytes[index] {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// Returns whether `bytes` continue with the ASCII text `prefix` at `index`.
    private static func hasPrefix(_ prefix: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + index, prefix.utf8Start, count) == 0
    }

    /// Returns whether a non-empty segment starts at `index`: a byte other than `/` is there.
    private static func startsSegment(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index < bytes.count && bytes[index] != UInt8(ascii: "/")
    }

    // MARK: - Batching

    /// Decodes the integer settings, with the ranges both sources agree on.
    private mutating func decodeBatching(_ settings: StreamSettings, into event: inout StreamEvent) {
        func decode(_ setting: StreamSetting, _ allowed: IntegerRange) -> Located<Int>? {
            guard let entry = settings[setting] else { return nil }
            return integer(entry.value, named: setting.name, allowed: allowed, fallback: entry.keySpan)
        }
        // The framework: 1...10000. The Lambda API: at most 10,000 for Kinesis and for DynamoDB
        // (the developer guide's DynamoDB table; older API references gave 1,000 for DynamoDB).
        event.batchSize = decode(.batchSize, IntegerRange(1...10000))
        // The framework and the Lambda API (MaximumBatchingWindowInSeconds): 0...300 seconds.
        event.batchWindow = decode(.batchWindow, IntegerRange(0...300))
        // The framework and the Lambda API: 1...10 concurrent batches per shard.
        event.parallelizationFactor = decode(.parallelizationFactor, IntegerRange(1...10))
        // The framework: -1...10000, where -1 retries until the record expires.
        event.maximumRetryAttempts = decode(.maximumRetryAttempts, IntegerRange(-1...10000))
        // The framework: -1 or 60...604800; the Lambda API rejects 0...59.
        event.maximumRecordAgeInSeconds = decode(.maximumRecordAgeInSeconds, IntegerRange(60...604800, or: -1))
        // The framework and the Lambda API: 0...900 seconds.
        event.tumblingWindowInSeconds = decode(.tumblingWindowInSeconds, IntegerRange(0...900))
    }

    // MARK: - Starting position

    /// Decodes `startingPosition` and `startingPositionTimestamp`. The framework and the Lambda API
    /// accept `LATEST`, `TRIM_HORIZON` and, for Kinesis only, `AT_TIMESTAMP`. `AT_TIMESTAMP` needs a
    /// timestamp in seconds since the epoch, and a timestamp without `AT_TIMESTAMP` is an error.
    private mutating func decodeStartingPosition(
        _ settings: StreamSettings, resolvedType: StreamType?, eventSpan: SourceSpan?, into event: inout StreamEvent
    ) {
        if let entry = settings[.startingPosition],
           !acceptsVariable(entry.value, for: "startingPosition", fallback: entry.keySpan),
           let text = string(entry.value, named: "startingPosition", fallback: entry.keySpan) {
            if let position = StartingPosition.names.match(text.value) {
                event.startingPosition = Located(position, at: text.span)
            } else {
                // A DynamoDB stream cannot start at a timestamp, so the list leaves it out there.
                let allowed = StartingPosition.allCases.map(\.rawValue)
                    .filter { resolvedType != .dynamodb || $0 != StartingPosition.atTimestamp.rawValue }
                let listed = allowed.dropLast().joined(separator: ", ") + " or " + (allowed.last ?? "")
                error("`startingPosition` must be \(listed), but is `\(text.value)`",
                      at: text.span, hint: suggestion(for: text.value, among: allowed))
            }
        }

        if let entry = settings[.startingPositionTimestamp],
           !acceptsVariable(entry.value, for: "startingPositionTimestamp", fallback: entry.keySpan) {
            let span = entry.value.span ?? entry.keySpan
            switch entry.value.kind {
            case .integer(let value) where value >= 0:
                event.startingPositionTimestamp = Located(Double(value), at: span)
            case .float(let value) where value.isFinite && value >= 0:
                event.startingPositionTimestamp = Located(value, at: span)
            default:
                error("`startingPositionTimestamp` must be a number of seconds since 1970-01-01 UTC, at least 0, "
                      + "but found \(describe(entry.value))", at: span, hint: "write a Unix time such as `1700000000`")
            }
        }

        let position = event.startingPosition
        let timestampKey = settings[.startingPositionTimestamp]
        let positionIsVariable = mayContainVariables && settings.contains(.startingPosition) {
            ServiceDecoding.containsVariable($0.value.stringValue ?? "")
        }
        if positionIsVariable {
            // The position is known only after the framework resolves it.
        } else if position?.value == .atTimestamp {
            // On a DynamoDB stream the position itself is wrong, and the fix is LATEST or
            // TRIM_HORIZON, so the missing timestamp is not reported as a second error.
            if resolvedType == .dynamodb {
                error("`startingPosition: AT_TIMESTAMP` is for Kinesis streams only", at: position?.span,
                      hint: "DynamoDB streams start at LATEST or TRIM_HORIZON")
            } else if timestampKey == nil {
                error("`startingPosition: AT_TIMESTAMP` needs `startingPositionTimestamp`", at: position?.span ?? eventSpan,
                      hint: "add `startingPositionTimestamp:` with the Unix time to start reading from")
            }
        } else if let timestampKey {
            error("`startingPositionTimestamp` is only allowed with `startingPosition: AT_TIMESTAMP`",
                  at: timestampKey.keySpan ?? timestampKey.value.span,
                  hint: "set `startingPosition: AT_TIMESTAMP`, or remove `startingPositionTimestamp`")
        }
    }

    // MARK: - Record handling

    /// Decodes the settings that set how the function handles records: `enabled`,
    /// `bisectBatchOnFunctionError`, `functionResponseType`, `consumer`, `destinations` and
    /// `filterPatterns`.
    ///
    /// They are assigned here, through `inout`, and not in `decodeStreamSettings`, because the
    /// compiler (Swift 6.3) rejects the `consume event` there once a field that contains a string
    /// or a node is assigned directly.
    private mutating func decodeRecordHandling(
        _ settings: StreamSettings, resolvedType: StreamType?, function: String, into event: inout StreamEvent
    ) {
        if let entry = settings[.enabled] {
            event.enabled = bool(entry.value, named: "enabled", fallback: entry.keySpan)
        }
        if let entry = settings[.bisectBatchOnFunctionError] {
            event.bisectBatchOnFunctionError = bool(entry.value, named: "bisectBatchOnFunctionError", fallback: entry.keySpan)
        }

        // The framework and the Lambda API: `ReportBatchItemFailures` is the only response type.
        if let entry = settings[.functionResponseType],
           !acceptsVariable(entry.value, for: "functionResponseType", fallback: entry.keySpan),
           let text = string(entry.value, named: "functionResponseType", fallback: entry.keySpan) {
            if text.value == "ReportBatchItemFailures" {
                event.functionResponseType = text
            } else {
                error("`functionResponseType` must be `ReportBatchItemFailures`, but is `\(text.value)`", at: text.span,
                      hint: "write `functionResponseType: ReportBatchItemFailures`, or remove the key")
            }
        }

        if let entry = settings[.consumer] {
            event.consumer = decodeConsumer(entry.value, keySpan: entry.keySpan, resolvedType: resolvedType)
        }
        if let entry = settings[.destinations], !acceptsVariable(entry.value, for: "destinations", fallback: entry.keySpan) {
            event.onFailure = decodeDestinations(entry.value, keySpan: entry.keySpan, function: function)
        }
        if let entry = settings[.filterPatterns], !acceptsVariable(entry.value, for: "filterPatterns", fallback: entry.keySpan) {
            event.filterPatterns = decodeFilterPatterns(entry.value, keySpan: entry.keySpan)
        }
    }

    // MARK: - Consumer

    /// Decodes `consumer`: `true`, or the ARN of an existing consumer (a string or an intrinsic), on
    /// Kinesis streams only. The framework's schema (`anyOf: [{const: true}, awsArn]` in stream.js)
    /// rejects `false` and any other string, such as a consumer name.
    private mutating func decodeConsumer(_ node: Node, keySpan: SourceSpan?, resolvedType: StreamType?) -> Located<Consumer>? {
        let span = node.span ?? keySpan
        let consumer: Consumer
        switch node.kind {
        case .bool(true):
            consumer = .enabled(true)
        case .bool(false):
            error("`consumer` must be true or a consumer ARN, but found the boolean false; the framework's schema "
                  + "accepts only `true`, an ARN or an intrinsic function", at: span,
                  hint: "remove `consumer` to read the stream without an enhanced fan-out consumer")
            return nil
        case .string(let text) where ServiceDecoding.arnService(text) != nil || ServiceDecoding.containsVariable(text):
            _ = acceptsVariable(node, for: "consumer", fallback: keySpan)
            checkSubstitutionSyntax(text, named: "consumer", at: span)
            consumer = .arn(.string(text))
        case .mapping where ServiceDecoding.isIntrinsic(node):
            consumer = .arn(.intrinsic(node))
        default:
            error("`consumer` must be true or a consumer ARN, but found \(describe(node))", at: span,
                  hint: "write `consumer: true` to have a consumer created, or the ARN of an existing one, such as "
                      + "`arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/reader:1700000000`")
            return nil
        }
        if resolvedType == .dynamodb {
            error("`consumer` is for Kinesis streams only, but this stream is a DynamoDB stream", at: span,
                  hint: "remove `consumer`; DynamoDB streams have no enhanced fan-out consumers")
        }
        return Located(consumer, at: span)
    }

    // MARK: - Destinations

    /// Decodes `destinations`, which has only `onFailure`, an SNS topic or SQS queue (the framework and the Lambda API).
    private mutating func decodeDestinations(
        _ node: Node, keySpan: SourceSpan?, function: String
    ) -> Located<FailureDestination>? {
        let span = node.span ?? keySpan
        guard case .mapping(let entries) = node.kind else {
            error("`destinations` must be a map with `onFailure`, but found \(describe(node))", at: span,
                  hint: "write `destinations:` with `onFailure: <topic or queue ARN>` under it")
            return nil
        }
        rejectUnknownKeys(entries, known: KnownKeys.streamDestinations,
                          in: "`destinations` of the stream event of function `\(function)`", parent: span)
        guard let onFailure = entries.first(key: "onFailure") else {
            error("`destinations` has no `onFailure`", at: span,
                  hint: "add `onFailure:` with the ARN of an SNS topic or SQS queue")
            return nil
        }
        return decodeFailureDestination(onFailure.value, keySpan: onFailure.keySpan, function: function)
    }

    private mutating func decodeFailureDestination(
        _ node: Node, keySpan: SourceSpan?, function: String
    ) -> Located<FailureDestination>? {
        let span = node.span ?? keySpan
        switch node.kind {
        case .string:
            guard let arn = decodeDestinationARN(node, fallback: keySpan, type: nil) else { return nil }
            return Located(FailureDestination(arn: arn), at: span)
        case .mapping(let entries) where !ServiceDecoding.isIntrinsic(node):
            rejectUnknownKeys(entries, known: KnownKeys.failureDestination, in: "`onFailure`", parent: span)
            var type: Located<DestinationType>?
            if let entry = entries.first(key: "type"),
               !acceptsVariable(entry.value, for: "onFailure.type", fallback: entry.keySpan),
               let text = string(entry.value, named: "onFailure.type", fallback: entry.keySpan) {
                if let value = DestinationType.names.match(text.value) {
                    type = Located(value, at: text.span)
                } else {
                    error("`onFailure.type` must be `sns` or `sqs`, but is `\(text.value)`", at: text.span,
                          hint: suggestion(for: text.value, among: DestinationType.allCases.map(\.rawValue)))
                }
            }
            guard let arnEntry = entries.first(key: "arn") else {
                error("`onFailure` has no `arn`", at: span, hint: "add `arn:` with the ARN of an SNS topic or SQS queue")
                return nil
            }
            let typeIsVariable = ServerlessVariable.isWholeVariable(
                entries.first(key: "type")?.value.stringValue ?? "")
            guard let arn = decodeDestinationARN(
                arnEntry.value, fallback: arnEntry.keySpan, type: type, typeIsVariable: typeIsVariable)
            else { return nil }
            return Located(FailureDestination(arn: arn, type: type?.value), at: span)
        default:
            error("`onFailure` must be an ARN or a map with `arn` and `type`, but found \(describe(node))", at: span,
                  hint: "write `onFailure: {arn: {Fn::GetAtt: [<queue>, Arn]}, type: sqs}` for an intrinsic ARN")
            return nil
        }
    }

    /// Decodes the ARN of a failure destination and checks it against `type`. A string ARN's service
    /// must be `sns` or `sqs` and agree with `type`, and an intrinsic needs `type`. `Ref` of an SQS
    /// queue returns the queue's URL, not its ARN (CloudFormation's AWS::SQS::Queue return values), so
    /// it gets a warning.
    private mutating func decodeDestinationARN(
        _ node: Node, fallback: SourceSpan?, type: Located<DestinationType>?, typeIsVariable: Bool = false
    ) -> ARNValue? {
        let span = node.span ?? fallback
        if case .string(let text) = node.kind, let service = ServiceDecoding.plainASCIIARNService(text) {
            // Text without `${` contains no variable and no `Fn::Sub` syntax, so only the service
            // is checked.
            return checkDestinationService(service, of: text, type: type, at: span)
        }
        switch node.kind {
        case .string(let text) where ServiceDecoding.containsVariable(text):
            _ = acceptsVariable(node, for: "onFailure", fallback: fallback)
            checkSubstitutionSyntax(text, named: "onFailure", at: span)
            // The framework resolves the variable before it reads the type from the ARN.
            return .string(text)
        case .string(let text):
            checkSubstitutionSyntax(text, named: "onFailure", at: span)
            guard let service = ServiceDecoding.arnService(text) else {
                error("`onFailure` arn must be an ARN, but found \(describe(node))", at: span,
                      hint: "write the ARN of an SNS topic or SQS queue, such as `arn:aws:sqs:us-east-1:123456789012:failures`")
                return nil
            }
            return checkDestinationService(service, of: text, type: type, at: span)
        case .mapping(let entries) where ServiceDecoding.isIntrinsic(node):
            if type == nil, !typeIsVariable {
                error("`onFailure` needs `type: sns` or `type: sqs` when `arn` is an intrinsic function", at: span,
                      hint: "add `type: sqs` for a queue or `type: sns` for a topic")
            }
            if type?.value == .sqs, let reference = entries.first, reference.key == "Ref" {
                let name = reference.value.stringValue ?? "<queue>"
                warning("`Ref` of SQS queue `\(name)` returns the queue's URL, not its ARN", at: span,
                        hint: FailureDestination.queueARNHint(name))
            }
            return .intrinsic(node)
        default:
            error("`onFailure` arn must be an ARN or an intrinsic function, but found \(describe(node))", at: span,
                  hint: "write an ARN string or `Fn::GetAtt: [<queue>, Arn]`")
            return nil
        }
    }

    /// Checks `service`, the service field of the string ARN `text`, as a failure destination's:
    /// `sns` or `sqs`, and the same as `type` when it is given. Returns the ARN, or `nil` after
    /// reporting a service of another kind.
    private mutating func checkDestinationService(
        _ service: String, of text: String, type: Located<DestinationType>?, at span: SourceSpan?
    ) -> ARNValue? {
        guard let inferred = DestinationType.names.match(service) else {
            error("`onFailure` arn is a `\(service)` ARN, but a failure destination is an SNS topic or SQS queue",
                  at: span, hint: "use the ARN of an SNS topic or SQS queue")
            return nil
        }
        if let type, type.value != inferred {
            error("`type: \(type.value.rawValue)` contradicts the arn, which is an `\(inferred.rawValue)` ARN",
                  at: type.span, hint: "write `type: \(inferred.rawValue)`, or remove `type` to infer it from the arn")
        }
        return .string(text)
    }

    // MARK: - Filter patterns

    /// Decodes `filterPatterns`: a list of maps, one Lambda filter each (Lambda ORs them). The framework's
    /// schema requires 1 to 10 patterns. Lambda's default quota is 5 filters per event source mapping,
    /// adjustable to at most 10 (the Lambda developer guide's page on event filtering), so more than 5
    /// is a warning.
    private mutating func decodeFilterPatterns(_ node: Node, keySpan: SourceSpan?) -> Located<[Node]>? {
        let span = node.span ?? keySpan
        guard case .sequence(let items) = node.kind else {
            error("`filterPatterns` must be a list of patterns, but found \(describe(node))", at: span,
                  hint: "write each pattern as its own list item; a record passes when any pattern matches it")
            return nil
        }
        var patterns: [Node] = []
        for item in items where !acceptsVariable(item, for: "filterPatterns", fallback: span) {
            guard case .mapping = item.kind else {
                error("each filter pattern must be a map, but found \(describe(item))", at: item.span ?? span,
                      hint: "write a pattern such as `{eventName: [INSERT]}`")
                continue
            }
            patterns.append(item)
        }
        if items.isEmpty {
            error("`filterPatterns` must contain at least one pattern", at: span,
                  hint: "add a pattern such as `{eventName: [INSERT]}`, or remove `filterPatterns`")
        } else if items.count > 10 {
            error("`filterPatterns` has \(items.count) patterns, but Lambda allows at most 10", at: span,
                  hint: "merge patterns, or split the event into several events")
        } else if items.count > 5 {
            warning("`filterPatterns` has \(items.count) patterns, more than Lambda's default quota of 5", at: span,
                    hint: "request a quota increase (at most 10), or merge patterns")
        }
        return Located(patterns, at: span)
    }

    // MARK: - Helpers

    /// Returns a "did you mean" hint for a value that is not one of `allowed`, or else the list of
    /// allowed values.
    private func suggestion(for value: String, among allowed: [String]) -> String {
        if let closest = allowed.closest(to: value) {
            return "did you mean `\(closest)`?"
        }
        return "use one of " + allowed.map { "`\($0)`" }.joined(separator: ", ")
    }
}
