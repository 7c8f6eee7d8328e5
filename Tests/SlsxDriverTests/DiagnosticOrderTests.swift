import SlsxSource
import Testing

@testable import SlsxDriver

/// The order in which `slsx` prints diagnostics: as a reader of the entry script meets them.
@Suite struct DiagnosticOrderTests {
    @Test func entryScriptBeforeModules() {
        let entry = SourceFile(path: "service.slsx", text: "line one\nline two\n")
        let module = SourceFile(path: "/abs/helpers.slsx", text: "helper\n")
        let diagnostics: [Diagnostic] = [
            .error("in the module", at: SourceSpan(file: module, start: 0, end: 1)),
            .error("second line", at: SourceSpan(file: entry, start: 9, end: 10)),
            .error("no place"),
            .error("first line", at: SourceSpan(file: entry, start: 0, end: 1)),
        ]

        let ordered = Pipeline.inSourceOrder(diagnostics, entry: "service.slsx").map(\.message)

        #expect(ordered == ["no place", "first line", "second line", "in the module"])
    }

    @Test func loopValuesNameTheirFunction() {
        // One span, two values made by a loop, two messages: each report names its function.
        let script = """
            service "loops"
            provider { region: "us-east-1" }
            for i, t in ["users", "orders"] {
              function "\\(t)-sync" {
                handler: "h.handle"
                stream { arn: "arn:aws:kinesis:us-east-1:123456789012:stream/s", batchSize: 20000 * (i + 1) }
              }
            }
            """

        let result = Pipeline.run(text: script, path: "loops.slsx")

        #expect(result.output == nil)
        #expect(result.diagnostics.map(\.message) == [
            "`batchSize` must be from 1 to 10000, but is 20000",
            "`batchSize` must be from 1 to 10000, but is 40000",
        ])
        #expect(result.diagnostics.map { $0.notes.map(\.message) } == [
            ["in function `users-sync`"],
            ["in function `orders-sync`"],
        ])
    }
}
