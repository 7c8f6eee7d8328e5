#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard streams: whether they are terminals, and unbuffered writes to them.
enum Terminal {
    static var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Opens `/dev/null` for reading on each of standard input, output and error that is closed,
    /// so that no file the process opens later gets one of their numbers. Reading then gives an
    /// empty input, and writing still fails with EBADF as it did while the descriptor was closed.
    static func openClosedStandardDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// Tells whether diagnostics on standard error get colour: only on a terminal, and never when
    /// `NO_COLOR` is set to anything (https://no-color.org), unless `--color always` requests it.
    static func colorsStandardError(_ mode: ColorMode) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return standardErrorIsTerminal && getenv("NO_COLOR") == nil
        }
    }

    /// Writes `text` to standard output; returns the error number when the write failed.
    @discardableResult
    static func writeOutput(_ text: String) -> Int32? {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes `bytes` to standard output as they are, and returns the error number of a failed write.
    @discardableResult
    static func writeOutput(_ bytes: [UInt8]) -> Int32? {
        write(bytes, to: STDOUT_FILENO)
    }

    /// Writes `parts` to standard output one after another, and returns the error number of the
    /// first failed write.
    @discardableResult
    static func writeOutput(_ parts: [[UInt8]]) -> Int32? {
        for part in parts {
            if let failure = write(part, to: STDOUT_FILENO) { return failure }
        }
        return nil
    }

    static func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`, retrying after short writes and interrupted calls, and returns the error
    /// number of a failed write (`EPIPE` when the reader has gone, `ENOSPC` on a full disk) or `nil`.
    @discardableResult
    private static func write(_ text: String, to descriptor: Int32) -> Int32? {
        write(Array(text.utf8), to: descriptor)
    }

    /// Writes all of `bytes`, as `write(_:to:)` writes a text.
    static func write(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var written = 0
        while written < bytes.count {
            // Read-only access, so the caller's array is written without a copy.
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            written += result
        }
        return nil
    }
}
