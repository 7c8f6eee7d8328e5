import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `-o` onto a read-only file: rename(2) needs write access to the folder only, so without a check
/// any user who may write the folder would replace a file its owner protected.
@Suite struct ReadOnlyOutputTests {
    /// Runs as the user running the tests. access(2) lets root write any file, so under root this
    /// checks the mode-bit rule (CI containers run as root).
    @Test func fileWithoutWriteBitsIsKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("s.slsx")
        let output = folder.appendingPathComponent("out.yaml")
        try Data("service \"ro\"\n".utf8).write(to: script)
        try Data("old\n".utf8).write(to: output)
        chmod(output.path, 0o444)

        let process = Process()
        process.executableURL = InterruptedEmitTests.executable
        process.arguments = ["emit", script.path, "-o", output.path]
        process.environment = ["NO_COLOR": "1"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 3)
        #expect(text == "error: cannot write '\(output.path)': it is read-only; make it writable (chmod u+w) or remove it first\n")
        #expect(try String(contentsOf: output, encoding: .utf8) == "old\n")
    }

    /// Runs as the unprivileged user 65534 through setpriv, so it needs root to start.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnlyFileIsKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        chmod(folder.path, 0o777)
        let script = folder.appendingPathComponent("s.slsx")
        let output = folder.appendingPathComponent("out.yaml")
        try Data("service \"ro\"\n".utf8).write(to: script)
        try Data("old\n".utf8).write(to: output)
        chmod(script.path, 0o644)
        chmod(output.path, 0o444)
        // A copy of the executable, because the build folder may be closed to other users.
        let executable = folder.appendingPathComponent("slsx")
        try FileManager.default.copyItem(at: InterruptedEmitTests.executable, to: executable)
        chmod(executable.path, 0o755)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid", "65534", "--regid", "65534", "--clear-groups",
            executable.path, "emit", script.path, "-o", output.path,
        ]
        process.environment = ["NO_COLOR": "1"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 3)
        #expect(text == "error: cannot write '\(output.path)': it is read-only; make it writable (chmod u+w) or remove it first\n")
        #expect(try String(contentsOf: output, encoding: .utf8) == "old\n")
    }
}
