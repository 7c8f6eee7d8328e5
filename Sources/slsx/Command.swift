import SlsxCloudFormation
import SlsxDriver

/// What one run of `slsx` does, as parsed from its arguments.
enum Command {
    case emit(RunOptions)
    case check(RunOptions)
    /// `slsx repl` with the arguments after it.
    case repl([String])
    case help(topic: String?)
    case version

    /// The command names, for suggestions.
    static let names = ["emit", "check", "repl", "help"]

    /// `slsx` with no arguments: the REPL on a terminal, the help text elsewhere.
    static var defaultCommand: Command {
        Terminal.standardInputIsTerminal ? .repl([]) : .help(topic: nil)
    }
}

/// The options shared by `emit` and `check`.
struct RunOptions {
    /// The script to read; `-` is standard input.
    var inputPath: String?
    var format: OutputFormat = .yaml
    /// `-o`: the file to replace with the output; standard output when `nil`.
    var outputPath: String?
    /// `--set NAME=VALUE` in the order given; a later value for the same name wins.
    var settings: [(name: String, value: String)] = []
    var streamResourcesOnly = false
    /// `--no-stack-limits`: report CloudFormation's per-stack quotas as warnings.
    var enforcesStackLimits = true
    /// `--split DIR`: the folder that receives the root template and the nested stacks.
    var splitFolder: String?
    /// `--stacks N`: the number of nested stacks of a split.
    var stackCount: Int?
    var roleLayout: CloudFormationCompiler.RoleLayout = .automatic
    var policyLayout: CloudFormationCompiler.PolicyLayout = .automatic
    var maximumSteps: Int?
    var maximumCallDepth: Int?
    /// `--max-output-bytes N`: the largest output the run may write.
    var maximumOutputBytes: Int?
    /// `--import-root DIR`: the folder whose files the script may import, instead of its own folder.
    var importRoot: String?
    /// `--allow-env NAME[,NAME...]`: environment variables the script may read with `env(NAME)`.
    var allowedEnvironmentNames: [String] = []
    var color: ColorMode = .auto
    var showHelp = false

    /// The highest `--max-call-depth` accepted. The evaluator's thread has a 512 MiB stack, and a call
    /// nested inside many brackets uses several kilobytes of it, so this leaves a wide margin.
    static let maximumCallDepthCeiling = 5_000

    static let optionNames = [
        "--format", "--output", "--set", "--stream-resources-only", "--no-stack-limits", "--max-steps", "--max-call-depth",
        "--max-output-bytes", "--import-root", "--allow-env", "--color", "--help", "--split", "--stacks", "--roles", "--policies",
    ]
}

enum ColorMode: String {
    case auto
    case always
    case never
}

/// A mistake in the arguments: exit status 2 and a message on standard error.
struct UsageError: Error {
    var message: String
    var hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}
