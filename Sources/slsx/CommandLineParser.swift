import Foundation
import SlsxCloudFormation
import SlsxDriver

/// Parses the arguments of `slsx` into a `Command`.
///
/// The grammar is small and fixed, so it is parsed by hand: a subcommand first (`emit`, `check`,
/// `repl`, `help`), then options and one input path in any order. `--name value` and `--name=value` are
/// both accepted; `--` ends the options, so an input file may start with `-`.
struct CommandLineParser {
    private var arguments: [String]
    private var index = 0

    init(_ arguments: [String]) {
        self.arguments = arguments
    }

    /// Returns the command the arguments describe, or throws a `UsageError` that describes the mistake.
    mutating func parse() throws(UsageError) -> Command {
        guard let first = next() else { return .defaultCommand }

        switch first {
        case "-h", "--help": return .help(topic: nil)
        case "--version": return .version
        case "help": return .help(topic: next())
        case "emit": return .emit(try parseRunOptions(for: "emit"))
        case "check": return .check(try parseRunOptions(for: "check"))
        case "repl": return .repl(Array(arguments[index...]))
        default:
            if first.hasPrefix("-") {
                throw UsageError("unknown option '\(first)'", hint: "options follow a command, as in 'slsx emit FILE \(first)'")
            }
            let suggestion = Command.names.closest(to: first).map { ": did you mean '\($0)'?" } ?? ""
            throw UsageError("unknown command '\(first)'\(suggestion)", hint: "run 'slsx --help' for the list of commands")
        }
    }

    // MARK: - Options of emit and check

