import Foundation
import SlsxDriver
import SlsxModel
import SlsxSource
import Testing

/// Every case of the framework's stream table, written as a slsx script, compiles to exactly the
/// CloudFormation that the same config compiles to when it is read as JSON.
///
/// A JSON document is a valid script, so each case's `serverless` config becomes a script as it is.
/// The CloudFormation tests compare the JSON route with the framework's expected resources and
/// statements; this test closes the loop from the script side, through the language and the driver.
@Suite struct FrameworkCaseScriptTests {
    /// The case table, kept alive for the spans of `cases`.
    static let casesFile: SourceFile? = {
        let path = GoldenFileRoot.url.appendingPathComponent("Tests/Fixtures/serverless-stream-cases.json").path
        return FileManager.default.contents(atPath: path).map { SourceFile(path: path, bytes: Array($0)) }
    }()

    static let cases: [Node] = {
        guard let file = casesFile, let table = try? JSONReader.read(file) else { return [] }
        return table.sequenceValue ?? []
    }()

    @Test func caseTableRead() {
        #expect(Self.cases.count == 49)
    }

    @Test func scriptsCompileLikeJSON() throws {
        for testCase in Self.cases {
            let id = testCase["id"]?.stringValue ?? "?"
            guard var config = testCase["serverless"] else { continue }
            if config["service"] == nil {
                config = .mapping([Node.Entry("service", .string("new-service"))] + (config.mappingValue ?? []))
            }
            let script = try JSONWriter().write(config)

            for streamResourcesOnly in [false, true] {
                let options = PipelineOptions(format: .cfnJSON, streamResourcesOnly: streamResourcesOnly)
                let fromScript = Pipeline.run(text: script, path: "\(id).slsx", options: options)
                let fromJSON = Self.compileJSON(config, options: options)

                #expect(fromScript.output == fromJSON.output, "case \(id), stream resources only: \(streamResourcesOnly)")
                // The script route orders diagnostics by source position, so the order may differ.
                #expect(
                    fromScript.diagnostics.map(\.message).sorted() == fromJSON.diagnostics.map(\.message).sorted(),
                    "case \(id), stream resources only: \(streamResourcesOnly)")
            }
        }
    }

    /// Compiles `config` the way the CloudFormation tests do, without the language.
    private static func compileJSON(_ config: Node, options: PipelineOptions) -> PipelineResult {
        Pipeline.emit(node: config, options: options)
    }
}

/// The repository's root folder, found from this file's path.
enum GoldenFileRoot {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
