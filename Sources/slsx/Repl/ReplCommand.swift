import Foundation
import SlsxDriver
import SlsxLanguage

/// `slsx repl`: the interactive session, on libedit when standard input and output are terminals.
enum ReplCommand {
    /// The text `slsx help repl` prints.
    static let helpText = """
        usage: slsx repl [--set NAME=VALUE]...

        Starts an interactive session: each entry is evaluated as it is typed, and `:help` lists the
        commands. With piped input, entries are read without prompts, and the exit status is 1 if any
        entry failed.

        options:
          --set NAME=VALUE   the value option("NAME") returns in the session (repeatable)
          -h, --help         show this help

        environment:
          SLSX_HISTORY       the history file (default ~/.slsx_history; empty turns history off)
          SLSX_HISTORY_SIZE  the number of entries the history keeps (default 1000)
          NO_COLOR           set to anything to turn colour off

        """

    /// Runs the REPL with the arguments that follow `repl` and returns the exit status: 0, 1 when a
    /// piped entry failed, 2 for a wrong command line.
    static func run(arguments: [String]) -> Int32 {
        let console = StandardConsole()
        var options: [String: String] = [:]
        var remaining = arguments[...]

        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help":
                console.writeOutput(helpText)
                return 0
            case "--set":
                guard let assignment = remaining.popFirst() else {
                    return usageError("--set needs NAME=VALUE, for example --set stage=prod", console: console)
                }
                guard let (name, value) = parseAssignment(assignment) else {
                    return usageError("invalid --set value '\(assignment)': expected NAME=VALUE, for example --set stage=prod", console: console)
                }
                options[name] = value
            case let option where option.hasPrefix("--set="):
                let assignment = String(option.dropFirst("--set=".count))
                guard let (name, value) = parseAssignment(assignment) else {
                    return usageError("invalid --set value '\(assignment)': expected NAME=VALUE, for example --set stage=prod", console: console)
                }
                options[name] = value
            default:
                return usageError("unknown argument '\(argument)' for slsx repl", console: console)
            }
        }

        let environment = ProcessInfo.processInfo.environment
        // libedit needs both ends to be a terminal: it reads keys from one and draws on the other.
        let interactive = Terminal.standardInputIsTerminal && Terminal.standardOutputIsTerminal
        let noColor = environment["NO_COLOR"] != nil
        let workingDirectory = FileManager.default.currentDirectoryPath

        let configuration = ReplSession.Configuration(
            evaluation: EvaluationOptions(options: options, importRoot: workingDirectory),
            interactive: interactive,
            coloredDiagnostics: Terminal.colorsStandardError(.auto),
            workingDirectory: workingDirectory,
            entryPath: interactive ? "<repl>" : "<stdin>"
        )
        let session = ReplSession(configuration: configuration)

        let reader: LineReader
        if interactive {
            let history = HistorySettings.resolve(environment: environment)
            if let warning = history.warning {
                console.writeError("warning: \(warning)\n")
            }
            reader = EditLineReader(
                history: history.path.map { HistoryFile(path: $0, maximumEntries: history.maximumEntries) },
                reportWarning: { console.writeError("warning: \($0)\n") }
            )
        } else {
            reader = PlainLineReader()
        }

        let loop = ReplLoop(
            session: session, reader: reader, console: console,
            interactive: interactive, colored: !noColor,
            banner: "slsx \(SlsxVersion.current) REPL: type :help for commands, Ctrl-D to leave.\n"
        )
        return loop.run()
    }

    private static func parseAssignment(_ text: String) -> (String, String)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    private static func usageError(_ message: String, console: ReplConsole) -> Int32 {
        console.writeError("error: \(message)\nhelp: run 'slsx help repl' for the options\n")
        return 2
    }
}
