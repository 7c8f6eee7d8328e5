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

    /// A split is checked file by file: the limit applies to the largest file, not to the sum.
    @Test func splitChecksEachFile() {
        let script = """
            service "sized"
            provider { name: "aws", runtime: "nodejs20.x" }
            function "a" { handler: "a.handle", stream "arn:aws:kinesis:us-east-1:123456789012:stream/a" }
            function "b" { handler: "b.handle", stream "arn:aws:kinesis:us-east-1:123456789012:stream/b" }
            """
        var options = Self.options(format: .cfnJSON, maximumOutputBytes: 0)
        options.split = true
        options.stackCount = 2
        var unlimited = options
        unlimited.maximumOutputBytes = .max
        let sizes = Pipeline.run(text: script, options: unlimited).files.map { "\($0.path) \($0.text.utf8.count)" }
        #expect(sizes == ["template.json 1129", "stacks/FunctionStack0.json 3988", "stacks/FunctionStack1.json 3988"])
        // 9,105 bytes together: a limit under the sum but not under any one file lets the split through.

        options.maximumOutputBytes = 3988
        let written = Pipeline.run(text: script, options: options)
        #expect(written.files.count == 3)
        #expect(written.diagnostics.isEmpty)

        options.maximumOutputBytes = 3987
        let overLimit = Pipeline.run(text: script, options: options)
        #expect(overLimit.files.isEmpty)
        #expect(overLimit.diagnostics.map(\.message) == [
            "the output file stacks/FunctionStack0.json is 3988 bytes, more than the output size limit of 3987 bytes",
            "the output file stacks/FunctionStack1.json is 3988 bytes, more than the output size limit of 3987 bytes",
        ])
    }

    @Test func defaultLimitIs64MiB() {
        #expect(PipelineOptions().maximumOutputBytes == 67_108_864)
    }
}
