import SlsxSource
import Testing

@testable import SlsxModel

/// Decodes `json` (a serverless.yml document written as JSON) with spans into `cases.json`, and
/// returns the service and each diagnostic as `line:column: severity: message`. The file is
/// released on return, so a test that reads the service's spans passes its own file instead.
func decode(_ json: String) throws -> (service: Service?, diagnostics: [String], hints: [String?]) {
    try decode(SourceFile(path: "cases.json", text: json))
}

/// Decodes `file` like `decode(_:)`; the caller keeps the file alive while it reads spans.
func decode(_ file: SourceFile) throws -> (service: Service?, diagnostics: [String], hints: [String?]) {
    let (service, diagnostics) = ServiceDecoder.decode(try JSONReader.read(file))
    let lines = diagnostics.map { diagnostic in
        "\(diagnostic.span.map { $0.startLocation.description } ?? "-"): \(diagnostic.severity.rawValue): \(diagnostic.message)"
    }
    return (service, lines, diagnostics.map(\.hint))
}

/// A document with one function, `worker`, whose only event is `{"stream": <stream>}`. The `stream`
/// key is at 2:62 and `stream` starts at line 3, column 1.
func streamDocument(_ stream: String) -> String {
    """
    {"service": "svc",
     "functions": {"worker": {"handler": "h.worker", "events": [{"stream":
    \(stream)
    }]}}}
    """
}

/// Decodes a Kinesis stream event with one more setting on line 4: `"<key>": <value>`, so the value
/// starts at column `key.count + 5`.
func decodeSetting(_ key: String, _ value: String, arn: String = "arn:aws:kinesis:us-east-1:123456789012:stream/s")
    throws -> (event: StreamEvent?, diagnostics: [String], hints: [String?])
{
    let result = try decode(streamDocument("{\"arn\": \"\(arn)\",\n\"\(key)\": \(value)}"))
    return (result.service?.functions.first?.streamEvents.first, result.diagnostics, result.hints)
}

struct ServiceDecoderTests {
    @Test func decodesEveryStreamSetting() throws {
        let file = SourceFile(path: "cases.json", text: """
            {"service": "tracking",
             "functions": {"tracker": {"handler": "h.tracker", "events": [{"stream": {
               "type": "kinesis",
               "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/pageviews",
               "batchSize": 25, "startingPosition": "LATEST", "enabled": true,
               "bisectBatchOnFunctionError": true, "maximumRetryAttempts": 3,
               "parallelizationFactor": 4, "batchWindow": 5, "maximumRecordAgeInSeconds": 120,
               "functionResponseType": "ReportBatchItemFailures", "tumblingWindowInSeconds": 60}}]}}}
            """)
        let (service, diagnostics, _) = try decode(file)
        #expect(diagnostics == [])
        #expect(service?.name?.value == "tracking")
        let function = try #require(service?.functions.first)
        #expect(function.name.value == "tracker")
        #expect(function.handler?.value == "h.tracker")
        let event = try #require(function.streamEvents.first)
        #expect(event.arn.value == .string("arn:aws:kinesis:us-east-1:123456789012:stream/pageviews"))
        #expect(event.type?.value == .kinesis)
        #expect(event.resolvedType == .kinesis)
        #expect(event.batchSize?.value == 25)
        #expect(event.startingPosition?.value == .latest)
        #expect(event.enabled?.value == true)
        #expect(event.bisectBatchOnFunctionError?.value == true)
        #expect(event.maximumRetryAttempts?.value == 3)
        #expect(event.parallelizationFactor?.value == 4)
        #expect(event.batchWindow?.value == 5)
        #expect(event.maximumRecordAgeInSeconds?.value == 120)
        #expect(event.functionResponseType?.value == "ReportBatchItemFailures")
        #expect(event.tumblingWindowInSeconds?.value == 60)
        #expect(event.batchSize?.span?.startLocation.description == "5:17")
        #expect(event.span?.startLocation.description == "2:64")
    }

