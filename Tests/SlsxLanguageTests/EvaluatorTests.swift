import SlsxLanguage
import SlsxSource
import Testing

@Suite struct EvaluatorTests {
    static let billing = """
        let account = "123456789012"
        let tables = ["orders", "payments"]
        fn tableStream(name, label = "2024-01-01T00:00:00.000") =
          "arn:aws:dynamodb:us-east-1:\\(account):table/\\(name)/stream/\\(label)"
        import "arn" as arn
        let stage = option("stage", "dev")

        service "billing"
        provider { region: "us-east-1", stage: stage, runtime: "nodejs20.x" }
        for table in tables {
          function "\\(table)-indexer" {
            handler: "src/indexer.handle"
            timeout: 30
            stream { arn: tableStream(table), batchSize: 100, startingPosition: "LATEST" }
            stream arn.kinesisStream("us-east-1", account, "clicks")
            if stage == "prod" { stream { arn: "x", enabled: false } }
          }
        }
        resources { Resources: { FailQueue: { Type: "AWS::SQS::Queue" } } }
        """

    @Test func billingSampleDocument() {
        let expected = """
            {service: "billing", provider: {region: "us-east-1", stage: "dev", runtime: "nodejs20.x"}, \
            functions: {"orders-indexer": {handler: "src/indexer.handle", timeout: 30, events: [\
            {stream: {arn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000", batchSize: 100, startingPosition: "LATEST"}}, \
            {stream: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"}]}, \
            "payments-indexer": {handler: "src/indexer.handle", timeout: 30, events: [\
            {stream: {arn: "arn:aws:dynamodb:us-east-1:123456789012:table/payments/stream/2024-01-01T00:00:00.000", batchSize: 100, startingPosition: "LATEST"}}, \
            {stream: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"}]}}, \
            resources: {Resources: {FailQueue: {Type: "AWS::SQS::Queue"}}}}
            """
        #expect(Script.document(Self.billing) == expected)
    }
}
