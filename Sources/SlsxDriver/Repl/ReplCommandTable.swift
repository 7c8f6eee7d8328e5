import SlsxSource

/// The REPL's commands: each `:name`, what follows it and its line in `:help`.
public enum ReplCommandTable {
    /// The kind of argument a command takes after its name.
    public enum Argument: Sendable, Equatable {
        case none
        /// A file path; Tab completes file names.
        case file
        /// An slsx expression.
        case expression
        /// Nothing, or one of these words.
        case optionalWord([String])
    }

    /// One command.
    public struct Command: Sendable, Equatable {
        public var name: String
        public var argument: Argument
        /// The argument as `:help` shows it, such as `FILE`.
        public var usage: String
        public var summary: String
    }

    /// Every command, in the order `:help` lists them.
    public static let commands: [Command] = [
        Command(name: ":help", argument: .optionalWord(["builtins"]), usage: "[builtins]", summary: "list the commands, or the built-in functions"),
        Command(name: ":yaml", argument: .none, usage: "", summary: "show the session's serverless.yml"),
        Command(name: ":json", argument: .none, usage: "", summary: "show the session's serverless.yml as JSON"),
        Command(
            name: ":cfn", argument: .optionalWord(["yaml", "json"]), usage: "[yaml|json]",
            summary: "show the CloudFormation template the framework would compile (YAML by default)"
        ),
        Command(name: ":model", argument: .none, usage: "", summary: "show the checked model: functions, events and their settings"),
        Command(name: ":load", argument: .file, usage: "FILE", summary: "evaluate a script as one entry of the session"),
        Command(name: ":save", argument: .file, usage: "FILE", summary: "write the accepted entries as a script for `slsx emit`"),
        Command(name: ":reset", argument: .none, usage: "", summary: "forget every binding and declaration"),
        Command(name: ":vars", argument: .none, usage: "", summary: "list the names in scope with their values"),
        Command(name: ":type", argument: .expression, usage: "EXPR", summary: "show the type of an expression"),
        Command(name: ":quit", argument: .none, usage: "", summary: "leave the REPL (Ctrl-D on an empty line does too)"),
    ]

    /// Returns the command named `name`, also by an unambiguous prefix such as `:q` for `:quit`; nil when
    /// no command or several commands match.
    public static func command(named name: String) -> Command? {
        if let exact = commands.first(where: { $0.name == name }) {
            return exact
        }
        let matches = commands.filter { $0.name.hasPrefix(name) }
        return name.count > 1 && matches.count == 1 ? matches[0] : nil
    }

    /// Returns the command closest to a misspelt name, for a "did you mean" hint.
    public static func suggestion(for name: String) -> String? {
        commands.map(\.name).closest(to: name)
    }

    /// The text `:help` prints.
    public static var helpText: String {
        let width = commands.map { ($0.name + " " + $0.usage).count }.max() ?? 0
        var text = "Type an expression, a let or fn binding, or a declaration (service, provider, function, resources).\n"
        text += "An entry continues on the next line while a bracket, string or block is open; a blank line or\n"
        text += "Ctrl-C abandons it. Tab completes names, stream properties, commands and file names.\n"
        text += "docs/repl.md describes the REPL and docs/language.md the language.\n\n"
        for command in commands {
            let head = command.usage.isEmpty ? command.name : command.name + " " + command.usage
            text += "  " + head + String(repeating: " ", count: width - head.count + 2) + command.summary + "\n"
        }
        return text
    }
}
