import Foundation
import SlsxLanguage
import SlsxSource
import Testing

/// Renders the diagnostics of every `Goldens/NAME.slsx` and compares them with `Goldens/NAME.err`.
/// Run with `SLSX_UPDATE_GOLDENS=1` to rewrite the `.err` files; the test then lists what changed.
@Suite struct DiagnosticGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".slsx") }.sorted()
    }()

    @Test func goldensExist() {
        #expect(Self.scripts.count >= 12)
    }

    @Test(arguments: scripts)
    func diagnostics(script: String) throws {
        let scriptURL = Self.folder.appendingPathComponent(script)
        let goldenURL = scriptURL.deletingPathExtension().appendingPathExtension("err")
        let bytes = try [UInt8](Data(contentsOf: scriptURL))
        let result = Evaluator.evaluate(SourceFile(path: script, bytes: bytes), options: EvaluationOptions())
        let rendered = DiagnosticRenderer(colored: false).render(result.diagnostics)

        if ProcessInfo.processInfo.environment["SLSX_UPDATE_GOLDENS"] == "1" {
            let old = try? String(contentsOf: goldenURL, encoding: .utf8)
            if old != rendered {
                try rendered.write(to: goldenURL, atomically: true, encoding: .utf8)
                Issue.record("rewrote \(goldenURL.lastPathComponent); rerun without SLSX_UPDATE_GOLDENS")
            }
            return
        }
        guard let golden = try? String(contentsOf: goldenURL, encoding: .utf8) else {
            Issue.record("missing golden \(goldenURL.lastPathComponent); run with SLSX_UPDATE_GOLDENS=1 to create it")
            return
        }
        #expect(result.document == nil)
        #expect(rendered == golden)
    }
}
