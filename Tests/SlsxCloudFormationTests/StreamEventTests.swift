import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

@Suite("Stream event compilation")
struct StreamEventTests {
    typealias T = TestSupport

    private func mapping(_ template: Node?, _ id: String) -> Node? {
        template?["Resources"]?[id]
    }

    @Test("defaults on a plain Kinesis ARN")
    func kinesisDefaults() {
        let result = T.compile(T.service([T.function("first", [T.event(T.kinesisFoo)])]))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let expected = T.json("""
        {"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": ["IamRoleLambdaExecution"],
         "Properties": {"BatchSize": 10, "Enabled": true,
           "EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/foo",
           "FunctionName": {"Fn::GetAtt": ["FirstLambdaFunction", "Arn"]},
           "StartingPosition": "TRIM_HORIZON"}}
        """)
        let actual = mapping(result.template, "FirstEventSourceMappingKinesisFoo")
        #expect(actual.map { T.sameJSON($0, expected) } == true, "\(T.text(actual))")
        let statements = T.sharedStreamStatements(result.template)
        let expectedStatement = T.json("""
        {"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator",
         "kinesis:DescribeStream", "kinesis:ListStreams"],
         "Resource": ["arn:aws:kinesis:us-east-1:123456789012:stream/foo"]}
        """)
        #expect(statements.count == 1)
        #expect(statements.first.map { T.sameJSON($0, expectedStatement) } == true, "\(statements.map { T.text($0) })")
    }

