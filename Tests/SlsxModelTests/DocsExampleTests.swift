import Foundation
import SlsxSource
import Testing

@testable import SlsxModel

/// Decodes every serverless.yml example of the Serverless Framework's "DynamoDB / Kinesis Streams"
/// documentation page, converted to JSON in `Fixtures/docs-stream-examples.json` (PyYAML read the
/// YAML, so the values have YAML 1.1 types). The documented examples must decode, except the one
/// that names an existing consumer with a plain word, which the framework's own schema rejects.
struct DocsExampleTests {
    /// Returns the examples and the file their spans point into, which the caller keeps alive
    /// while it reads the spans.
    static func examples() throws -> (file: SourceFile, examples: [(title: String, document: Node)]) {
        let url = YAMLRoundTripTests.testsDirectory.appendingPathComponent("Fixtures/docs-stream-examples.json")
        let file = SourceFile(path: url.lastPathComponent, bytes: try [UInt8](Data(contentsOf: url)))
        let items = try #require(try JSONReader.read(file).sequenceValue)
        let examples = items.map { item in
            let document = item["document"] ?? .mapping([])
            let entries = [Node.Entry("service", .string("docs-examples"))] + (document.mappingValue ?? [])
            return (item["title"]?.stringValue ?? "", Node(.mapping(entries), span: document.span))
        }
        return (file, examples)
    }

    @Test func documentedExamplesDecode() throws {
        let (file, examples) = try Self.examples()
        #expect(examples.count == 14)
        var errors: [String] = []
        var streamEventCount = 0
        for example in examples {
            let (service, diagnostics) = ServiceDecoder.decode(example.document)
            for diagnostic in diagnostics {
                let place = diagnostic.span.map { $0.startLocation.description } ?? "-"
                errors.append("\(example.title) \(place): \(diagnostic.severity.rawValue): \(diagnostic.message)")
            }
            streamEventCount += service?.functions.reduce(0) { $0 + $1.streamEvents.count } ?? 0
        }
        #expect(errors == [
            "DynamoDB / Kinesis Streams 91:29: error: `consumer` must be true or a consumer ARN, "
                + "but found the string \"preExistingName\"",
        ])
        // The 13 examples that decode hold 15 stream events; the first fails on its consumer name.
        #expect(streamEventCount == 15)
        withExtendedLifetime(file) {}
    }
}