    private mutating func parseRunOptions(for command: String) throws(UsageError) -> RunOptions {
        var options = RunOptions()
        var optionsEnded = false
        // The options that take one value: a second one would silently replace the first, as in
        // `-o a.yaml ... -o b.yaml` from a command line built up in a script.
        var givenOnce: Set<String> = []

        while let argument = next() {
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                try setInput(argument, in: &options, command: command)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }

            let (name, inlineValue) = Self.split(argument)
            if let canonical = Self.singleValueOptions[name] {
                guard givenOnce.insert(canonical).inserted else {
                    throw UsageError(
                        "\(canonical) is given more than once",
                        hint: "give \(canonical) once; a second value would replace the first")
                }
            }
            switch name {
            case "-h", "--help":
                options.showHelp = true
            case "-f", "--format":
                let text = try value(of: name, inline: inlineValue)
                // `yml` is the other extension serverless.yml files go by.
                guard let format = OutputFormat(rawValue: text == "yml" ? "yaml" : text) else {
                    throw UsageError(
                        "invalid format '\(text)'",
                        hint: "use one of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                options.format = format
            case "-o", "--output":
                let path = try value(of: name, inline: inlineValue)
                guard !path.isEmpty else {
                    throw UsageError("the file name after \(name) is empty", hint: "name a file, such as '-o serverless.yml', or leave out -o to write to standard output")
                }
                options.outputPath = path
            case "--set":
                let assignment = try value(of: name, inline: inlineValue)
                guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                    throw UsageError("invalid --set '\(assignment)'", hint: "write --set NAME=VALUE, as in --set stage=prod")
                }
                let key = String(assignment[..<equals])
                guard Self.isOptionName(key) else {
                    throw UsageError("invalid --set name '\(key)'", hint: "a name starts with a letter or '_' and has letters, digits and '_'")
                }
                options.settings.append((key, String(assignment[assignment.index(after: equals)...])))
            case "--stream-resources-only":
                options.streamResourcesOnly = true
            case "--no-stack-limits":
                options.enforcesStackLimits = false
            case "--split":
                options.splitFolder = try value(of: name, inline: inlineValue)
            case "--stacks":
                let count = try positiveInteger(of: name, inline: inlineValue)
                guard count & (count - 1) == 0, count <= StackSplitter.maximumStackCount else {
                    throw UsageError(
                        "--stacks \(count) is not a power of two from 1 to \(StackSplitter.maximumStackCount)",
                        hint: "pass 1, 2, 4 and so on up to \(StackSplitter.maximumStackCount); with a power of two, doubling the count moves each function to at most one other stack")
                }
                options.stackCount = count
            case "--roles":
                let text = try value(of: name, inline: inlineValue)
                let layouts: [String: CloudFormationCompiler.RoleLayout] = ["auto": .automatic, "shared": .shared, "per-function": .perFunction]
                guard let layout = layouts[text] else {
                    throw UsageError("invalid --roles '\(text)'", hint: "use auto, shared or per-function")
                }
                options.roleLayout = layout
            case "--policies":
                let text = try value(of: name, inline: inlineValue)
                let layouts: [String: CloudFormationCompiler.PolicyLayout] = ["auto": .automatic, "framework": .framework, "compact": .compact]
                guard let layout = layouts[text] else {
                    throw UsageError("invalid --policies '\(text)'", hint: "use auto, framework or compact")
                }
                options.policyLayout = layout
            case "--max-steps":
                options.maximumSteps = try positiveInteger(of: name, inline: inlineValue)
            case "--max-call-depth":
                let depth = try positiveInteger(of: name, inline: inlineValue)
                guard depth <= RunOptions.maximumCallDepthCeiling else {
                    throw UsageError(
                        "--max-call-depth \(depth) is above the ceiling of \(RunOptions.maximumCallDepthCeiling)",
                        hint: "deeper recursion would exhaust the evaluator's stack; rewrite deep recursion as a 'for' loop")
                }
                options.maximumCallDepth = depth
            case "--max-output-bytes":
                options.maximumOutputBytes = try positiveInteger(of: name, inline: inlineValue)
            case "--import-root":
                let folder = try value(of: name, inline: inlineValue)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw UsageError("--import-root '\(folder)' is not a folder", hint: "name the folder that contains the modules to import")
                }
                options.importRoot = folder
            case "--allow-env":
                let names = try value(of: name, inline: inlineValue)
                for variable in names.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    // A name with a space or `=` can never match a variable, so the script would
                    // see no value and the user no reason.
                    guard Self.isOptionName(variable) else {
                        throw UsageError(
                            "invalid --allow-env name '\(variable)'",
                            hint: "give environment variable names separated by commas, without spaces, as in --allow-env STAGE,TEAM")
                    }
                    options.allowedEnvironmentNames.append(variable)
                }
            case "--color":
                let text = try value(of: name, inline: inlineValue)
                guard let mode = ColorMode(rawValue: text) else {
                    throw UsageError("invalid --color '\(text)'", hint: "use auto, always or never")
                }
                options.color = mode
            default:
                let known = RunOptions.optionNames
                let suggestion = known.closest(to: name).map { ": did you mean '\($0)'?" } ?? ""
                throw UsageError("unknown option '\(name)'\(suggestion)", hint: "run 'slsx help \(command)' for its options")
            }
        }

        if options.showHelp {
            return options
        }
        if options.inputPath == nil {
            throw UsageError("missing input file", hint: "write 'slsx \(command) FILE', or 'slsx \(command) -' to read standard input")
        }
        if command == "check", options.outputPath != nil {
            throw UsageError("'slsx check' writes no output, so it takes no -o", hint: "use 'slsx emit FILE -o OUT' to write the output")
        }
        if options.splitFolder?.isEmpty == true {
            throw UsageError("the folder name after --split is empty", hint: "name a folder, such as '--split stacks'")
        }
        if options.splitFolder != nil || options.stackCount != nil {
            guard options.format.isCloudFormation, !options.streamResourcesOnly else {
                throw UsageError(
                    "--split and --stacks apply only to full CloudFormation templates",
                    hint: "add --format cfn-json or --format cfn-yaml, without --stream-resources-only")
            }
            guard options.splitFolder != nil else {
                throw UsageError("--stacks needs --split DIR", hint: "write 'slsx emit FILE --format cfn-json --split DIR --stacks N'")
            }
            if options.outputPath != nil {
                throw UsageError("--split writes to its folder, so it takes no -o", hint: "remove -o")
            }
        }
        if options.streamResourcesOnly, !options.format.isCloudFormation {
            throw UsageError(
                "--stream-resources-only applies only to CloudFormation output",
                hint: "add --format cfn-json or --format cfn-yaml")
        }
        return options
    }

    private func setInput(_ argument: String, in options: inout RunOptions, command: String) throws(UsageError) {
        if let existing = options.inputPath {
            throw UsageError(
                "more than one input file ('\(existing)' and '\(argument)')",
                hint: "'slsx \(command)' reads one script; import the others from it")
        }
        options.inputPath = argument
    }

    // MARK: - Helpers

    private mutating func next() -> String? {
        guard index < arguments.count else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    private mutating func value(of name: String, inline: String?) throws(UsageError) -> String {
        if let inline { return inline }
        guard let value = next() else {
            throw UsageError("option '\(name)' needs a value")
        }
        return value
    }

    private mutating func positiveInteger(of name: String, inline: String?) throws(UsageError) -> Int {
        let text = try value(of: name, inline: inline)
        guard let number = Int(text), number > 0 else {
            throw UsageError("invalid value '\(text)' for \(name)", hint: "give a whole number greater than 0")
        }
        return number
    }

    /// Splits `--name=value` into its name and value; other arguments have no inline value.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// The options that take one value, by the spelling they are reported in.
    private static let singleValueOptions: [String: String] = [
        "-f": "--format", "--format": "--format", "-o": "--output", "--output": "--output", "--split": "--split",
        "--stacks": "--stacks", "--roles": "--roles", "--policies": "--policies", "--max-steps": "--max-steps",
        "--max-call-depth": "--max-call-depth", "--max-output-bytes": "--max-output-bytes",
        "--import-root": "--import-root", "--color": "--color",
    ]

    /// Returns whether `text` is a name as `--set` and `--allow-env` take them: a letter or `_`,
    /// then letters, digits and `_`, all ASCII.
    private static func isOptionName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.properties.isAlphabetic && first.isASCII) else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