    @Test("every option reaches the mapping")
    func everyOption() {
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/pageviews") { event in
            event.batchSize = Located(25)
            event.startingPosition = Located(.latest)
            event.enabled = Located(true)
            event.bisectBatchOnFunctionError = Located(true)
            event.maximumRetryAttempts = Located(3)
            event.parallelizationFactor = Located(4)
            event.batchWindow = Located(5)
            event.maximumRecordAgeInSeconds = Located(120)
            event.functionResponseType = Located("ReportBatchItemFailures")
            event.tumblingWindowInSeconds = Located(60)
        }
        let result = T.compile(T.service([T.function("tracker", [event])]))
        let expected = T.json("""
        {"BatchSize": 25, "Enabled": true,
         "EventSourceArn": "arn:aws:kinesis:us-east-1:123456789012:stream/pageviews",
         "FunctionName": {"Fn::GetAtt": ["TrackerLambdaFunction", "Arn"]},
         "ParallelizationFactor": 4, "StartingPosition": "LATEST",
         "MaximumBatchingWindowInSeconds": 5, "MaximumRetryAttempts": 3,
         "BisectBatchOnFunctionError": true, "FunctionResponseTypes": ["ReportBatchItemFailures"],
         "MaximumRecordAgeInSeconds": 120, "TumblingWindowInSeconds": 60}
        """)
        let actual = mapping(result.template, "TrackerEventSourceMappingKinesisPageviews")?["Properties"]
        #expect(actual.map { T.sameJSON($0, expected) } == true, "\(T.text(actual))")
    }

    @Test("zero and false values are kept")
    func zeroAndFalseKept() {
        let event = T.event(T.kinesisFoo) { event in
            event.batchWindow = Located(0)
            event.maximumRetryAttempts = Located(0)
            event.bisectBatchOnFunctionError = Located(false)
            event.enabled = Located(false)
        }
        let properties = mapping(T.compile(T.service([T.function("first", [event])])).template,
                                 "FirstEventSourceMappingKinesisFoo")?["Properties"]
        #expect(properties?["MaximumBatchingWindowInSeconds"] == .integer(0))
        #expect(properties?["MaximumRetryAttempts"] == .integer(0))
        #expect(properties?["BisectBatchOnFunctionError"] == .bool(false))
        #expect(properties?["Enabled"] == .bool(false))
    }

    @Test("filter patterns as compact JSON in key order")
    func filterPatterns() {
        let patterns = [
            T.json(#"{"eventName": ["INSERT"]}"#),
            T.json(#"{"dynamodb": {"NewImage": {"Kind": {"S": ["Refund"]}, "Total": {"N": [{"numeric": [">", 5]}]}, "Path": {"S": [{"prefix": "orders/2024"}]}}}}"#),
        ]
        let event = T.event("arn:aws:dynamodb:us-east-1:123456789012:table/Ledger/stream/1970-01-01T00:00:00.000") {
            $0.filterPatterns = Located(patterns)
        }
        let filters = mapping(T.compile(T.service([T.function("audit", [event])])).template,
                              "AuditEventSourceMappingDynamodbLedger")?["Properties"]?["FilterCriteria"]?["Filters"]
        let expected = T.json(#"""
        [{"Pattern": "{\"eventName\":[\"INSERT\"]}"},
         {"Pattern": "{\"dynamodb\":{\"NewImage\":{\"Kind\":{\"S\":[\"Refund\"]},\"Total\":{\"N\":[{\"numeric\":[\">\",5]}]},\"Path\":{\"S\":[{\"prefix\":\"orders/2024\"}]}}}}"}]
        """#)
        #expect(filters.map { T.sameJSON($0, expected) } == true, "\(T.text(filters))")
    }

    @Test("consumer true in legacy naming")
    func consumerLegacy() {
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/Ticks") { $0.consumer = Located(.enabled(true)) }
        let result = T.compile(T.service([T.function("fanout", [event])]))
        let consumer = mapping(result.template, "FanoutTicksConsumerStreamConsumer")
        let expectedConsumer = T.json("""
        {"Type": "AWS::Kinesis::StreamConsumer", "Properties": {
          "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/Ticks", "ConsumerName": "fanoutTicksConsumer"}}
        """)
        #expect(consumer.map { T.sameJSON($0, expectedConsumer) } == true, "\(T.text(consumer))")
        let esm = mapping(result.template, "FanoutEventSourceMappingKinesisTicks")
        // The `Ref` in `EventSourceArn` orders the mapping after the consumer, so the full template
        // leaves out the dependency that the framework's fragment lists.
        #expect(esm?["DependsOn"] == T.json(#"["IamRoleLambdaExecution"]"#))
        let fragment = T.compile(T.service([T.function("fanout", [event])]), mode: .streamResourcesOnly).template
        #expect(mapping(fragment, "FanoutEventSourceMappingKinesisTicks")?["DependsOn"]
            == T.json(#"["IamRoleLambdaExecution", "FanoutTicksConsumerStreamConsumer"]"#))
        #expect(esm?["Properties"]?["EventSourceArn"] == T.json(#"{"Ref": "FanoutTicksConsumerStreamConsumer"}"#))
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("same in every stage") == true)
        let statements = T.sharedStreamStatements(result.template)
        let expectedStatements = T.json("""
        [{"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator",
           "kinesis:DescribeStreamSummary", "kinesis:ListShards"],
          "Resource": ["arn:aws:kinesis:us-east-1:123456789012:stream/Ticks"]},
         {"Effect": "Allow", "Action": ["kinesis:SubscribeToShard"],
          "Resource": [{"Ref": "FanoutTicksConsumerStreamConsumer"}]}]
        """)
        #expect(T.sameJSON(.sequence(statements), expectedStatements), "\(statements.map { T.text($0) })")
    }

    @Test("consumer true in service-specific naming")
    func consumerServiceSpecific() {
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/abc") { $0.consumer = Located(.enabled(true)) }
        var provider = Provider()
        provider.kinesisConsumerNamingMode = Located(.serviceSpecific)
        provider.stage = Located("prod")
        let result = T.compile(T.service([T.function("first", [event])], provider: provider))
        let consumer = mapping(result.template, "FirstabcnewDashserviceprodConsumerStreamConsumer")
        #expect(consumer?["Properties"]?["ConsumerName"] == .string("firstabcnew-serviceprodConsumer"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test("consumer name from an ImportValue with a colon")
    func consumerNameSanitised() {
        let event = T.event(intrinsic: #"{"Fn::ImportValue": "shared:ticks"}"#, type: .kinesis) {
            $0.consumer = Located(.enabled(true))
        }
        var provider = Provider()
        provider.kinesisConsumerNamingMode = Located(.serviceSpecific)
        let result = T.compile(T.service([T.function("fan", [event])], provider: provider))
        let consumer = mapping(result.template, "FanshareddashticksnewDashservicedevConsumerStreamConsumer")
        #expect(consumer == nil)
        let sanitised = mapping(result.template, "FansharedDashticksnewDashservicedevConsumerStreamConsumer")
        #expect(sanitised?["Properties"]?["ConsumerName"] == .string("fanshared-ticksnew-servicedevConsumer"))
        let warning = result.diagnostics.first { $0.message.contains("characters Kinesis does not allow") }
        #expect(warning?.severity == .warning)
    }

    @Test("existing consumer ARN")
    func consumerARN() {
        let consumerARN = "arn:aws:kinesis:us-east-1:123456789012:stream/xyz/consumer/foobar:1558544531"
        let event = T.event("arn:aws:kinesis:us-east-1:123456789012:stream/xyz") {
            $0.consumer = Located(.arn(.string(consumerARN)))
        }
        let result = T.compile(T.service([T.function("first", [event])]))
        let esm = mapping(result.template, "FirstEventSourceMappingKinesisXyz")
        #expect(esm?["Properties"]?["EventSourceArn"] == .string(consumerARN))
        #expect(esm?["DependsOn"] == T.json(#"["IamRoleLambdaExecution"]"#))
        #expect(T.sharedStreamStatements(result.template).last?["Resource"] == .sequence([.string(consumerARN)]))
    }

    @Test("destinations as strings and objects", arguments: [
        (FailureDestination(arn: .string("arn:aws:sns:us-east-1:123456789012:topic")), "sns:Publish"),
        (FailureDestination(arn: .string("arn:aws:sqs:us-east-1:123456789012:dlq")), "sqs:SendMessage"),
        (FailureDestination(arn: .intrinsic(TestSupport.json(#"{"Fn::GetAtt": ["FailQueue", "Arn"]}"#)), type: .sqs), "sqs:SendMessage"),
        (FailureDestination(arn: .intrinsic(TestSupport.json(#"{"Ref": "FailTopic"}"#)), type: .sns), "sns:Publish"),
    ])
    func destinations(destination: FailureDestination, action: String) {
        let event = T.event(T.kinesisFoo) { $0.onFailure = Located(destination) }
        let resources = T.json("""
        {"Resources": {"FailQueue": {"Type": "AWS::SQS::Queue"}, "FailTopic": {"Type": "AWS::SNS::Topic"}}}
        """)
        let result = T.compile(T.service([T.function("first", [event])], resources: resources))
        #expect(!result.diagnostics.containsError, "\(result.diagnostics)")
        let destinationNode = mapping(result.template, "FirstEventSourceMappingKinesisFoo")?["Properties"]?["DestinationConfig"]?["OnFailure"]?["Destination"]
        #expect(destinationNode == destination.arn.node)
        let last = T.sharedStreamStatements(result.template).last
        #expect(last?["Action"]?.sequenceValue?.contains(.string(action)) == true)
        #expect(last?["Resource"] == .sequence([destination.arn.node]))
    }

    @Test("Ref of an SQS queue as destination is an error")
    func destinationQueueRef() {
        let destination = FailureDestination(arn: .intrinsic(T.json(#"{"Ref": "FailQueue"}"#)), type: .sqs)
        let event = T.event(T.kinesisFoo) { $0.onFailure = Located(destination) }
        let resources = T.json(#"{"Resources": {"FailQueue": {"Type": "AWS::SQS::Queue"}}}"#)
        let result = T.compile(T.service([T.function("first", [event])], resources: resources))
        #expect(result.template == nil)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "`Ref: FailQueue` gives the queue URL, but the failure destination must be the queue ARN")
        #expect(error?.hint
            == "use the queue's ARN: `GetAtt(\"FailQueue\", \"Arn\")` in the script, which emits `Fn::GetAtt: [FailQueue, Arn]`")
    }

    @Test("statements grouped per function in fixed order")
    func statementGrouping() {
        let first = T.function("first", [
            T.event("arn:aws:kinesis:us-east-1:123456789012:stream/k1") {
                $0.onFailure = Located(FailureDestination(arn: .string("arn:aws:sqs:us-east-1:123456789012:dlq")))
            },
            T.event(T.dynamoFoo) {
                $0.onFailure = Located(FailureDestination(arn: .string("arn:aws:sns:us-east-1:123456789012:topic")))
            },
            T.event("arn:aws:kinesis:us-east-1:123456789012:stream/k2") { $0.consumer = Located(.enabled(true)) },
        ])
        let second = T.function("second", [T.event(T.dynamoFoo)])
        let result = T.compile(T.service([first, second]))
        let actions = T.sharedStreamStatements(result.template).map { $0["Action"]?.sequenceValue?.first?.stringValue ?? "" }
        #expect(actions == [
            "dynamodb:GetRecords", "kinesis:GetRecords", "kinesis:GetRecords", "kinesis:SubscribeToShard",
            "sns:Publish", "sqs:ListQueues", "dynamodb:GetRecords",
        ])
    }

    @Test("two functions keep their own sources")
    func twoFunctionsOwnSources() {
        let kinesis = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"
        let dynamo = "arn:aws:dynamodb:us-east-1:123456789012:table/carts/stream/2024-02-02T10:00:00.000"
        let result = T.compile(T.service([T.function("alpha", [T.event(kinesis)]), T.function("beta", [T.event(dynamo)])]))
        let alpha = mapping(result.template, "AlphaEventSourceMappingKinesisClicks")?["Properties"]
        let beta = mapping(result.template, "BetaEventSourceMappingDynamodbCarts")?["Properties"]
        #expect(alpha?["EventSourceArn"] == .string(kinesis))
        #expect(alpha?["FunctionName"] == T.json(#"{"Fn::GetAtt": ["AlphaLambdaFunction", "Arn"]}"#))
        #expect(beta?["EventSourceArn"] == .string(dynamo))
        #expect(beta?["FunctionName"] == T.json(#"{"Fn::GetAtt": ["BetaLambdaFunction", "Arn"]}"#))
        let resources = T.sharedStreamStatements(result.template).map { $0["Resource"] }
        #expect(resources == [.sequence([.string(kinesis)]), .sequence([.string(dynamo)])])
    }

    @Test("AT_TIMESTAMP needs a timestamp")
    func atTimestamp() {
        let missing = T.event(T.kinesisFoo) { $0.startingPosition = Located(.atTimestamp) }
        let result = T.compile(T.service([T.function("first", [missing])]))
        #expect(result.template == nil)
        #expect(result.diagnostics.contains {
            $0.message == "you must specify startingPositionTimestamp for function: first when startingPosition is AT_TIMESTAMP"
        })
        let given = T.event(T.kinesisFoo) {
            $0.startingPosition = Located(.atTimestamp)
            $0.startingPositionTimestamp = Located(1_700_000_000)
        }
        let properties = mapping(T.compile(T.service([T.function("first", [given])])).template,
                                 "FirstEventSourceMappingKinesisFoo")?["Properties"]
        #expect(properties?["StartingPositionTimestamp"] == .integer(1_700_000_000))
    }

    @Test("intrinsic ARN without type is an error")
    func intrinsicWithoutType() {
        let event = T.event(intrinsic: #"{"Fn::GetAtt": ["OrdersTable", "StreamArn"]}"#, type: nil)
        let result = T.compile(T.service([T.function("first", [event])]))
        #expect(result.diagnostics.map(\.message) == [
            "stream event needs `type: dynamodb|kinesis` when `arn` is an intrinsic function",
        ])
        let typed = T.event(intrinsic: #"{"Fn::GetAtt": ["OrdersTable", "StreamArn"]}"#, type: .dynamodb)
        let resources = T.json(#"{"Resources": {"OrdersTable": {"Type": "AWS::DynamoDB::Table"}}}"#)
        let compiled = T.compile(T.service([T.function("first", [typed])], resources: resources))
        #expect(mapping(compiled.template, "FirstEventSourceMappingDynamodbOrdersTable") != nil, "\(compiled.diagnostics)")
    }

    @Test("type contradicting the ARN is an error")
    func typeContradiction() {
        let event = T.event(T.kinesisFoo) { $0.type = Located(.dynamodb) }
        let result = T.compile(T.service([T.function("first", [event])]))
        #expect(result.diagnostics.map(\.message) == [
            "`type: dynamodb` contradicts the arn, which names a kinesis stream",
        ])
    }

    @Test("provisioned concurrency targets the alias")
    func provisionedConcurrency() {
        var function = T.function("first", [T.event("arn:aws:kinesis:us-east-1:123456789012:stream/myStream")])
        function.provisionedConcurrency = Located(1)
        let result = T.compile(T.service([function]))
        let esm = mapping(result.template, "FirstEventSourceMappingKinesisMyStream")
        #expect(esm?["DependsOn"] == T.json(#"["IamRoleLambdaExecution", "FirstProvConcLambdaAlias"]"#))
        #expect(esm?["Properties"]?["FunctionName"]
            == T.json(#"{"Fn::Join": [":", [{"Fn::GetAtt": ["FirstLambdaFunction", "Arn"]}, "provisioned"]]}"#))
        #expect(mapping(result.template, "FirstProvConcLambdaAlias")?["Properties"]?["Name"] == .string("provisioned"))
        #expect(result.template?["Outputs"]?["FirstLambdaFunctionQualifiedArn"]?["Value"]
            == T.json(#"{"Ref": "FirstLambdaVersion"}"#))
        #expect(!result.diagnostics.containsError, "\(result.diagnostics)")
    }
}
