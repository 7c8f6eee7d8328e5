import Foundation
import SlsxDriver

/// Writes the REPL's text to the process's standard output and standard error, unbuffered, so
/// output and diagnostics appear in the order they were produced.
final class StandardConsole: ReplConsole {
    func writeOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    func writeError(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Writes all of `text`, retrying after short writes and interrupted calls. A closed pipe ends
    /// the write silently: the reader has gone.
    private func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                return
            }
            written += result
        }
    }
}
