/// The REPL's output streams: standard output and standard error in the executable, strings in tests.
public protocol ReplConsole: AnyObject {
    /// Writes results: values, summaries, command output and prompts' surroundings.
    func writeOutput(_ text: String)
    /// Writes diagnostics and warnings.
    func writeError(_ text: String)
}
