import SlsxDriver
import Testing

/// The output size limit of the pipeline: a larger output is an error and no text.
@Suite struct OutputSizeLimitTests {
    static let script = "service \"sized\"\nprovider { name: \"aws\", runtime: \"nodejs20.x\" }\n"

    static func options(format: OutputFormat = .yaml, maximumOutputBytes: Int) -> PipelineOptions {
        var options = PipelineOptions(format: format)
        options.maximumOutputBytes = maximumOutputBytes
        return options
    }

    @Test func outputAtLimitIsWritten() {
        // The YAML output is 59 bytes.
        let result = Pipeline.run(text: Self.script, options: Self.options(maximumOutputBytes: 59))
        #expect(result.output == "service: sized\nprovider:\n  name: aws\n  runtime: nodejs20.x\n")
        #expect(result.diagnostics.isEmpty)
    }

    @Test func outputOneByteOverLimitIsError() {
        let result = Pipeline.run(text: Self.script, options: Self.options(maximumOutputBytes: 58))
        #expect(result.output == nil)
        #expect(result.diagnostics.map(\.message) == ["the output is 59 bytes, more than the output size limit of 58 bytes"])
    }

    @Test func outputOverLimitIsError() {
        let result = Pipeline.run(text: Self.script, options: Self.options(format: .json, maximumOutputBytes: 64))
        #expect(result.output == nil)
        #expect(result.diagnostics.map(\.message) == ["the output is 93 bytes, more than the output size limit of 64 bytes"])
        #expect(result.diagnostics.first?.span == nil)
    }

    @Test func defaultLimitIs64MiB() {
        #expect(PipelineOptions().maximumOutputBytes == 67_108_864)
    }
}
