/// The result of one REPL entry or command, as text for the console.
public struct ReplOutcome: Equatable, Sendable {
    /// Text for standard output: printed values, summaries and command output.
    public var output: String
    /// Text for standard error: rendered diagnostics and warnings.
    public var errors: String
    /// The text to record in the line history, or nil when nothing should be recorded.
    public var historyEntry: String?
    /// Whether the REPL should stop after this outcome (`:quit`).
    public var quit: Bool

    public init(output: String = "", errors: String = "", historyEntry: String? = nil, quit: Bool = false) {
        self.output = output
        self.errors = errors
        self.historyEntry = historyEntry
        self.quit = quit
    }
}