    @Test func stringFormInfersType() throws {
        let file = SourceFile(path: "cases.json", text: streamDocument(
            "\"arn:aws:dynamodb:us-east-1:123456789012:table/foo/stream/2024-01-01T00:00:00.000\""))
        let (service, diagnostics, _) = try decode(file)
        #expect(diagnostics == [])
        let event = try #require(service?.functions.first?.streamEvents.first)
        #expect(event.type == nil)
        #expect(event.resolvedType == .dynamodb)
        #expect(event.span?.startLocation.description == "2:62")
    }

    // MARK: - Integer settings

    @Test(arguments: [
        ("batchSize", "1"), ("batchSize", "10000"),
        ("batchWindow", "0"), ("batchWindow", "300"),
        ("parallelizationFactor", "1"), ("parallelizationFactor", "10"),
        ("maximumRetryAttempts", "-1"), ("maximumRetryAttempts", "10000"),
        ("maximumRecordAgeInSeconds", "-1"), ("maximumRecordAgeInSeconds", "60"),
        ("maximumRecordAgeInSeconds", "604800"),
        ("tumblingWindowInSeconds", "0"), ("tumblingWindowInSeconds", "900"),
    ])
    func integerBoundaryAccepted(key: String, value: String) throws {
        let (event, diagnostics, _) = try decodeSetting(key, value)
        #expect(diagnostics == [])
        #expect(event != nil)
    }

    @Test(arguments: [
        ("batchSize", "0", "4:14: error: `batchSize` must be from 1 to 10000, but is 0"),
        ("batchSize", "10001", "4:14: error: `batchSize` must be from 1 to 10000, but is 10001"),
        ("batchWindow", "-1", "4:16: error: `batchWindow` must be from 0 to 300, but is -1"),
        ("batchWindow", "301", "4:16: error: `batchWindow` must be from 0 to 300, but is 301"),
        ("parallelizationFactor", "0", "4:26: error: `parallelizationFactor` must be from 1 to 10, but is 0"),
        ("parallelizationFactor", "11", "4:26: error: `parallelizationFactor` must be from 1 to 10, but is 11"),
        ("maximumRetryAttempts", "-2", "4:25: error: `maximumRetryAttempts` must be from -1 to 10000, but is -2"),
        ("maximumRetryAttempts", "10001", "4:25: error: `maximumRetryAttempts` must be from -1 to 10000, but is 10001"),
        ("maximumRecordAgeInSeconds", "0",
         "4:30: error: `maximumRecordAgeInSeconds` must be -1 or from 60 to 604800, but is 0"),
        ("maximumRecordAgeInSeconds", "59",
         "4:30: error: `maximumRecordAgeInSeconds` must be -1 or from 60 to 604800, but is 59"),
        ("maximumRecordAgeInSeconds", "604801",
         "4:30: error: `maximumRecordAgeInSeconds` must be -1 or from 60 to 604800, but is 604801"),
        ("maximumRecordAgeInSeconds", "-2",
         "4:30: error: `maximumRecordAgeInSeconds` must be -1 or from 60 to 604800, but is -2"),
        ("tumblingWindowInSeconds", "-1", "4:28: error: `tumblingWindowInSeconds` must be from 0 to 900, but is -1"),
        ("tumblingWindowInSeconds", "901", "4:28: error: `tumblingWindowInSeconds` must be from 0 to 900, but is 901"),
        ("maximumRecordAgeInSeconds", "60.5",
         "4:30: error: `maximumRecordAgeInSeconds` must be an integer, but found the float 60.5"),
        ("maximumRecordAgeInSeconds", "\"60\"",
         "4:30: error: `maximumRecordAgeInSeconds` must be an integer, but found the string \"60\""),
        ("batchSize", "100.0", "4:14: error: `batchSize` must be an integer, but found the float 100.0"),
        ("batchSize", "true", "4:14: error: `batchSize` must be an integer, but found the boolean true"),
        ("batchSize", "99999999999999999999", "4:14: error: `batchSize` must be an integer, but found the float 1e+20"),
    ])
    func integerOutOfRangeRejected(key: String, value: String, expected: String) throws {
        let (event, diagnostics, _) = try decodeSetting(key, value)
        #expect(diagnostics == [expected])
        #expect(event == nil)
    }

