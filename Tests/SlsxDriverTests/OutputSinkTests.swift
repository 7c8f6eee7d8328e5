import SlsxDriver
import Synchronization
import Testing

/// `PipelineOptions.outputSink`: a CloudFormation JSON template goes to the sink while it is
/// written, and other formats stay in `PipelineResult.outputParts`.
@Suite struct OutputSinkTests {
    /// 100 functions with 4 events each: 700 resources, enough to be written in several runs.
    static let script = StackLimitOptionTests.script

    /// The bytes a pipeline wrote to it, in order.
    final class CollectingSink: OutputSink {
        private let collected = Mutex<[UInt8]>([])

        func write(_ bytes: [UInt8]) {
            collected.withLock { $0 += bytes }
        }

        var text: String { collected.withLock { String(decoding: $0, as: UTF8.self) } }
    }

    private func options(format: OutputFormat, sink: CollectingSink) -> PipelineOptions {
        var options = PipelineOptions(format: format, enforcesStackLimits: false)
        options.outputSink = sink
        return options
    }

    @Test func templateGoesToSink() throws {
        let unsunk = Pipeline.run(text: Self.script, options: PipelineOptions(format: .cfnJSON, enforcesStackLimits: false))
        let sink = CollectingSink()

        let result = Pipeline.run(text: Self.script, options: options(format: .cfnJSON, sink: sink))

        #expect(result.outputParts == [])
        #expect(result.diagnostics.map(\.message) == unsunk.diagnostics.map(\.message))
        let expected = try #require(unsunk.output)
        #expect(expected.utf8.count > 100_000)
        #expect(sink.text == expected)
    }

    @Test func otherFormatsStayInResult() {
        for format in [OutputFormat.yaml, .json, .cfnYAML] {
            let sink = CollectingSink()
            let result = Pipeline.run(text: Self.script, options: options(format: format, sink: sink))

            #expect(result.output?.isEmpty == false)
            #expect(sink.text == "")
        }
    }

    /// The size limit is checked after the whole template is written. The sink receives the
    /// parts up to the limit, and the caller discards them.
    @Test func sizeErrorAfterTemplateWasSent() throws {
        let unsunk = Pipeline.run(text: Self.script, options: PipelineOptions(format: .cfnJSON, enforcesStackLimits: false))
        let template = try #require(unsunk.output)
        let sink = CollectingSink()
        var options = options(format: .cfnJSON, sink: sink)
        options.maximumOutputBytes = 100_000

        let result = Pipeline.run(text: Self.script, options: options)

        #expect(result.outputParts == nil)
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors == ["the output is \(template.utf8.count) bytes, more than the output size limit of 100000 bytes"])
        #expect(sink.text.utf8.count <= 100_000)
        #expect(sink.text.utf8.count > 50_000)
        #expect(template.hasPrefix(sink.text))
    }
}
