import SlsxDriver

/// Writes the REPL's text to the process's standard output and standard error, unbuffered, so
/// output and diagnostics appear in the order they were produced.
final class StandardConsole: ReplConsole {
    func writeOutput(_ text: String) {
        Terminal.writeOutput(text)
    }

    func writeError(_ text: String) {
        Terminal.writeError(text)
    }
}