    @Test func integerHints() throws {
        #expect(try decodeSetting("batchSize", "0").hints == ["use a value that is from 1 to 10000"])
        #expect(try decodeSetting("batchSize", "\"60\"").hints == ["remove the quotes around 60"])
        #expect(try decodeSetting("batchSize", "60.5").hints == ["write a whole number: from 1 to 10000"])
    }

    // MARK: - Starting position

    @Test func startingPositions() throws {
        #expect(try decodeSetting("startingPosition", "\"TRIM_HORIZON\"").event?.startingPosition?.value == .trimHorizon)
        let (_, diagnostics, hints) = try decodeSetting("startingPosition", "\"latest\"")
        #expect(diagnostics == [
            "4:21: error: `startingPosition` must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, but is `latest`",
        ])
        #expect(hints == ["did you mean `LATEST`?"])
    }

    @Test func atTimestampNeedsTimestamp() throws {
        let accepted = try decode(streamDocument("""
            {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "startingPosition": "AT_TIMESTAMP", "startingPositionTimestamp": 1700000000}
            """))
        #expect(accepted.diagnostics == [])
        #expect(accepted.service?.functions.first?.streamEvents.first?.startingPositionTimestamp?.value == 1_700_000_000)

        let missing = try decodeSetting("startingPosition", "\"AT_TIMESTAMP\"")
        #expect(missing.diagnostics == ["4:21: error: `startingPosition: AT_TIMESTAMP` needs `startingPositionTimestamp`"])

        let alone = try decodeSetting("startingPositionTimestamp", "1700000000")
        #expect(alone.diagnostics == [
            "4:1: error: `startingPositionTimestamp` is only allowed with `startingPosition: AT_TIMESTAMP`",
        ])

        let negative = try decodeSetting("startingPositionTimestamp", "-1")
        #expect(negative.diagnostics == [
            "4:30: error: `startingPositionTimestamp` must be a number of seconds since 1970-01-01 UTC, at least 0, "
                + "but found the integer -1",
            "4:1: error: `startingPositionTimestamp` is only allowed with `startingPosition: AT_TIMESTAMP`",
        ])
    }

    @Test func atTimestampIsKinesisOnly() throws {
        let (_, diagnostics, hints) = try decode(streamDocument("""
            {"arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
            "startingPosition": "AT_TIMESTAMP", "startingPositionTimestamp": 1700000000}
            """))
        #expect(diagnostics == ["4:21: error: `startingPosition: AT_TIMESTAMP` is for Kinesis streams only"])
        #expect(hints == ["DynamoDB streams start at LATEST or TRIM_HORIZON"])

        // Without a timestamp the position is still the one error.
        let untimed = try decode(streamDocument("""
            {"arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
            "startingPosition": "AT_TIMESTAMP"}
            """))
        #expect(untimed.diagnostics == ["4:21: error: `startingPosition: AT_TIMESTAMP` is for Kinesis streams only"])
    }

    @Test func dynamodbPositionsListed() throws {
        let (_, diagnostics, hints) = try decode(streamDocument("""
            {"arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
            "startingPosition": "latest"}
            """))
        #expect(diagnostics == ["4:21: error: `startingPosition` must be LATEST or TRIM_HORIZON, but is `latest`"])
        #expect(hints == ["did you mean `LATEST`?"])
    }

    // MARK: - Type and ARN

    @Test(arguments: [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/s", StreamType.kinesis),
        ("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t/stream/2024-01-01T00:00:00.000", .dynamodb),
        ("arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/s", .kinesis),
    ])
    func typeInferredFromARN(arn: String, expected: StreamType) throws {
        let (service, diagnostics, _) = try decode(streamDocument("{\"arn\": \"\(arn)\"}"))
        #expect(diagnostics == [])
        #expect(service?.functions.first?.streamEvents.first?.resolvedType == expected)
    }

    @Test func otherServiceRejected() throws {
        let (_, diagnostics, _) = try decode(streamDocument(#"{"arn": "arn:aws:sqs:us-east-1:123456789012:queue"}"#))
        #expect(diagnostics == [
            "3:9: error: stream `arn` is a `sqs` ARN, but a stream event reads a `kinesis` or `dynamodb` stream",
        ])
    }

    @Test func tableARNInPlaceOfStreamRejected() throws {
        let (_, diagnostics, hints) = try decode(streamDocument(#"{"arn": "arn:aws:dynamodb:us-east-1:123456789012:table/orders"}"#))
        #expect(diagnostics == ["3:9: error: stream `arn` is the ARN of the DynamoDB table `orders`, not of its stream"])
        #expect(hints == [
            "use the stream's ARN, which ends in `/stream/<label>` (`arn.dynamodbStream` builds it), "
                + "or `Fn::GetAtt: [<table>, StreamArn]` with `type: dynamodb`",
        ])
    }

    @Test(arguments: [
        ("arn:aws:kinesis:us-east-1:123456789012:clicks",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but is `clicks`"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but is `stream/`"),
        ("arn:aws:kinesis:us-east-1:stream/clicks",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but it has none"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/",
         "3:9: error: stream `arn` is not the ARN of a DynamoDB table stream: its resource must be `table/<name>/stream/<label>`, but is `table/orders/stream/`"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/byDate",
         "3:9: error: stream `arn` is not the ARN of a DynamoDB table stream: its resource must be `table/<name>/stream/<label>`, but is `table/orders/index/byDate`"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table//stream/2024-01-01T00:00:00.000",
         "3:9: error: stream `arn` is not the ARN of a DynamoDB table stream: its resource must be `table/<name>/stream/<label>`, but is `table//stream/2024-01-01T00:00:00.000`"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/clicks/extra",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but is `stream/clicks/extra`"),
        ("arn:aws:kinesis::123456789012:stream/clicks",
         "3:9: error: stream `arn` has no region: the field after `kinesis:` is empty"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/click stream",
         "3:9: error: stream `arn` names `click stream`, but a Kinesis stream name is 1 to 128 letters, digits, `_`, `.` and `-`"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/" + String(repeating: "s", count: 129),
         "3:9: error: stream `arn` names `" + String(repeating: "s", count: 129)
            + "`, but a Kinesis stream name is 1 to 128 letters, digits, `_`, `.` and `-`"),
        ("arn:aws:kinesis:us east-1:123456789012:stream/clicks",
         "3:9: error: stream `arn` has the region `us east-1`, but a region is lower-case letters, digits and `-`"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/reader",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but is `stream/clicks/consumer/reader`"),
        ("arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/reader:15/extra",
         "3:9: error: stream `arn` is not the ARN of a Kinesis stream: its resource must be `stream/<name>` or `stream/<name>/consumer/<consumer>:<time>`, but is `stream/clicks/consumer/reader:15/extra`"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024 01",
         "3:9: error: stream `arn` is not the ARN of a DynamoDB table stream: its resource must be `table/<name>/stream/<label>`, but is `table/orders/stream/2024 01`"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/tablé/stream/2024",
         "3:9: error: stream `arn` names `tablé`, but a DynamoDB table name is at most 255 letters, digits, `_`, `.` and `-`"),
    ])
    func streamlessResourceRejected(arn: String, expected: String) throws {
        let (_, diagnostics, _) = try decode(streamDocument("{\"arn\": \"\(arn)\"}"))
        #expect(diagnostics == [expected])
    }

    @Test(arguments: [
        "arn:aws:kinesis:us-east-1:123456789012:stream/clicks/consumer/reader:1525898737",
        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000",
        "arn:aws:kinesis:us-east-1:123456789012:stream/${self:custom.stream}",
        // Placeholders from the framework's own examples pass: the account is not checked.
        "arn:aws:kinesis:region:XXXXXX:stream/foo",
        "arn:aws:dynamodb:us-east-1:123456789012:table/My_Table.v-2/stream/2024",
    ])
    func streamResourcesAccepted(arn: String) throws {
        let (_, diagnostics, _) = try decode(streamDocument("{\"arn\": \"\(arn)\"}"))
        #expect(diagnostics == [])
    }

    @Test func typeContradictingARNRejected() throws {
        let (_, diagnostics, hints) = try decodeSetting("type", "\"dynamodb\"")
        #expect(diagnostics == ["4:9: error: `type: dynamodb` contradicts the arn, which is a `kinesis` ARN"])
        #expect(hints == ["write `type: kinesis`, or remove `type` to infer it from the arn"])
    }

    @Test func unknownTypeRejected() throws {
        let (_, diagnostics, hints) = try decodeSetting("type", "\"kinesys\"")
        #expect(diagnostics == ["4:9: error: `type` must be `dynamodb` or `kinesis`, but is `kinesys`"])
        #expect(hints == ["did you mean `kinesis`?"])
    }

    @Test func intrinsicARNNeedsType() throws {
        let missing = try decode(streamDocument(#"{"arn": {"Fn::GetAtt": ["OrdersTable", "StreamArn"]}}"#))
        #expect(missing.diagnostics == [
            "2:62: error: stream event needs `type: dynamodb` or `type: kinesis` when `arn` is an intrinsic function",
        ])

        let withType = try decode(streamDocument(#"{"arn": {"Fn::GetAtt": ["OrdersTable", "StreamArn"]}, "type": "dynamodb"}"#))
        #expect(withType.diagnostics == [])
        let event = try #require(withType.service?.functions.first?.streamEvents.first)
        #expect(event.resolvedType == .dynamodb)
        #expect(event.arn.value == .intrinsic(.mapping(["Fn::GetAtt": .sequence([.string("OrdersTable"), .string("StreamArn")])])))
    }

    @Test func intrinsicInPlaceOfSettingsRejected() throws {
        let (_, diagnostics, hints) = try decode(streamDocument(#"{"Fn::GetAtt": ["OrdersTable", "StreamArn"]}"#))
        #expect(diagnostics == [
            "3:1: error: `stream` of function `worker` is an intrinsic function, but an intrinsic ARN goes under `arn`",
        ])
        #expect(hints == ["write `arn:` with the intrinsic and `type: kinesis` or `type: dynamodb` under `stream:`"])
    }

    @Test func arnThatIsNotAnARNRejected() throws {
        let (_, diagnostics, _) = try decode(streamDocument(#"{"arn": "pageviews"}"#))
        #expect(diagnostics == ["3:9: error: stream `arn` must be an ARN or an intrinsic function, but found the string \"pageviews\""])
    }

    @Test func missingARNRejectedAtTheEvent() throws {
        let (_, diagnostics, _) = try decode(streamDocument(#"{"batchSize": 20}"#))
        #expect(diagnostics == ["2:62: error: stream event of function `worker` has no arn"])
    }

    @Test func misindentedStreamReportsBothProblems() throws {
        let (_, diagnostics, hints) = try decode("""
            {"service": "svc",
             "functions": {"worker": {"handler": "h.worker", "events": [
              {"stream": null, "arn": "arn:aws:kinesis:us-east-1:123456789012:stream/signups", "batchSize": 20}]}}}
            """)
        #expect(diagnostics == [
            "3:20: error: an event of function `worker` has 3 keys (`stream`, `arn`, `batchSize`), but an event has exactly one",
            "3:4: error: stream event of function `worker` has no arn",
        ])
        #expect(hints.first == "indent the stream settings under `stream:`")
    }

    // MARK: - Other settings

    @Test func functionResponseTypeChecked() throws {
        let (_, diagnostics, _) = try decodeSetting("functionResponseType", "\"ReportBatchItemFailure\"")
        #expect(diagnostics == [
            "4:25: error: `functionResponseType` must be `ReportBatchItemFailures`, but is `ReportBatchItemFailure`",
        ])
    }

    @Test func booleanSettingsChecked() throws {
        let (_, diagnostics, hints) = try decodeSetting("enabled", "\"true\"")
        #expect(diagnostics == ["4:12: error: `enabled` must be true or false, but found the string \"true\""])
        #expect(hints == ["remove the quotes"])
    }

    @Test func consumerForms() throws {
        #expect(try decodeSetting("consumer", "true").event?.consumer?.value == .enabled(true))
        let disabled = try decodeSetting("consumer", "false")
        #expect(disabled.diagnostics == [
            "4:13: error: `consumer` must be true or a consumer ARN, but found the boolean false; the framework's "
                + "schema accepts only `true`, an ARN or an intrinsic function",
        ])
        let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/reader:1700000000"
        #expect(try decodeSetting("consumer", "\"\(arn)\"").event?.consumer?.value == .arn(.string(arn)))
        let intrinsic = try decodeSetting("consumer", #"{"Fn::ImportValue": "ReaderConsumerArn"}"#)
        #expect(intrinsic.event?.consumer?.value == .arn(.intrinsic(.mapping(["Fn::ImportValue": .string("ReaderConsumerArn")]))))

        let name = try decodeSetting("consumer", "\"preExistingName\"")
        #expect(name.diagnostics == [
            "4:13: error: `consumer` must be true or a consumer ARN, but found the string \"preExistingName\"",
        ])
    }

    @Test func consumerIsKinesisOnly() throws {
        let (_, diagnostics, _) = try decodeSetting(
            "consumer", "true", arn: "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000")
        #expect(diagnostics == ["4:13: error: `consumer` is for Kinesis streams only, but this stream is a DynamoDB stream"])
    }

    // MARK: - Destinations

    @Test func failureDestinationForms() throws {
        let string = try decodeSetting("destinations", #"{"onFailure": "arn:aws:sqs:us-east-1:123456789012:failures"}"#)
        #expect(string.diagnostics == [])
        #expect(string.event?.onFailure?.value.resolvedType == .sqs)

        let topic = try decodeSetting(
            "destinations", #"{"onFailure": {"arn": {"Ref": "FailTopic"}, "type": "sns"}}"#)
        #expect(topic.diagnostics == [])
        #expect(topic.event?.onFailure?.value.type == .sns)
    }

    @Test(arguments: [
        (#"{"onFailure": "arn:aws:lambda:us-east-1:123456789012:function:f"}"#,
         "4:31: error: `onFailure` arn is a `lambda` ARN, but a failure destination is an SNS topic or SQS queue"),
        (#"{"onFailure": {"arn": {"Fn::GetAtt": ["FailQueue", "Arn"]}}}"#,
         "4:39: error: `onFailure` needs `type: sns` or `type: sqs` when `arn` is an intrinsic function"),
        (#"{"onFailure": {"arn": "arn:aws:sns:us-east-1:123456789012:t", "type": "sqs"}}"#,
         "4:87: error: `type: sqs` contradicts the arn, which is an `sns` ARN"),
        (#"{"onFailure": {"arn": "arn:aws:sqs:us-east-1:123456789012:q", "type": "lambda"}}"#,
         "4:87: error: `onFailure.type` must be `sns` or `sqs`, but is `lambda`"),
        (#"{"onFailure": {"type": "sqs"}}"#, "4:31: error: `onFailure` has no `arn`"),
        (#"{"onFailure": {"Fn::GetAtt": ["FailQueue", "Arn"]}}"#,
         "4:31: error: `onFailure` must be an ARN or a map with `arn` and `type`, but found a map"),
        (#"{"onSuccess": "arn:aws:sqs:us-east-1:123456789012:q"}"#,
         "4:18: error: unknown key `onSuccess` in `destinations` of the stream event of function `worker`"),
        ("[]", "4:17: error: `destinations` must be a map with `onFailure`, but found an empty list"),
    ])
    func failureDestinationRejected(destinations: String, expected: String) throws {
        let (_, diagnostics, _) = try decodeSetting("destinations", destinations)
        #expect(diagnostics.first == expected)
    }

    @Test func sqsRefIsAWarning() throws {
        let (event, diagnostics, hints) = try decodeSetting(
            "destinations", #"{"onFailure": {"arn": {"Ref": "FailQueue"}, "type": "sqs"}}"#)
        #expect(diagnostics == ["4:39: warning: `Ref` of SQS queue `FailQueue` returns the queue's URL, not its ARN"])
        #expect(hints == ["use the queue's ARN: `GetAtt(\"FailQueue\", \"Arn\")` in the script, which emits `Fn::GetAtt: [FailQueue, Arn]`"])
        #expect(event != nil)
    }

    // MARK: - Filter patterns

    @Test func filterPatternsMustBeAList() throws {
        let (_, diagnostics, _) = try decodeSetting("filterPatterns", #"{"eventName": ["INSERT"]}"#)
        #expect(diagnostics == ["4:19: error: `filterPatterns` must be a list of patterns, but found a map"])

        let item = try decodeSetting("filterPatterns", #"[{"eventName": ["INSERT"]}, "MODIFY"]"#)
        #expect(item.diagnostics == ["4:47: error: each filter pattern must be a map, but found the string \"MODIFY\""])
    }

    @Test func filterPatternQuota() throws {
        let five = "[" + Array(repeating: #"{"a": [1]}"#, count: 5).joined(separator: ", ") + "]"
        let fiveResult = try decodeSetting("filterPatterns", five)
        #expect(fiveResult.diagnostics == [])
        #expect(fiveResult.event?.filterPatterns?.value.count == 5)

        let six = "[" + Array(repeating: #"{"a": [1]}"#, count: 6).joined(separator: ", ") + "]"
        #expect(try decodeSetting("filterPatterns", six).diagnostics == [
            "4:19: warning: `filterPatterns` has 6 patterns, more than Lambda's default quota of 5",
        ])

        let ten = "[" + Array(repeating: #"{"a": [1]}"#, count: 10).joined(separator: ", ") + "]"
        #expect(try decodeSetting("filterPatterns", ten).diagnostics == [
            "4:19: warning: `filterPatterns` has 10 patterns, more than Lambda's default quota of 5",
        ])

        #expect(try decodeSetting("filterPatterns", "[]").diagnostics == [
            "4:19: error: `filterPatterns` must contain at least one pattern",
        ])

        let eleven = "[" + Array(repeating: #"{"a": [1]}"#, count: 11).joined(separator: ", ") + "]"
        #expect(try decodeSetting("filterPatterns", eleven).diagnostics == [
            "4:19: error: `filterPatterns` has 11 patterns, but Lambda allows at most 10",
        ])
    }

    @Test func fieldReportFilterPatterns() throws {
        // A list means OR: two patterns stay two patterns, in source order.
        let result = try decode(streamDocument("""
            {"type": "dynamodb",
             "arn": "arn:aws:dynamodb:us-east-1:123456789012:table/Ledger/stream/1970-01-01T00:00:00.000",
             "filterPatterns": [{"eventName": ["INSERT"]},
               {"dynamodb": {"NewImage": {"Kind": {"S": ["Refund"]}, "Total": {"N": [{"numeric": [">", 5]}]}}}}]}
            """))
        #expect(result.diagnostics == [])
        let event = result.service?.functions.first?.streamEvents.first
        let patterns = try #require(event?.filterPatterns?.value)
        #expect(try patterns.map { try JSONWriter(style: .compact).write($0) } == [
            #"{"eventName":["INSERT"]}"#,
            #"{"dynamodb":{"NewImage":{"Kind":{"S":["Refund"]},"Total":{"N":[{"numeric":[">",5]}]}}}}"#,
        ])
    }

    // MARK: - Unknown keys and several problems

    @Test func unknownStreamKeyNamedAtItsKey() throws {
        let (_, diagnostics, hints) = try decodeSetting("batchsize", "10")
        #expect(diagnostics == ["4:1: error: unknown key `batchsize` in stream event of function `worker`"])
        #expect(hints == ["did you mean `batchSize`?"])

        let streamName = try decodeSetting("streamName", "\"pageviews\"")
        #expect(streamName.diagnostics == ["4:1: error: unknown key `streamName` in stream event of function `worker`"])
        #expect(streamName.hints.first??.hasPrefix("remove it, or use one of the allowed keys: `arn`, `type`, `batchSize`") == true)
    }

    @Test func streamSettingsMatchKnownKeys() {
        #expect(ServiceDecoding.StreamSetting.allCases.map(\.name) == KnownKeys.streamEvent)
        #expect(ServiceDecoding.StreamSetting.allCases.map { String(describing: $0) } == KnownKeys.streamEvent)
        // `StreamSettings` keeps the first entry of each setting in one of 16 SIMD lanes.
        #expect(ServiceDecoding.StreamSetting.allCases.count <= 16)
    }

    @Test func repeatedStreamSettingReadInOrder() {
        // Keys of a language map or JSON object are unique, but a `Node` built in code may repeat one.
        let entries = [
            Node.Entry("startingPosition", .string("LATEST")),
            Node.Entry("bogus", .integer(1)),
            Node.Entry("startingPosition", .string("${opt:position}")),
            Node.Entry("batchSize", .integer(10)),
        ]
        let settings = ServiceDecoding.StreamSettings(entries)

        #expect(settings[.startingPosition]?.value == .string("LATEST"))
        #expect(settings[.batchSize]?.value == .integer(10))
        #expect(settings[.arn] == nil)
        #expect(settings.unknownEntries.map(\.key) == ["bogus"])
        #expect(settings.contains(.startingPosition) { $0.value.stringValue?.hasPrefix("${") == true })
        #expect(!settings.contains(.batchSize) { $0.value == .integer(11) })
        #expect(!settings.contains(.arn) { _ in true })
    }

    @Test func everyProblemReportedInOnePass() throws {
        let (service, diagnostics, _) = try decode(streamDocument("""
            {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "batchSize": 0, "batchWindow": 301, "startingPosition": "NOW", "consumer": "name", "bogus": 1}
            """))
        #expect(service == nil)
        #expect(diagnostics == [
            "4:84: error: unknown key `bogus` in stream event of function `worker`",
            "4:14: error: `batchSize` must be from 1 to 10000, but is 0",
            "4:32: error: `batchWindow` must be from 0 to 300, but is 301",
            "4:57: error: `startingPosition` must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, but is `NOW`",
            "4:76: error: `consumer` must be true or a consumer ARN, but found the string \"name\"",
        ])
    }

    @Test func renderedDiagnosticPointsAtValue() throws {
        let file = SourceFile(path: "cases.json", text: streamDocument("""
            {"arn": "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "maximumRecordAgeInSeconds": 59}
            """))
        let (_, diagnostics) = ServiceDecoder.decode(try JSONReader.read(file))
        #expect(DiagnosticRenderer().render(diagnostics) == """
            cases.json:4:30: error: `maximumRecordAgeInSeconds` must be -1 or from 60 to 604800, but is 59
             4 | "maximumRecordAgeInSeconds": 59}
               |                              ^^
            help: use a value that is -1 or from 60 to 604800

            """)
    }
}

