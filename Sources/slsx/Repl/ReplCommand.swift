import Foundation
import SlsxDriver

/// `slsx repl`: the interactive session, on libedit when standard input is a terminal.
enum ReplCommand {
    /// The text `slsx help repl` prints.
    static let helpText = """
        usage: slsx repl [--set NAME=VALUE]...

        Starts an interactive session. Each entry is evaluated as it is typed; `:help` lists the
        commands. With piped input, entries are read without prompts and the exit status is 1 if any
        entry failed.

        options:
          --set NAME=VALUE   the value option("NAME") returns in the session (repeatable)
          -h, --help         show this help

        environment:
          SLSX_HISTORY       the history file (default ~/.slsx_history; empty turns history off)
          NO_COLOR           set to anything to turn colour off

        """

    /// Runs the REPL with the arguments that follow `repl` and returns the exit status.
    static func run(arguments: [String]) -> Int32 {
        // TODO: the session logic needs the language's Session, which has not landed yet.
        FileHandle.standardError.write(Data("slsx: the REPL is not built yet\n".utf8))
        return 70
    }
}
