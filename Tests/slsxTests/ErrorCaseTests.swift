import Foundation
import SlsxTestSupport
import Testing

/// Every script in samples/errors fails with exactly the diagnostics and exit status of its `.err`
/// golden, and leaves an existing `-o` file as it was, byte for byte.
@Suite struct ErrorCaseTests {
    static let scripts: [String] = {
        let folder = SlsxProcess.repositoryRoot.appendingPathComponent("samples/errors")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".slsx") }.sorted()
    }()

    @Test func errorCasesExist() {
        #expect(Self.scripts.count >= 10)
    }

    @Test(arguments: scripts)
    func errorCaseMatchesGolden(_ name: String) throws {
        let script = "samples/errors/\(name)"
        let outputFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("slsx-error-case-\(UUID().uuidString).yaml")
        let previous = "service: previous\n"
        try previous.write(to: outputFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outputFile) }

        let result = try SlsxProcess.run(["emit", script, "-o", outputFile.path])

        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        #expect(try String(contentsOf: outputFile, encoding: .utf8) == previous)
        let golden = SlsxProcess.repositoryRoot.appendingPathComponent("samples/errors/\(name.dropLast(5)).err")
        GoldenFile.check("\(result.standardError)exit status: \(result.status)\n", against: golden)
    }
}
