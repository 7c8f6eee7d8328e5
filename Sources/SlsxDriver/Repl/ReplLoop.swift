/// The read-evaluate-print loop: reads lines from a `LineReader`, hands them to a `ReplSession` and
/// writes what the session returns to a `ReplConsole`.
///
/// The same loop runs on a terminal (libedit), on piped input and in tests (scripted lines). Only
/// `interactive` changes its behaviour: it adds a banner and prompts, a newline after Ctrl-C and
/// Ctrl-D, and exit status 0 even when an entry failed.
public struct ReplLoop {
    private let session: ReplSession
    private let reader: LineReader
    private let console: ReplConsole
    private let interactive: Bool
    private let colored: Bool
    private let banner: String

    /// The prompt for a new entry.
    public static let primaryPrompt = "slsx> "
    /// The prompt while an entry continues over several lines; as wide as `primaryPrompt`.
    public static let continuationPrompt = "  ... "

    /// Creates a loop. `colored` paints the prompts (only on a terminal without `NO_COLOR`);
    /// `banner` is printed once at the start of an interactive session.
    public init(
        session: ReplSession, reader: LineReader, console: ReplConsole,
        interactive: Bool, colored: Bool, banner: String = ""
    ) {
        self.session = session
        self.reader = reader
        self.console = console
        self.interactive = interactive
        self.colored = colored
        self.banner = banner
    }

    /// Runs until `:quit`, Ctrl-D on an empty line or the end of input, and returns the exit status:
    /// 0, or 1 when the input was not interactive and any entry failed.
    public func run() -> Int32 {
        let session = self.session
        reader.setCompletionProvider { request in session.completions(for: request) }
        if interactive, !banner.isEmpty {
            console.writeOutput(banner)
        }

        reading: while true {
            switch reader.readLine(prompt: prompt()) {
            case .interrupted:
                session.abandonEntry()
                console.writeOutput("\n")

            case .tooLong(let maximumBytes):
                write(session.rejectLongLine(maximumBytes: maximumBytes))

            case .endOfInput:
                if interactive {
                    console.writeOutput("\n")
                } else if let outcome = session.finishInput() {
                    write(outcome)
                }
                break reading

            case .line(let line):
                guard let outcome = session.submit(line: line) else { continue }
                write(outcome)
                if let entry = outcome.historyEntry {
                    reader.addHistory(entry)
                }
                if outcome.quit {
                    break reading
                }
            }
        }
        session.close()
        return !interactive && session.hasFailedEntry ? 1 : 0
    }

    private func prompt() -> String {
        guard interactive else { return "" }
        let text = session.isContinuing ? ReplLoop.continuationPrompt : ReplLoop.primaryPrompt
        guard colored else { return text }
        // libedit counts every character of the prompt towards the cursor column except those
        // between \u{1} and \u{2}, so the colour codes go there.
        return "\u{1}\u{1B}[1;34m\u{2}" + text + "\u{1}\u{1B}[0m\u{2}"
    }

    private func write(_ outcome: ReplOutcome) {
        if !outcome.output.isEmpty {
            console.writeOutput(outcome.output)
        }
        if !outcome.errors.isEmpty {
            console.writeError(outcome.errors)
        }
    }
}
