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

    /// Whether diagnostics on standard error get colour: only on a terminal, never when `NO_COLOR` is
    /// set to anything (https://no-color.org), unless `--color always` asks for it.
    static func colorsStandardError(_ mode: ColorMode) -> Bool {
        switch mode {
        case .always: return true
        case .never: return false
        case .auto: return standardErrorIsTerminal && getenv("NO_COLOR") == nil
        }
    }

    static func writeOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`, retrying after short writes and interrupted calls. A closed pipe ends the
    /// write silently: the reader has gone, and the exit status still reports the run's result.
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return
            }
            written += result
        }
        bytes.removeAll()
    }
}
