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

    /// Runs `command` with `/bin/sh -c` in the repository's root (`spawnShell`), with `$SLSX`
    /// naming the executable and `$ARGS` the workload's arguments, and returns its exit status.
    private func shell(_ command: String) throws -> Int32 {
        let output = Glibc.open("/dev/null", O_WRONLY)
        try #require(output >= 0)
        defer { close(output) }
        let variables = "SLSX='\(SlsxProcess.executable.path)'; ARGS='\(Self.arguments.joined(separator: " "))'; "
        let pid = try spawnShell(variables + command, output: output)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xff
    }

    /// With standard error closed, the warnings must not land in the new file of `-o`, which
    /// would otherwise get descriptor 2.
    @Test func closedStandardErrorKeepsOutputFileClean() throws {
        let piped = try SlsxProcess.run(Self.arguments)
        let url = try temporaryFile(containing: "{}\n")
        defer { try? FileManager.default.removeItem(at: url) }

        let status = try shell("exec \"$SLSX\" $ARGS -o '\(url.path)' 2>&-")

        #expect(status == 0)
        #expect(try String(contentsOf: url, encoding: .utf8) == piped.standardOutput)
    }

    /// A file size limit fails the write with EFBIG instead of killing the process with SIGXFSZ,
    /// and the file is cut back.
    @Test func fileSizeLimitIsWriteError() throws {
        let url = try temporaryFile(containing: "earlier\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let errors = try temporaryFile(containing: "")
        defer { try? FileManager.default.removeItem(at: errors) }

        let status = try shell("ulimit -f 100; exec \"$SLSX\" $ARGS >> '\(url.path)' 2> '\(errors.path)'")

        #expect(status == 3)
        #expect(try String(contentsOf: errors, encoding: .utf8).hasSuffix("error: cannot write standard output: File too large\n"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "earlier\n")
    }

    /// Starts `/bin/sh -c command` in the repository's root with standard output on `output`,
    /// and with no signal blocked and SIGINT, SIGTERM and SIGHUP at their default actions. A child
    /// started through `Process` inherits the test runner's mask, which blocks them.
    private func spawnShell(_ command: String, output: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, output, STDOUT_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let root = SlsxProcess.repositoryRoot.path
        let arguments = ["/bin/sh", "-c", "cd '\(root)' && \(command)"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, environ)
        try #require(result == 0)
        return pid
    }

    /// SIGTERM while the template streams into a `>>` file cuts the file back before the process
    /// ends. Under `trap '' HUP`, as with `nohup`, SIGHUP is still ignored.
    @Test func signalsDuringStreaming() throws {
        let arguments = Self.arguments.map { $0 == "n=100" ? "n=2000" : $0 }
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        var interrupted = 0
        for (signalNumber, ignored) in [(SIGTERM, false), (SIGHUP, true), (SIGTERM, false), (SIGTERM, false)] {
            let url = try temporaryFile(containing: "earlier\n")
            defer { try? FileManager.default.removeItem(at: url) }
            let output = Glibc.open(url.path, O_WRONLY | O_APPEND)
            try #require(output >= 0)
            defer { close(output) }
            let command = "\(ignored ? "trap '' HUP; " : "")exec '\(SlsxProcess.executable.path)' \(quoted)"
            let pid = try spawnShell(command, output: output)

            // Signal once the template has started to reach the file.
            var status = stat()
            var exitStatus: Int32 = 0
            var exited = false
            while stat(url.path, &status) == 0, status.st_size <= 8 {
                if waitpid(pid, &exitStatus, WNOHANG) == pid {
                    exited = true
                    break
                }
                usleep(500)
            }
            if !exited {
                kill(pid, signalNumber)
                waitpid(pid, &exitStatus, 0)
            }
            // WIFSIGNALED and WEXITSTATUS are macros that Swift does not import.
            let killedBySignal = exitStatus & 0x7f != 0 && exitStatus & 0x7f != 0x7f
            let exitCode = (exitStatus >> 8) & 0xff

            // A run can finish its output before the signal arrives. Its file is then complete,
            // whether the signal still ended it or not.
            let text = try String(contentsOf: url, encoding: .utf8)
            let isComplete = text.hasPrefix("earlier\n{\n") && text.hasSuffix("}\n")
            if ignored {
                #expect(!killedBySignal)
                #expect(exitCode == 0)
                #expect(isComplete)
            } else if killedBySignal && !isComplete {
                interrupted += 1
                #expect(text == "earlier\n")
            } else {
                #expect(isComplete, "the run ended with status \(exitStatus) and \(text.utf8.count) bytes in its file")
            }
        }
        #expect(interrupted >= 1, "no run was signaled while it wrote; the test proved nothing")
    }
}
