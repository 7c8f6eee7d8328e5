import Foundation

/// Runs the built `slsx` executable as a child process, the way users and CI run it.
struct SlsxProcess {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The repository's root folder, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable beside the test bundle in the build folder.
    static var executable: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent("slsx"), bundle.deletingLastPathComponent().appendingPathComponent("slsx")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `slsx arguments` in the repository's root with `input` on standard input; `NO_COLOR` is set so
    /// that diagnostics are plain text.
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Output {
        let process = makeProcess(arguments, environment: environment)

        let standardInput = Pipe()
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        try process.run()

        standardInput.fileHandleForWriting.write(Data(input.utf8))
        try standardInput.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
        let errorReader = Thread.detachedReader(standardError.fileHandleForReading)
        let outputData = standardOutput.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = errorReader.wait()

        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// Returns a process that runs `slsx arguments` in the repository's root, with `NO_COLOR` set
    /// so that diagnostics are plain text, and `environment` added to this process's environment.
    private static func makeProcess(_ arguments: [String], environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment["NO_COLOR"] = "1"
        processEnvironment.merge(environment) { $1 }
        process.environment = processEnvironment
        return process
    }

    /// Runs `slsx arguments` in the repository's root with `standardOutput` as its standard
    /// output, such as a file opened by the test, and `standardError` as its standard error, or a
    /// pipe when it is `nil`. Returns the exit status and what went to the pipe.
    static func run(
        _ arguments: [String], standardOutput: FileHandle, standardError: FileHandle? = nil
    ) throws -> (status: Int32, standardError: String) {
        let process = makeProcess(arguments)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = standardOutput
        let errorPipe = Pipe()
        process.standardError = standardError ?? errorPipe
        try process.run()

        let errorData = standardError == nil ? errorPipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errorData, as: UTF8.self))
    }
}

/// Reads a file handle to its end on a thread of its own.
final class DetachedReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

extension Thread {
    static func detachedReader(_ handle: FileHandle) -> DetachedReader { DetachedReader(handle) }
}
