import Foundation
import SlsxDriver
import SlsxLanguage
import SlsxSource
import SlsxTestSupport
import Testing

/// Every script in samples/ emits exactly its golden serverless.yml, JSON and CloudFormation files.
///
/// A sample runs once with no settings (goldens `name.yaml`, `name.json`, `name.cfn.json`,
/// `name.cfn.yaml`) and once for each `name.<setting>=<value>.yaml` golden beside it, with that setting.
@Suite struct SampleGoldenTests {
    struct Run: CustomTestStringConvertible, Sendable {
        var script: URL
        /// `stage=prod` for a run with `--set stage=prod`; empty for the default run.
        var setting: String

        var testDescription: String {
            let name = script.path.replacingOccurrences(of: GoldenFile.repositoryRoot.path + "/", with: "")
            return setting.isEmpty ? name : "\(name) \(setting)"
        }

        func golden(_ suffix: String) -> URL {
            let base = script.deletingPathExtension()
            let infix = setting.isEmpty ? "" : ".\(setting)"
            return base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + infix + suffix)
        }
    }

    static let runs: [Run] = {
        let samples = GoldenFile.repositoryRoot.appendingPathComponent("samples")
        let files = (FileManager.default.enumerator(at: samples, includingPropertiesForKeys: nil)?.allObjects as? [URL]) ?? []
        let scripts = files.filter { $0.pathExtension == "slsx" && !$0.path.contains("/errors/") }
            .sorted { $0.path < $1.path }

        var runs: [Run] = []
        for script in scripts {
            runs.append(Run(script: script, setting: ""))
            let stem = script.deletingPathExtension().lastPathComponent
            let siblings = (try? FileManager.default.contentsOfDirectory(atPath: script.deletingLastPathComponent().path)) ?? []
            for name in siblings.sorted() where name.hasPrefix(stem + ".") && name.hasSuffix(".yaml") && name.contains("=") {
                let setting = String(name.dropFirst(stem.count + 1).dropLast(".yaml".count))
                if !setting.hasSuffix(".cfn") {
                    runs.append(Run(script: script, setting: setting))
                }
            }
        }
        return runs
    }()

    @Test func samplesExist() {
        #expect(Self.runs.count >= 17)
    }

    @Test(arguments: runs)
    func sampleMatchesGoldens(_ run: Run) throws {
        var evaluation = EvaluationOptions()
        if let equals = run.setting.firstIndex(of: "=") {
            evaluation.options[String(run.setting[..<equals])] = String(run.setting[run.setting.index(after: equals)...])
        }
        let source = SourceFile(path: run.script.path, bytes: Array(try Data(contentsOf: run.script)))

        for (format, suffix) in [(OutputFormat.yaml, ".yaml"), (.json, ".json"), (.cfnJSON, ".cfn.json"), (.cfnYAML, ".cfn.yaml")] {
            let result = Pipeline.run(source, options: PipelineOptions(format: format, evaluation: evaluation))
            let rendered = DiagnosticRenderer().render(result.diagnostics)
            guard let output = result.output else {
                Issue.record("\(run.testDescription) as \(format.rawValue) failed:\n\(rendered)")
                continue
            }
            #expect(!result.diagnostics.containsError)
            GoldenFile.check(output, against: run.golden(suffix))
        }
    }
}
