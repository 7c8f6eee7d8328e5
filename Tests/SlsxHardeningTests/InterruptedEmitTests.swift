import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `slsx emit -o` killed with SIGKILL while it writes must leave the previous file byte for byte
/// as it was, and no temporary file; a run that fails must not touch it.
@Suite struct InterruptedEmitTests {
    /// The executable beside the test bundle in the build folder.
    static var executable: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent("slsx"), bundle.deletingLastPathComponent().appendingPathComponent("slsx")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// A script whose YAML output is about 24 MB: 3000 rows, each with an 8000-byte string.
    static let largeScript = """
        service "large"
        provider { name: "aws", runtime: "nodejs20.x" }
        let padding = "\(String(repeating: "p", count: 8000))"
        custom: { rows: map(range(3000), fn(i) = {id: i, text: padding}) }

        """

    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Returns whether `process` has a file in `folder` open: the atomic writer's new file, unnamed
    /// (`/proc` shows it as `FOLDER/#INODE (deleted)`) or named `.slsx-XXXXXX`. It is open only while
    /// the output is being written.
    static func writeInProgress(by process: Process, in folder: URL) -> Bool {
        let descriptors = "/proc/\(process.processIdentifier)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []
        return names.contains { name in
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(descriptors)/\(name)")) ?? ""
            return target.hasPrefix(folder.path + "/#") || target.hasPrefix(folder.path + "/.slsx-")
        }
    }

    static func temporaryFiles(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".slsx-") }
    }

    /// Runs `slsx arguments -o output` three times over `previous`, killing each run with
    /// SIGKILL as soon as its new file is open. A killed run must leave `previous` byte for byte
    /// and no temporary file. A run that finished before the kill must leave a file that
    /// `isComplete` accepts. Records an issue when no run was killed while it wrote.
    static func expectKillsKeepPreviousFile(
        _ arguments: [String], output: URL, previous: Data, isComplete: (Data) -> Bool
    ) throws {
        let folder = output.deletingLastPathComponent()
        var killedMidWrite = 0
        for _ in 0..<3 {
            try previous.write(to: output)
            let process = try launch(arguments + ["-o", output.path])
            // Kill as soon as the new file is open, which is after evaluation and before the
            // rename. Polling every millisecond catches most of the write.
            while process.isRunning && !writeInProgress(by: process, in: folder) {
                usleep(1000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidWrite += 1
            }
            process.waitUntilExit()

            let after = try Data(contentsOf: output)
            if process.terminationReason == .uncaughtSignal {
                #expect(after == previous, "the killed run changed the previous file")
            } else {
                #expect(isComplete(after), "the run finished before the kill but its file is incomplete")
            }
            // The new file had no name yet, so the kill leaves nothing behind.
            #expect(try temporaryFiles(in: folder) == [])
        }
        #expect(killedMidWrite >= 1, "no run was killed while writing; the test proved nothing")
    }

    @Test func killDuringWriteKeepsPreviousFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("large.slsx")
        try Data(Self.largeScript.utf8).write(to: script)

        try Self.expectKillsKeepPreviousFile(
            ["emit", script.path], output: folder.appendingPathComponent("out.yaml"),
            previous: Data("service: previous\n".utf8),
            isComplete: { $0.count > 20_000_000 && $0.suffix(20) == Data((String(repeating: "p", count: 19) + "\n").utf8) })
    }

    /// Returns the arguments that emit the benchmark workload as CloudFormation JSON, which goes
    /// to the new file while it is being written, in runs of resources.
    static func templateArguments(functionCount: Int) -> [String] {
        let workload = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("benchmarks/many-bindings.slsx")
        return [
            "emit", workload.path, "--set", "n=\(functionCount)", "--set", "m=5", "--format", "cfn-json",
            "--no-stack-limits", "--roles", "shared", "--policies", "framework",
        ]
    }

    @Test func killDuringStreamedTemplateKeepsPreviousFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        try Self.expectKillsKeepPreviousFile(
            Self.templateArguments(functionCount: 2_000), output: folder.appendingPathComponent("template.json"),
            previous: Data("{}\n".utf8),
            isComplete: { $0.count > 10_000_000 && $0.suffix(2) == Data("}\n".utf8) })
    }

    /// The size limit is checked once the whole template is in the new file, which is then
    /// removed.
    @Test func streamedTemplateOverLimitKeepsPreviousFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("template.json")
        let previous = Data("{}\n".utf8)
        try previous.write(to: output)

        let process = try Self.launch(Self.templateArguments(functionCount: 100) + ["-o", output.path, "--max-output-bytes", "100000"])
        process.waitUntilExit()

        #expect(process.terminationStatus == 1)
        #expect(try Data(contentsOf: output) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["template.json"])
    }

    @Test func streamedTemplateReplacesFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("template.json")
        try Data("{}\n".utf8).write(to: output)
        let piped = Pipe()
        let reference = Process()
        reference.executableURL = Self.executable
        reference.arguments = Self.templateArguments(functionCount: 100)
        reference.standardOutput = piped
        reference.standardError = FileHandle.nullDevice
        try reference.run()
        let expected = piped.fileHandleForReading.readDataToEndOfFile()
        reference.waitUntilExit()

        let process = try Self.launch(Self.templateArguments(functionCount: 100) + ["-o", output.path])
        process.waitUntilExit()

        #expect(process.terminationStatus == 0)
        #expect(expected.count > 500_000)
        #expect(try Data(contentsOf: output) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["template.json"])
    }

    @Test func failedRunKeepsPreviousFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("broken.slsx")
        try Data("service \"broken\"\nlet x = 1 / 0\n".utf8).write(to: script)
        let output = folder.appendingPathComponent("out.yaml")
        let previous = Data("service: previous\n".utf8)
        try previous.write(to: output)

        let process = try Self.launch(["emit", script.path, "-o", output.path])
        process.waitUntilExit()

        #expect(process.terminationStatus == 1)
        #expect(try Data(contentsOf: output) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["broken.slsx", "out.yaml"])
    }

    @Test func outputOverLimitKeepsPreviousFile() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("sized.slsx")
        try Data("service \"sized\"\nprovider { name: \"aws\", runtime: \"nodejs20.x\" }\n".utf8).write(to: script)
        let output = folder.appendingPathComponent("out.yaml")
        let previous = Data("service: previous\n".utf8)
        try previous.write(to: output)

        let errorPipe = Pipe()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["emit", script.path, "-o", output.path, "--max-output-bytes", "40"]
        process.environment = ["NO_COLOR": "1"]
        process.standardError = errorPipe
        try process.run()
        let errorText = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1)
        #expect(errorText == """
            error: the output is 59 bytes, more than the output size limit of 40 bytes
            help: check the script for a loop that builds more of the document than intended, or raise the limit with --max-output-bytes

            """)
        #expect(try Data(contentsOf: output) == previous)
    }
}
