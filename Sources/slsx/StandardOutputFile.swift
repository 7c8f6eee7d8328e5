import SlsxDriver
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output as an `OutputSink` when it is a regular file that slsx appends to, as after
/// `slsx emit … > out.json` or `>> out.json`. The template then goes to the file while the rest
/// of it is still being written, and `discard` cuts the file back to its size before the run, so
/// a run that fails leaves the file as it found it. SIGINT, SIGTERM and SIGHUP during the run cut
/// it back too (`InterruptedWriteCleanup`).
///
/// A pipe or terminal cannot take back what it was sent, so the command writes to those only
/// after every check has passed, without a sink.
///
/// NOTE: the cut assumes that no other process writes the file during the run. A run that fails
/// while another run writes the same file at once removes what that run wrote.
final class StandardOutputFile: OutputSink {
    private let descriptor: Int32
    /// The size of the file before the run, where `discard` cuts it.
    private let startSize: off_t
    /// Whether a write has started, and the error number of the first failed write. Later writes
    /// are skipped.
    private let state = Mutex<(started: Bool, failure: Int32?)>((false, nil))

    private init(descriptor: Int32, startSize: off_t) {
        self.descriptor = descriptor
        self.startSize = startSize
    }

    /// Returns the sink for standard output, or `nil` in three cases. Standard output is not a
    /// regular file. Its offset is before the file's end, where slsx would overwrite text. Or
    /// standard error goes to the same file, where the diagnostics must come before the output,
    /// as they do without a sink.
    static func open() -> StandardOutputFile? {
        var output = stat()
        guard fstat(STDOUT_FILENO, &output) == 0, output.st_mode & S_IFMT == S_IFREG else { return nil }
        var error = stat()
        if fstat(STDERR_FILENO, &error) == 0, error.st_dev == output.st_dev, error.st_ino == output.st_ino {
            return nil
        }
        let flags = fcntl(STDOUT_FILENO, F_GETFL)
        guard flags >= 0 else { return nil }
        // With O_APPEND every write goes to the end, wherever the offset is.
        if flags & O_APPEND == 0 {
            guard lseek(STDOUT_FILENO, 0, SEEK_CUR) == output.st_size else { return nil }
        }
        return StandardOutputFile(descriptor: STDOUT_FILENO, startSize: output.st_size)
    }

    /// The error number of the first write that failed, or `nil`.
    var writeFailure: Int32? {
        state.withLock { $0.failure }
    }

    func write(_ bytes: [UInt8]) {
        state.withLock { state in
            guard state.failure == nil else { return }
            if !state.started {
                state.started = true
                InterruptedWriteCleanup.register(truncating: descriptor, toSize: startSize)
            }
            state.failure = Terminal.write(bytes, to: descriptor)
        }
    }

    /// Keeps what was written: the file no longer needs cutting back on a signal.
    func commit() {
        InterruptedWriteCleanup.unregister()
    }

    /// Cuts the file back to its size before the run and moves the offset there, so that the
    /// next write by this process or its parent shell continues where the file ended. Returns the
    /// error number when the file could not be cut, as when it is append-only (`chattr +a`).
    func discard() -> Int32? {
        defer { InterruptedWriteCleanup.unregister() }
        guard state.withLock({ $0.started }) else { return nil }
        guard ftruncate(descriptor, startSize) == 0 else { return errno }
        _ = lseek(descriptor, startSize, SEEK_SET)
        return nil
    }
}
