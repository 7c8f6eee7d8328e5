import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

@Suite("Logical IDs and stream names")
struct NamingTests {
    @Test("function names spell dashes and underscores", arguments: [
        ("first", "First"),
        ("my-func", "MyDashfunc"),
        ("my_func", "MyUnderscorefunc"),
        ("a-b_c-d", "ADashbUnderscorecDashd"),
        ("", ""),
        ("Worker0001", "Worker0001"),
        ("9lives", "9lives"),
        ("élan-vital", "ÉlanDashvital"),
        ("ß", "SS"),
        ("-lead", "Dashlead"),
        ("_lead", "Underscorelead"),
        ("worker-0042", "WorkerDash0042"),
        ("Zed-", "ZedDash"),
        ("9-x", "9Dashx"),
        ("orders-processor_v2-long-name", "OrdersDashprocessorUnderscorev2DashlongDashname"),
    ])
    func normalizedFunctionName(input: String, expected: String) {
        #expect(LogicalIDNaming.normalizedResourceName(input) == expected)
    }

    @Test("stream names keep letters and digits", arguments: [
        ("some-long-name", "Somelongname"),
        ("my_stream", "Mystream"),
        ("2024-01-01T00:00:00.000", "20240101T000000000"),
        ("ünïcode", "Ncode"),
        ("orders", "Orders"),
        ("café-9", "Caf9"),
        ("--", ""),
        ("", ""),
        ("stream-with-a-long-name-0042", "Streamwithalongname0042"),
    ])
    func alphanumericStreamName(input: String, expected: String) {
        #expect(LogicalIDNaming.alphanumericName(input) == expected)
    }

    @Test("IDs of a function's resources")
    func functionResourceIDs() {
        let ids = FunctionLogicalIDs(function: "my_func")
        #expect(ids.normalizedName == "MyUnderscorefunc")
        #expect(ids.lambdaFunction == "MyUnderscorefuncLambdaFunction")
        #expect(ids.logGroup == "MyUnderscorefuncLogGroup")
        #expect(ids.functionRole == "MyUnderscorefuncIamRoleLambdaExecution")
        #expect(ids.provisionedConcurrencyAlias == "MyUnderscorefuncProvConcLambdaAlias")
        #expect(ids.lambdaVersion == "MyUnderscorefuncLambdaVersion")
    }

    @Test("logical ID validity", arguments: [
        ("Abc123", true),
        ("Abc-1", false),
        ("Café", false),
        ("", false),
        (String(repeating: "A", count: 255), true),
        (String(repeating: "A", count: 256), false),
    ])
    func logicalIDValidity(id: String, expected: Bool) {
        #expect(LogicalIDNaming.isValidLogicalID(id) == expected)
    }

    @Test func logicalIDAcceptsOnlyAlphanumericBytes() {
        // Every byte value, after seven letters and before eight, so that it is checked both in
        // a whole word and in the overlapping last word.
        let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for byte in UInt8.min...UInt8.max {
            let id = String(decoding: Array("Abcdefg".utf8) + [byte] + Array("Hijklmno".utf8), as: UTF8.self)
            #expect(LogicalIDNaming.isValidLogicalID(id) == alphanumerics.contains(byte), "byte \(byte)")
        }
    }

