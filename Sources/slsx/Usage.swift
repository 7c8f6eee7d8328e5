import SlsxSource

/// The help text of `slsx` and its commands, and the rendering of usage errors.
enum Usage {
    static let overview = """
        slsx: describe AWS Lambda stream bindings in a small language, and emit serverless.yml or the
        CloudFormation the Serverless Framework would compile from it.

        Usage:
          slsx emit FILE [options]    evaluate FILE and write serverless.yml, JSON or CloudFormation
          slsx check FILE [options]   evaluate FILE and report problems; write nothing
          slsx repl                   start the interactive REPL (also 'slsx' alone on a terminal)
          slsx help [COMMAND]         show this text, or a command's options
          slsx --version              print the version

        FILE '-' reads the script from standard input.

        Exit status:
          0   success (warnings may have been printed)
          1   the script has errors; nothing was written
          2   the command line is wrong
          3   a file could not be read or written
          70  slsx failed internally (a bug)

        Documentation: README.md and docs/ in the slsx repository.

        """

    static let runOptions = """
        Options:
          -f, --format FORMAT        yaml (serverless.yml, the default), json, cfn-json or cfn-yaml
          -o, --output FILE          replace FILE with the output, whole and only on success;
                                     without it the output goes to standard output
              --set NAME=VALUE       give the script a value that it reads with option("NAME"),
                                     converted to the type of option's default; repeatable
              --stream-resources-only
                                     with cfn-json or cfn-yaml: emit only the resources and IAM
                                     statements the stream events add, to merge into another stack
              --no-stack-limits      with cfn-json or cfn-yaml: report a template over CloudFormation's
                                     per-stack quotas (500 resources, 200 outputs, 1,000,000 bytes)
                                     as a warning and write it anyway; for measuring large services
              --split DIR            with cfn-json or cfn-yaml: replace folder DIR with a root
                                     template (template.json or .yaml) and nested stacks in
                                     DIR/stacks/, each holding whole functions (docs/scale.md)
              --stacks N             with --split: use N nested stacks, a power of two; without
                                     it slsx picks the smallest count that fits with headroom,
                                     never fewer than the split already in DIR has
              --roles auto|shared|per-function
                                     the functions' execution roles: auto (the default) shares
                                     one role until its policy would pass IAM's size limit
              --policies auto|framework|compact
                                     IAM statements as the framework writes them, or merged by
                                     action (compact); auto compacts only when needed
              --import-root DIR      let the script import .slsx files from inside DIR instead of
                                     its own folder; a script read from standard input can
                                     import files only with this option
              --allow-env NAME[,NAME...]
                                     let the script read these environment variables with
                                     env("NAME"); it can read no other part of the environment
              --max-steps N          stop evaluation after N steps (default 20000000)
              --max-call-depth N     stop at N nested function calls (default 512, at most 5000)
              --max-output-bytes N   fail when the output is larger than N bytes
                                     (default 67108864, which is 64 MiB)
              --color auto|always|never
                                     colour in diagnostics; auto means on a terminal and NO_COLOR unset
          -h, --help                 show this text

        """

    /// Prints the help for `topic` (a command name or nothing) and returns the exit status.
    static func printHelp(topic: String?) -> ExitCode {
        switch topic {
        case nil:
            Terminal.writeOutput(overview)
            return .success
        case "emit":
            Terminal.writeOutput("Usage: slsx emit FILE [options]\n\nEvaluate FILE and write its output.\n\n" + runOptions)
            return .success
        case "check":
            Terminal.writeOutput(
                "Usage: slsx check FILE [options]\n\nEvaluate FILE, run every check of the chosen format and report problems.\n"
                    + "With cfn-json or cfn-yaml, print each template's counts against CloudFormation's and IAM's limits.\n\n"
                    + runOptions)
            return .success
        case "repl":
            Terminal.writeOutput(ReplCommand.helpText)
            return .success
        case let other?:
            let suggestion = Command.names.closest(to: other).map { ": did you mean '\($0)'?" } ?? ""
            Terminal.writeError("error: no help for unknown command '\(other)'\(suggestion)\n")
            return .usageError
        }
    }

    /// Renders a usage error in the form of every other diagnostic: `error: ...`, then `help: ...`.
    static func render(_ error: UsageError, colored: Bool) -> String {
        DiagnosticRenderer(colored: colored).render(.error(error.message, hint: error.hint))
    }
}
