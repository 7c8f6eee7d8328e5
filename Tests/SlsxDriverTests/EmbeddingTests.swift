import SlsxDriver
import SlsxLanguage
import SlsxSource
import Testing

/// The README's example of embedding slsx in a Swift program, compiled and run as written there.
@Suite struct EmbeddingTests {
    @Test func readmeExampleEmitsYAML() {
        var options = PipelineOptions(format: .yaml)
        options.evaluation.options["stage"] = "prod"

        let result = Pipeline.run(text: """
            service "demo"
            function "worker" {
              handler: "src/worker.handle"
              stream "arn:aws:kinesis:us-east-1:123456789012:stream/\\(option("stage"))-events"
            }
            """, options: options)

        #expect(DiagnosticRenderer().render(result.diagnostics) == "")
        #expect(result.output == """
            service: demo
            provider:
              name: aws
            functions:
              worker:
                handler: src/worker.handle
                events:
                  - stream: arn:aws:kinesis:us-east-1:123456789012:stream/prod-events

            """)
        #expect(result.service?.functions.first?.streamEvents.first?.resolvedType == .kinesis)
    }

    @Test func scriptErrorGivesDiagnosticsAndNoOutput() {
        let result = Pipeline.run(text: "service \"demo\"\nfunction \"w\" { handler: 1 }\n", path: "inline.slsx")

        #expect(result.output == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.span?.description == "inline.slsx:2:25")
    }

    @Test func evaluatorReturnsDocumentValue() {
        let evaluation = Evaluator.evaluate(SourceFile(path: "x.slsx", text: "service \"demo\""), options: EvaluationOptions())

        guard case .map(let document)? = evaluation.document?.kind else {
            Issue.record("expected a map document")
            return
        }
        #expect(document.keys == ["service"])
    }
}
