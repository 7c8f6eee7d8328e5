import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `-o` onto a read-only file: rename(2) needs write access to the folder only, so without a check
/// any user who may write the folder would replace a file its owner protected.
@Suite struct ReadOnlyOutputTests {
    /// A temporary folder with the script `s.slsx` and the output `out.yaml`, which contains
    /// "old\n" and has mode 0444.
    struct Fixture {
        var folder: URL
        var script: URL
        var output: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-readonly-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            script = folder.appendingPathComponent("s.slsx")
            output = folder.appendingPathComponent("out.yaml")
            try Data("service \"ro\"\n".utf8).write(to: script)
            try Data("old\n".utf8).write(to: output)
            chmod(output.path, 0o444)
        }

        /// Runs `executable` with `arguments` and `NO_COLOR=1`, and returns its exit status and
        /// standard error.
        func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, errors: String) {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ["NO_COLOR": "1"]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }

        func remove() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Runs as the user running the tests. access(2) lets root write any file, so under root this
    /// checks the mode-bit rule (CI containers run as root).
    @Test func fileWithoutWriteBitsIsKept() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }

        let (status, errors) = try fixture.run(InterruptedEmitTests.executable, ["emit", fixture.script.path, "-o", fixture.output.path])

        #expect(status == 3)
        #expect(errors == "error: cannot write '\(fixture.output.path)': it is read-only; make it writable (chmod u+w) or remove it first\n")
        #expect(try String(contentsOf: fixture.output, encoding: .utf8) == "old\n")
    }

    /// Runs as the unprivileged user 65534 through setpriv, so it needs root to start.
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnlyFileIsKept() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        chmod(fixture.folder.path, 0o777)
        chmod(fixture.script.path, 0o644)
        // A copy of the executable, because the build folder may be closed to other users.
        let executable = fixture.folder.appendingPathComponent("slsx")
        try FileManager.default.copyItem(at: InterruptedEmitTests.executable, to: executable)
        chmod(executable.path, 0o755)

        let (status, errors) = try fixture.run(URL(fileURLWithPath: "/usr/bin/setpriv"), [
            "--reuid", "65534", "--regid", "65534", "--clear-groups",
            executable.path, "emit", fixture.script.path, "-o", fixture.output.path,
        ])

        #expect(status == 3)
        #expect(errors == "error: cannot write '\(fixture.output.path)': it is read-only; make it writable (chmod u+w) or remove it first\n")
        #expect(try String(contentsOf: fixture.output, encoding: .utf8) == "old\n")
    }
}
