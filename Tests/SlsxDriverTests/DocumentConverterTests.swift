import SlsxDriver
import SlsxSource
import Testing

/// Functions left in the document, which the converter reports with the key path of each. The
/// converter first walks without paths and walks again only when it finds such a value.
@Suite struct DocumentConverterTests {
    @Test func functionInDocumentNamedByPath() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            custom: { helpers: [1, fn(x) = x] }
            """
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.output == nil)
        #expect(result.diagnostics.map(\.message) == [
            "custom.helpers[1] is a function, which serverless.yml cannot hold"
        ])
        #expect(result.diagnostics.first?.span?.startLocation.description == "3:24")
    }

    @Test func everyFunctionReported() {
        let script = """
            service "orders"
            provider { region: "us-east-1" }
            custom: { first: fn() = 1, second: { third: fn() = 2 } }
            """
        let result = Pipeline.run(text: script, path: "orders.slsx", options: PipelineOptions(format: .yaml))

        #expect(result.diagnostics.map(\.message) == [
            "custom.first is a function, which serverless.yml cannot hold",
            "custom.second.third is a function, which serverless.yml cannot hold",
        ])
    }
}
