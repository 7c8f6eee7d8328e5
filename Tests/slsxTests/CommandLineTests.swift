import Foundation
import Testing

/// The command line as a user meets it: arguments, standard streams, exit statuses and `-o` files.
@Suite struct CommandLineTests {
    static let sample = "samples/docs/02-batch-size-starting-position.slsx"

    private func temporaryPath(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("slsx-cli-\(UUID().uuidString)-\(name)")
    }

    @Test func emitWritesYAMLToStandardOutput() throws {
        let result = try SlsxProcess.run(["emit", Self.sample])
        let golden = try String(
            contentsOf: SlsxProcess.repositoryRoot.appendingPathComponent("samples/docs/02-batch-size-starting-position.yaml"),
            encoding: .utf8)

        #expect(result.status == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput == golden)
    }

    @Test func formatYmlIsYAML() throws {
        let yml = try SlsxProcess.run(["emit", Self.sample, "--format", "yml"])
        let yaml = try SlsxProcess.run(["emit", Self.sample, "--format", "yaml"])

        #expect(yml.status == 0)
        #expect(yml.standardOutput == yaml.standardOutput)
    }

    @Test func emitReadsStandardInput() throws {
        let result = try SlsxProcess.run(["emit", "-", "--format", "json"], input: "service \"piped\"\n")

        #expect(result.status == 0)
        #expect(result.standardOutput == "{\n  \"service\": \"piped\",\n  \"provider\": {\n    \"name\": \"aws\"\n  }\n}\n")
    }

    @Test func emitPrintsToStandardError() throws {
        let result = try SlsxProcess.run(["emit", "-", "--format", "json"], input: "print(\"hello\", 1)\nservice \"printed\"\n")

        #expect(result.status == 0)
        #expect(result.standardError == "hello 1\n")
        #expect(result.standardOutput.hasPrefix("{\n  \"service\": \"printed\""))
    }