    @Test("mapping and consumer IDs")
    func mappingAndConsumerIDs() {
        #expect(FunctionLogicalIDs(function: "my-func").eventSourceMapping(type: .kinesis, streamName: "my_stream")
            == "MyDashfuncEventSourceMappingKinesisMystream")
        #expect(FunctionLogicalIDs(function: "worker-0042").eventSourceMapping(type: .dynamodb, streamName: "orders-7")
            == "WorkerDash0042EventSourceMappingDynamodbOrders7")
        #expect(FunctionLogicalIDs(function: "élan").eventSourceMapping(type: .kinesis, streamName: "café-9")
            == "ÉlanEventSourceMappingKinesisCaf9")
        #expect(FunctionLogicalIDs(function: "élan").eventSourceMapping(type: .kinesis, streamName: "orders-7")
            == "ÉlanEventSourceMappingKinesisOrders7")
        #expect(FunctionLogicalIDs(function: "first").eventSourceMapping(type: .kinesis, streamName: "--")
            == "FirstEventSourceMappingKinesis")
        #expect(LogicalIDNaming.streamConsumer(consumerName: "firstmy_streamConsumer")
            == "FirstmyUnderscorestreamConsumerStreamConsumer")
    }

    @Test("stream name from each ARN form", arguments: [
        (#""arn:aws:kinesis:us-east-1:123456789012:stream/foo""#, "foo"),
        (#""arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000""#, "Orders"),
        (#"{"Fn::GetAtt": ["OrdersTable", "StreamArn"]}"#, "OrdersTable"),
        (#"{"Fn::GetAtt": "OrdersTable.StreamArn"}"#, "OrdersTable"),
        (#"{"Fn::ImportValue": "shared:stream"}"#, "shared:stream"),
        (#"{"Ref": "StreamArnParam"}"#, "StreamArnParam"),
        (#"{"Fn::Join": [":", ["arn", "aws", "kinesis", {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}, "stream/clickstream"]]}"#, "clickstream"),
        (#"{"Fn::Join": ["", ["arn:aws:dynamodb:us-east-1:123456789012:table/T", "/stream/2024-01-01T00:00:00.000"]]}"#, "2024-01-01T00:00:00.000"),
        (#"{"Fn::Sub": "arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s1"}"#, "s1"),
    ])
    func derivedStreamName(arn: String, expected: String) throws {
        let node = TestSupport.json(arn)
        let value: ARNValue = node.stringValue.map { .string($0) } ?? .intrinsic(node)
        let name = try StreamName.derive(from: Located(value)).get()
        #expect(name == expected)
    }

    @Test("ASCII name offsets agree with derive", arguments: [
        "arn:aws:kinesis:us-east-1:123456789012:stream/foo-1",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000",
        "arn:aws:kinesis:us-east-1:123456789012:streamfoo",
        "arn:aws:kinesis:us-east-1:123456789012:stream/",
        "arn:aws:kinesis:us-east-1:123456789012:stream/café",
    ])
    func asciiNameOffsets(arn: String) {
        let derived = try? StreamName.derive(from: Located(.string(arn))).get()
        let range = StreamName.asciiNameRange(ofARN: arn)
        // Offsets are found exactly for the ASCII ARNs that give a name, and `derive` handles the rest.
        if derived != nil, arn.isASCII {
            #expect(range != nil)
        } else {
            #expect(range == nil)
        }
        if let range, let derived {
            let ids = FunctionLogicalIDs(function: "worker-1")
            #expect(ids.eventSourceMapping(type: .kinesis, streamNameAt: range, ofASCII: arn)
                == ids.eventSourceMapping(type: .kinesis, streamName: derived))
        }
    }

    @Test("underivable stream names are errors", arguments: [
        #""arn:aws:kinesis:us-east-1:123456789012:streamfoo""#,
        #"{"Fn::Join": ["/", ["arn:aws:kinesis:us-east-1:123456789012:stream", {"Ref": "StreamNameParam"}]]}"#,
        #"{"Fn::Sub": "arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${Name}"}"#,
        #"{"Fn::ImportValue": {"Fn::Sub": "${Stack}-stream"}}"#,
        #"{"Fn::If": ["C", "a", "b"]}"#,
        #"{"Fn::Join": ["/", []]}"#,
    ])
    func underivableStreamName(arn: String) {
        let node = TestSupport.json(arn)
        let value: ARNValue = node.stringValue.map { .string($0) } ?? .intrinsic(node)
        switch StreamName.derive(from: Located(value)) {
        case .success(let name):
            Issue.record("expected an error, got the name \(name)")
        case .failure(let failure):
            #expect(failure.diagnostic.severity == .error)
            #expect(failure.diagnostic.message.hasPrefix("cannot derive a stream name"))
        }
    }
}
