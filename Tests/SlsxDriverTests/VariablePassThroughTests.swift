import SlsxDriver
import SlsxSource
import Testing

/// Serverless variables through the whole pipeline, and one diagnostic per problem when the decoder
/// warns and the CloudFormation compiler reports an error at the same place.
@Suite struct VariablePassThroughTests {
    let script = """
        service "orders"
        provider { stage: "${opt:stage, 'dev'}" }
        function "worker" {
          handler: "src/worker.handle"
          stream { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/orders", batchSize: "${self:custom.batch}" }
        }
        """

    @Test func variablesPassToYAML() {
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.diagnostics == [])
        #expect(result.output == """
            service: orders
            provider:
              name: aws
              stage: ${opt:stage, 'dev'}
            functions:
              worker:
                handler: src/worker.handle
                events:
                  - stream:
                      arn: arn:aws:kinesis:us-east-1:123456789012:stream/orders
                      batchSize: ${self:custom.batch}

            """)
    }

    @Test func variablesAreCloudFormationErrors() {
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .cfnJSON))

        #expect(result.output == nil)
        #expect(result.diagnostics.map { "\($0.span?.description ?? "-"): \($0.message)" } == [
            "orders.slsx:2:19: the Serverless variable `${opt:stage, 'dev'}` in `provider.stage` cannot be resolved in CloudFormation output",
            "orders.slsx:5:84: the Serverless variable `${self:custom.batch}` in `batchSize` cannot be resolved in CloudFormation output",
        ])
    }

    @Test func variableInFunctionNameHasSpan() {
        let text = """
            service "orders"
            function "${opt:prefix}-worker" { handler: "src/worker.handle" }
            """
        let result = Pipeline.run(text: text, path: "name.slsx", options: PipelineOptions(format: .cfnJSON))

        #expect(result.diagnostics.map { "\($0.span?.description ?? "-"): \($0.message)" } == [
            "name.slsx:2:10: the Serverless variable `${opt:prefix}` cannot be resolved in CloudFormation output",
        ])
    }

    @Test func undeclaredReferenceReportedOnce() {
        let text = """
            service "orders"
            function "worker" {
              handler: "src/worker.handle"
              stream { arn: GetAtt("OrdersTabel", "StreamArn"), type: "dynamodb" }
            }
            resources { Resources: { OrdersTable: { Type: "AWS::DynamoDB::Table" } } }
            """
        let yaml = Pipeline.run(text: text, path: "r.slsx", options: PipelineOptions(format: .yaml))
        #expect(yaml.diagnostics.map(\.severity) == [.warning])
        #expect(yaml.output != nil)

        let template = Pipeline.run(text: text, path: "r.slsx", options: PipelineOptions(format: .cfnJSON))
        #expect(template.diagnostics.map(\.severity) == [.error])
        #expect(template.diagnostics.first?.hint
            == "did you mean `OrdersTable`? declare `OrdersTabel` under `resources.Resources`, or correct the name")
    }

    @Test func queueRefReportedOnce() {
        let text = """
            service "orders"
            function "worker" {
              handler: "src/worker.handle"
              stream {
                arn: "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
                destinations: { onFailure: { arn: Ref("FailQueue"), type: "sqs" } }
              }
            }
            resources { Resources: { FailQueue: { Type: "AWS::SQS::Queue" } } }
            """
        let yaml = Pipeline.run(text: text, path: "q.slsx", options: PipelineOptions(format: .yaml))
        #expect(yaml.diagnostics.map(\.severity) == [.warning])
        #expect(yaml.diagnostics.first?.message == "`Ref` of SQS queue `FailQueue` returns the queue's URL, not its ARN")

        let template = Pipeline.run(text: text, path: "q.slsx", options: PipelineOptions(format: .cfnYAML))
        #expect(template.diagnostics.map(\.severity) == [.error])
        #expect(template.diagnostics.first?.span?.description == "q.slsx:6:39")
        #expect(template.diagnostics.first?.message
            == "`Ref: FailQueue` gives the queue URL, but the failure destination must be the queue ARN")
    }
}
