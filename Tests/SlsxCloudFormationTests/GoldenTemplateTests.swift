import Foundation
import SlsxModel
import SlsxSource
import SlsxTestSupport
import Testing
@testable import SlsxCloudFormation

/// Compiles every `Goldens/<name>.serverless.json` and compares the written template with
/// `<name>.cfn.json` and `<name>.cfn.yaml`, and the diagnostics with `<name>.diagnostics.txt`.
/// `SLSX_UPDATE_GOLDENS=1` rewrites the golden files that differ and lists them. A missing golden
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

    /// Compiles one golden input and returns the template as JSON and YAML, and the diagnostics as text.
    static func outputs(for name: String) throws -> (json: String, yaml: String, diagnostics: String) {
        let path = "\(directory)/\(name).serverless.json"
        let data = try #require(FileManager.default.contents(atPath: path))
        let file = SourceFile(path: path, bytes: Array(data))
        let document = try JSONReader.read(file)
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

    /// Deploys every golden template to moto with `scripts/moto_deploy.py`. It starts a server and
    /// needs moto and boto3, so it runs only with `SLSX_RUN_MOTO=1`.
    @Test("templates deploy to moto")
    func deployToMoto() throws {
        guard ProcessInfo.processInfo.environment["SLSX_RUN_MOTO"] == "1" else {
            print("skipped: set SLSX_RUN_MOTO=1 to deploy the golden templates to moto")
            return
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("slsx-cfn-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for name in Self.inputNames {
            let outputs = try Self.outputs(for: name)
            let json = folder.appendingPathComponent("\(name).cfn.json")
            let yaml = folder.appendingPathComponent("\(name).cfn.yaml")
            try outputs.json.write(to: json, atomically: true, encoding: .utf8)
            try outputs.yaml.write(to: yaml, atomically: true, encoding: .utf8)
            paths += [json.path, yaml.path]
        }
        let repository = URL(fileURLWithPath: Self.directory).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("scripts/moto_deploy.py").path] + paths
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "moto_deploy.py failed; its output is above")
    }

    @Test("template matches its goldens", arguments: GoldenTemplateTests.inputNames)
    func matchesGoldens(name: String) throws {
        let outputs = try Self.outputs(for: name)
        for (suffix, actual) in [("cfn.json", outputs.json), ("cfn.yaml", outputs.yaml), ("diagnostics.txt", outputs.diagnostics)] {
            GoldenFile.check(actual, against: URL(fileURLWithPath: "\(Self.directory)/\(name).\(suffix)"))
        }
    }
}