    @Test func setValuesReachOption() throws {
        let script = "service \"s-\\(option(\"stage\"))\"\n"
        let result = try SlsxProcess.run(["emit", "-", "--set", "stage=prod", "--set=region=eu-west-1"], input: script)

        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("service: s-prod\n"))
    }

    @Test func environmentNeedsAllowEnv() throws {
        let script = "service env(\"TEAM\", \"nobody\")\n"
        let denied = try SlsxProcess.run(["emit", "-"], input: script, environment: ["TEAM": "payments"])
        let allowed = try SlsxProcess.run(["emit", "-", "--allow-env", "TEAM"], input: script, environment: ["TEAM": "payments"])

        #expect(denied.standardOutput.hasPrefix("service: nobody\n"))
        #expect(allowed.standardOutput.hasPrefix("service: payments\n"))
    }

    @Test func standardInputImportsFilesOnlyWithImportRoot() throws {
        let folder = temporaryPath("modules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "let name = \"from-lib\"\n".write(to: folder.appendingPathComponent("lib.slsx"), atomically: true, encoding: .utf8)
        let script = "import \"./lib.slsx\" as lib\nservice lib.name\n"

        let denied = try SlsxProcess.run(["emit", "-"], input: script)
        let allowed = try SlsxProcess.run(["emit", "-", "--import-root", folder.path], input: script)
        let missing = try SlsxProcess.run(["emit", "-", "--import-root", folder.path + "/none"], input: script)

        #expect(denied.status == 1)
        #expect(denied.standardError == """
            <stdin>:1:8: error: file imports need an import root, and a script that is not read from a file has none
             1 | import "./lib.slsx" as lib
               |        ^^^^^^^^^^^^
            help: name the folder to import from with --import-root DIR (EvaluationOptions.importRoot when embedding)

            """)
        #expect(allowed.status == 0)
        #expect(allowed.standardOutput.hasPrefix("service: from-lib\n"))
        #expect(missing.status == 2)
        #expect(missing.standardError.hasPrefix("error: --import-root '\(folder.path)/none' is not a folder\n"))
    }

    @Test func outputFileReplacedOnSuccess() throws {
        let output = temporaryPath("out.yaml")
        try "old\n".write(to: output, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: output) }

        let result = try SlsxProcess.run(["emit", Self.sample, "-o", output.path])

        #expect(result.status == 0)
        #expect(result.standardOutput == "")
        #expect(try String(contentsOf: output, encoding: .utf8).hasPrefix("service: docs-streams\n"))
    }

    @Test func missingInputIsIOError() throws {
        let result = try SlsxProcess.run(["emit", "no/such/file.slsx"])

        #expect(result.status == 3)
        #expect(result.standardError == "error: cannot read 'no/such/file.slsx': no such file\n")
    }

    @Test func folderInputIsIOError() throws {
        let result = try SlsxProcess.run(["emit", "samples"])

        #expect(result.status == 3)
        #expect(result.standardError == "error: cannot read 'samples': it is a folder, not a script\n")
    }

    @Test func oversizedInputIsIOError() throws {
        // One byte over the bound: the file is refused before it is read.
        let script = temporaryPath("large.slsx")
        try Data(repeating: UInt8(ascii: "\n"), count: 16 * 1024 * 1024 + 1).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }

        let result = try SlsxProcess.run(["emit", script.path])

        #expect(result.status == 3)
        #expect(result.standardError == """
            error: cannot read '\(script.path)': it is larger than 16777216 bytes, the largest script slsx reads
            help: split the script into modules that it imports; each module may be that large

            """)
    }

    @Test func oversizedStandardInputIsIOError() throws {
        // Standard input is read only up to the bound, so an endless stream ends too.
        let input = String(repeating: "\n", count: 16 * 1024 * 1024 + 1)

        let result = try SlsxProcess.run(["emit", "-"], input: input)

        #expect(result.status == 3)
        #expect(result.standardError.hasPrefix(
            "error: cannot read standard input: it is larger than 16777216 bytes, the largest script slsx reads\n"))
    }

    @Test func outputOverScriptRejected() throws {
        // `-o` naming the script itself, directly or through a link, would replace the script.
        let script = temporaryPath("self.slsx")
        let link = temporaryPath("self-link.slsx")
        let text = "service \"orders\"\n"
        try text.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: script)
        defer {
            try? FileManager.default.removeItem(at: link)
            try? FileManager.default.removeItem(at: script)
        }

        for output in [script.path, link.path] {
            let result = try SlsxProcess.run(["emit", script.path, "-o", output])

            #expect(result.status == 2)
            #expect(result.standardError == """
                error: cannot write '\(output)': it is the script being read, which the output would replace
                help: choose another output file with -o

                """)
            #expect(try String(contentsOf: script, encoding: .utf8) == text)
        }
    }

    @Test func outputOverModuleRejected() throws {
        // A module is known only after the script ran; the output must still leave it as it was.
        let folder = temporaryPath("modules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let module = "let handler = \"src/h.handle\"\n"
        try module.write(to: folder.appendingPathComponent("common.slsx"), atomically: true, encoding: .utf8)
        try "import \"./common.slsx\" as c\nservice \"orders\"\nfunction \"f\" { handler: c.handler }\n"
            .write(to: folder.appendingPathComponent("main.slsx"), atomically: true, encoding: .utf8)
        let modulePath = folder.appendingPathComponent("common.slsx").resolvingSymlinksInPath().path

        let result = try SlsxProcess.run(["emit", folder.appendingPathComponent("main.slsx").path, "-o", modulePath])

        #expect(result.status == 2)
        #expect(result.standardError == """
            error: cannot write '\(modulePath)': it is the module '\(modulePath)' that the script imports, which the output would replace
            help: choose another output file with -o

            """)
        #expect(try String(contentsOfFile: modulePath, encoding: .utf8) == module)
    }

    @Test func standardInputScriptNotReplacedByOutput() throws {
        // `slsx emit - -o x.slsx < x.slsx` reads the script from the file it would replace.
        let script = temporaryPath("stdin.slsx")
        let text = "service \"orders\"\n"
        try text.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }

        let input = try FileHandle(forReadingFrom: script)
        let process = Process()
        process.executableURL = SlsxProcess.executable
        process.arguments = ["emit", "-", "-o", script.path]
        process.standardInput = input
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 2)
        #expect(message == "error: cannot write '\(script.path)': it is the script being read, which the output would replace\nhelp: choose another output file with -o\n")
        #expect(try String(contentsOf: script, encoding: .utf8) == text)
    }

    @Test func unwritableOutputIsIOError() throws {
        let result = try SlsxProcess.run(["emit", Self.sample, "-o", "/no/such/folder/out.yaml"])

        #expect(result.status == 3)
        #expect(result.standardError.hasPrefix("error: cannot write '/no/such/folder/out.yaml': "))
    }

    @Test(arguments: [
        (["frobnicate"], "error: unknown command 'frobnicate'\nhelp: run 'slsx --help' for the list of commands\n"),
        (["emti", "x"], "error: unknown command 'emti': did you mean 'emit'?\nhelp: run 'slsx --help' for the list of commands\n"),
        (["emit"], "error: missing input file\nhelp: write 'slsx emit FILE', or 'slsx emit -' to read standard input\n"),
        (["emit", "a", "b"], "error: more than one input file ('a' and 'b')\nhelp: 'slsx emit' reads one script; import the others from it\n"),
        (["emit", "a", "--format", "toml"], "error: invalid format 'toml'\nhelp: use one of: yaml, json, cfn-json, cfn-yaml\n"),
        (["emit", "a", "--fromat", "json"], "error: unknown option '--fromat': did you mean '--format'?\nhelp: run 'slsx help emit' for its options\n"),
        (["emit", "a", "--set", "stage"], "error: invalid --set 'stage'\nhelp: write --set NAME=VALUE, as in --set stage=prod\n"),
        (["emit", "a", "--set", "9x=1"], "error: invalid --set name '9x'\nhelp: a name starts with a letter or '_' and has letters, digits and '_'\n"),
        (["emit", "a", "--max-steps", "0"], "error: invalid value '0' for --max-steps\nhelp: give a whole number greater than 0\n"),
        (["emit", "a", "-o"], "error: option '-o' needs a value\n"),
        (["emit", "a", "--max-call-depth", "5001"], "error: --max-call-depth 5001 is above the ceiling of 5000\nhelp: deeper recursion would exhaust the evaluator's stack; rewrite deep recursion as a 'for' loop\n"),
        (["check", "a", "-o", "b"], "error: 'slsx check' writes no output, so it takes no -o\nhelp: use 'slsx emit FILE -o OUT' to write the output\n"),
        (["emit", "a", "--stream-resources-only"], "error: --stream-resources-only applies only to CloudFormation output\nhelp: add --format cfn-json or --format cfn-yaml\n"),
        (["emit", "a", "-o", "x.yaml", "--output", "y.yaml"], "error: --output is given more than once\nhelp: give --output once; a second value would replace the first\n"),
        (["emit", "a", "-f", "yaml", "--format=json"], "error: --format is given more than once\nhelp: give --format once; a second value would replace the first\n"),
        (["emit", "a", "-o", ""], "error: the file name after -o is empty\nhelp: name a file, such as '-o serverless.yml', or leave out -o to write to standard output\n"),
        (["emit", "a", "--allow-env", " HOME"], "error: invalid --allow-env name ' HOME'\nhelp: give environment variable names separated by commas, without spaces, as in --allow-env STAGE,TEAM\n"),
        (["emit", "a", "--allow-env", "A,B=1"], "error: invalid --allow-env name 'B=1'\nhelp: give environment variable names separated by commas, without spaces, as in --allow-env STAGE,TEAM\n"),
    ])
    func usageErrorExitsTwo(arguments: [String], message: String) throws {
        let result = try SlsxProcess.run(arguments)

        #expect(result.status == 2)
        #expect(result.standardOutput == "")
        #expect(result.standardError == message)
    }

    @Test func deviceOutputRejected() throws {
        let result = try SlsxProcess.run(["emit", Self.sample, "-o", "/dev/null"])

        #expect(result.status == 3)
        #expect(result.standardError == "error: cannot write '/dev/null': it is not a regular file (a device, FIFO or socket); leave out -o to write to standard output\n")
    }

    @Test func symbolicLinkOutputReplacesTarget() throws {
        let target = temporaryPath("target.yaml")
        let link = temporaryPath("link.yaml")
        try "old\n".write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        defer {
            try? FileManager.default.removeItem(at: link)
            try? FileManager.default.removeItem(at: target)
        }

        let result = try SlsxProcess.run(["emit", Self.sample, "-o", link.path])

        #expect(result.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try String(contentsOf: target, encoding: .utf8).hasPrefix("service: docs-streams\n"))
    }

    @Test func longOutputNameWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slsx-long-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent(String(repeating: "n", count: 250) + ".yaml")

        let result = try SlsxProcess.run(["emit", Self.sample, "-o", output.path])

        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [output.lastPathComponent])
    }

    @Test func fullStandardOutputIsIOError() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let process = Process()
        process.executableURL = SlsxProcess.executable
        process.arguments = ["emit", Self.sample]
        process.currentDirectoryURL = SlsxProcess.repositoryRoot
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 3)
        #expect(message == "error: cannot write standard output: No space left on device\n")
    }

    @Test func documentProblemShownAtTop() throws {
        let result = try SlsxProcess.run(["emit", "-"], input: "")

        #expect(result.status == 1)
        #expect(result.standardError == "<stdin>:1:1: error: the document has no `service`\n 1 | \n   | ^\nhelp: add `service: <name>`; the framework requires a service name\n")
    }

    @Test func versionPrintsVersion() throws {
        let result = try SlsxProcess.run(["--version"])

        #expect(result.status == 0)
        #expect(result.standardOutput == "slsx 0.1.0\n")
    }

    @Test func helpListsCommands() throws {
        let result = try SlsxProcess.run(["--help"])

        #expect(result.status == 0)
        #expect(result.standardOutput.contains("  slsx emit FILE [options]"))
        #expect(result.standardOutput.contains("  slsx repl"))
    }

    @Test func checkPrintsSummary() throws {
        let result = try SlsxProcess.run(["check", Self.sample])

        #expect(result.status == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput == """
            no errors: service `docs-streams`, 1 function, 1 stream event
            note: CloudFormation's limits were not checked; run `slsx check \(Self.sample) --format cfn-json` for them

            """)
    }

    @Test func checkWarnsButSucceeds() throws {
        let result = try SlsxProcess.run(["check", "samples/docs/11-consumer-created.slsx", "--format", "cfn-json"])

        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("stack     limit                    measured  maximum  used  largest in\n"))
        #expect(result.standardOutput.contains("\ntemplate  resources                       5      500    1%\n"))
        #expect(result.standardError.contains("warning: the consumer name `preprocessfooConsumer` is the same in every stage"))
        #expect(result.standardOutput.hasSuffix("\n\nno errors: service `docs-streams`, 1 function, 1 stream event\n"))
    }
}
