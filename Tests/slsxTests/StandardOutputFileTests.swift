import Foundation
import Testing

/// `slsx emit --format cfn-json` with standard output redirected to a regular file, where the
/// template is written while it is being produced and a failed run cuts the file back.
@Suite struct StandardOutputFileTests {
    /// The benchmark at 100 functions: 701 resources, enough to be written in several runs.
    static let arguments = [
        "emit", "benchmarks/many-bindings.slsx", "--set", "n=100", "--set", "m=5", "--format", "cfn-json",
        "--no-stack-limits", "--roles", "shared", "--policies", "framework",
    ]

    private func temporaryFile(containing text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-stdout-\(UUID().uuidString).json")
        try text.write(to: url, atomically: false, encoding: .utf8)
        return url
    }

    /// Opens `url` for writing as a shell's `>` (`O_TRUNC`) or `>>` (`O_APPEND`) would.
    private func open(_ url: URL, appending: Bool) throws -> FileHandle {
        let flags = O_WRONLY | (appending ? O_APPEND : O_TRUNC)
        let descriptor = Glibc.open(url.path, flags)
        try #require(descriptor >= 0)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    @Test func redirectedTemplateMatchesPipe() throws {
        let piped = try SlsxProcess.run(Self.arguments)
        let url = try temporaryFile(containing: "old text\n")
        defer { try? FileManager.default.removeItem(at: url) }

        let result = try SlsxProcess.run(Self.arguments, standardOutput: try open(url, appending: false))

        #expect(result.status == 0)
        #expect(result.standardError == piped.standardError)
        #expect(piped.standardOutput.utf8.count > 500_000)
        #expect(try String(contentsOf: url, encoding: .utf8) == piped.standardOutput)
    }

    @Test func appendKeepsEarlierText() throws {
        let piped = try SlsxProcess.run(Self.arguments)
        let url = try temporaryFile(containing: "earlier\n")
        defer { try? FileManager.default.removeItem(at: url) }

        let result = try SlsxProcess.run(Self.arguments, standardOutput: try open(url, appending: true))

        #expect(result.status == 0)
        #expect(try String(contentsOf: url, encoding: .utf8) == "earlier\n" + piped.standardOutput)
    }

    /// The output size limit is checked once the whole template is written, after parts of it
    /// reached the file.
    @Test func failedRunLeavesAppendedFileAsFound() throws {
        let url = try temporaryFile(containing: "earlier\n")
        defer { try? FileManager.default.removeItem(at: url) }

        let result = try SlsxProcess.run(
            Self.arguments + ["--max-output-bytes", "100000"], standardOutput: try open(url, appending: true))

        #expect(result.status == 1)
        #expect(result.standardError.contains("error: the output is "))
        #expect(try String(contentsOf: url, encoding: .utf8) == "earlier\n")
    }

    @Test func failedRunLeavesTruncatedFileEmpty() throws {
        let url = try temporaryFile(containing: "old text\n")
        defer { try? FileManager.default.removeItem(at: url) }

        let result = try SlsxProcess.run(
            Self.arguments + ["--max-output-bytes", "100000"], standardOutput: try open(url, appending: false))

        #expect(result.status == 1)
        #expect(try Data(contentsOf: url).isEmpty)
    }

    /// With `> file 2>&1` the warnings come before the template, as they do on a terminal.
    @Test func sharedFileHasWarningsFirst() throws {
        let piped = try SlsxProcess.run(Self.arguments)
        let url = try temporaryFile(containing: "")
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try open(url, appending: false)

        let result = try SlsxProcess.run(Self.arguments, standardOutput: handle, standardError: handle)

        #expect(result.status == 0)
        #expect(piped.standardError.hasPrefix("warning: "))
        #expect(try String(contentsOf: url, encoding: .utf8) == piped.standardError + piped.standardOutput)
    }
}
