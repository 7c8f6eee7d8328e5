import Foundation
import SlsxModel
import SlsxSource
import Testing
@testable import SlsxCloudFormation

/// Compiles every `Goldens/<name>.serverless.json` and compares the written template with
/// `<name>.cfn.json` and `<name>.cfn.yaml`, and the diagnostics with `<name>.diagnostics.txt`.
/// `SLSX_UPDATE_GOLDENS=1` rewrites the golden files that differ and lists them; a missing golden
/// fails the run unless it is being written.
@Suite("Golden templates")
struct GoldenTemplateTests {
    static let directory: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast()
        return (components + ["Goldens"]).joined(separator: "/")
    }()

    static var inputNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".serverless.json") }
            .map { String($0.dropLast(".serverless.json".count)) }
            .sorted()
    }

    /// The template of one golden input, written as JSON and YAML, and its diagnostics as text.
    static func outputs(for name: String) throws -> (json: String, yaml: String, diagnostics: String) {
        let path = "\(directory)/\(name).serverless.json"
        let data = try #require(FileManager.default.contents(atPath: path))
        let document = try JSONReader.read(SourceFile(path: path, bytes: Array(data)))
        let decoded = ServiceDecoder.decode(document)
        let service = try #require(decoded.service, "\(decoded.diagnostics.map(\.message))")
        let compiled = CloudFormationCompiler().compile(service)
        let diagnostics = (decoded.diagnostics + compiled.diagnostics)
            .map { "\($0.severity.rawValue): \($0.message)\n" }.joined()
        let template = try #require(compiled.template, "\(diagnostics)")
        return (try JSONWriter().write(template), try YAMLWriter().write(template), diagnostics)
    }

    @Test("inputs are present")
    func inputsPresent() {
        #expect(Self.inputNames == ["fanout", "per-function", "provider-role", "streams"])
    }

    @Test("template matches its goldens", arguments: GoldenTemplateTests.inputNames)
    func matchesGoldens(name: String) throws {
        let outputs = try Self.outputs(for: name)
        let update = ProcessInfo.processInfo.environment["SLSX_UPDATE_GOLDENS"] == "1"
        for (suffix, actual) in [("cfn.json", outputs.json), ("cfn.yaml", outputs.yaml), ("diagnostics.txt", outputs.diagnostics)] {
            let path = "\(Self.directory)/\(name).\(suffix)"
            let expected = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            if update {
                if expected != actual {
                    try actual.write(toFile: path, atomically: true, encoding: .utf8)
                    print("updated golden \(path)")
                }
                continue
            }
            #expect(expected != nil, "missing golden \(path); run with SLSX_UPDATE_GOLDENS=1 to write it")
            #expect(expected == actual, "\(path) differs; run with SLSX_UPDATE_GOLDENS=1 to rewrite it")
        }
    }
}
