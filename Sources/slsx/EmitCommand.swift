import Foundation
import SlsxCloudFormation
import SlsxDriver
import SlsxLanguage
import SlsxModel
import SlsxSource

/// `slsx emit` and `slsx check`: evaluate one script, report its diagnostics, and write its output.
struct EmitCommand {
    var options: RunOptions
    /// `check` runs every stage and writes nothing.
    var checkOnly: Bool

    func run() -> ExitCode {
        if options.showHelp {
            return Usage.printHelp(topic: checkOnly ? "check" : "emit")
        }
        let renderer = DiagnosticRenderer(colored: Terminal.colorsStandardError(options.color))

        let source: SourceFile
        switch readInput() {
        case .success(let file): source = file
        case .failure(let error):
            Terminal.writeError(renderer.render(.error(error.message, hint: error.hint)))
            return .ioError
        }

        // The file the output would replace or write into, when it goes to one, and the script's.
        let outputIdentity = checkOnly || options.splitFolder != nil ? nil : outputFileIdentity()
        let inputIdentity = options.inputPath.map { $0 == "-" ? FileIdentity(descriptor: STDIN_FILENO) : FileIdentity(path: $0) } ?? nil
        if let outputIdentity, outputIdentity == inputIdentity {
            Terminal.writeError(renderer.render(overwriteError(of: "the script being read")))
            return .usageError
        }

        // A large template goes to the output file, or to a regular file on standard output,
        // while it is being written.
        var outputFile: AtomicOutputFile?
        var standardOutputFile: StandardOutputFile?
        if !checkOnly, options.splitFolder == nil {
            if let path = options.outputPath, path != "-" {
                outputFile = AtomicOutputFile(path: path)
            } else if options.format == .cfnJSON {
                standardOutputFile = StandardOutputFile.open()
            }
        }
        var pipelineOptions = pipelineOptions()
        pipelineOptions.outputSink = outputFile ?? standardOutputFile
        let result = Pipeline.run(source, options: pipelineOptions)
        // The process exits after this command, and the system reclaims the model's memory then,
        // with no need to free it node by node.
        defer { ExitRelease.keepUntilExit(result) }
        Terminal.writeError(renderer.render(result.diagnostics))
        // A module is known only once the script has imported it, and by then part of the output
        // may be written. It is dropped or cut back, as for any failed run.
        if let outputIdentity, let module = result.sourceFiles.dropFirst().first(where: { FileIdentity(path: $0.path) == outputIdentity }) {
            Terminal.writeError(renderer.render(overwriteError(of: "the module '\(module.path)' that the script imports")))
            outputFile?.discard()
            return discard(standardOutputFile, renderer: renderer) ?? .usageError
        }
        guard !result.diagnostics.containsError, result.outputParts != nil || !result.files.isEmpty else {
            outputFile?.discard()
            return discard(standardOutputFile, renderer: renderer) ?? .scriptError
        }
        if checkOnly {
            if !result.limitReports.isEmpty {
                Terminal.writeOutput(LimitReport.table(result.limitReports) + "\n")
            }
            Terminal.writeOutput(checkSummary(result.service))
            return .success
        }
        if let folder = options.splitFolder {
            do {
                try AtomicFolderWriter.write(result.files.map { ($0.path, $0.text) }, to: folder)
            } catch {
                Terminal.writeError(renderer.render(.error("\(error)")))
                return .ioError
            }
            return .success
        }
        // The bytes go to the file or standard output as they are, part after part, without a
        // `String` copy and without joining the parts.
        guard let output = result.outputParts else {
            outputFile?.discard()
            return discard(standardOutputFile, renderer: renderer) ?? .scriptError
        }

        guard let outputFile else {
            if let standardOutputFile {
                for part in output { standardOutputFile.write(part) }
                guard let failure = standardOutputFile.writeFailure else {
                    standardOutputFile.commit()
                    return .success
                }
                Terminal.writeError(renderer.render(.error("cannot write standard output: \(String(cString: strerror(failure)))")))
                return discard(standardOutputFile, renderer: renderer) ?? .ioError
            }
            if let failure = Terminal.writeOutput(output) {
                // A reader that went away (`slsx emit x | head`) needs no message, only the status.
                if failure != EPIPE {
                    Terminal.writeError(renderer.render(.error("cannot write standard output: \(String(cString: strerror(failure)))")))
                }
                return .ioError
            }
            return .success
        }
        do {
            try outputFile.commit(writing: output)
        } catch {
            let hint = error.isSpecialFile ? "; leave out -o to write to standard output" : ""
            Terminal.writeError(renderer.render(.error("\(error)\(hint)")))
            return .ioError
        }
        return .success
    }

    /// Cuts standard output back to its size before the run. Returns `nil` when that worked or
    /// nothing was written, and otherwise reports the error and returns the I/O error status.
    private func discard(_ standardOutputFile: StandardOutputFile?, renderer: DiagnosticRenderer) -> ExitCode? {
        guard let failure = standardOutputFile?.discard() else { return nil }
        Terminal.writeError(renderer.render(.error(
            "cannot remove the partial output from standard output: \(String(cString: strerror(failure)))",
            hint: "the file keeps part of the template after its earlier content; remove that part by hand")))
        return .ioError
    }

    /// Returns the file the output goes to, when it exists and is a regular file: the `-o` file,
    /// or the file on standard output without `-o`.
    private func outputFileIdentity() -> FileIdentity? {
        if let path = options.outputPath, path != "-" {
            return FileIdentity(path: path)
        }
        return FileIdentity(descriptor: STDOUT_FILENO)
    }

    /// Returns the error for output that would replace or write into `source`, a script or module.
    private func overwriteError(of source: String) -> Diagnostic {
        if let path = options.outputPath, path != "-" {
            return .error(
                "cannot write '\(path)': it is \(source), which the output would replace",
                hint: "choose another output file with -o")
        }
        return .error(
            "standard output is \(source), so the output would be written into it",
            hint: "send standard output to another file, or name one with -o")
    }

    /// Returns the line `check` prints when it found no error, so that a success is not mistaken
    /// for a command that did nothing. With serverless.yml or JSON output the CloudFormation limits
    /// are not checked, and a second line points that out.
    private func checkSummary(_ service: Service?) -> String {
        let functions = service?.functions.count ?? 0
        let events = service?.functions.reduce(0) { $0 + $1.streamEvents.count } ?? 0
        let name = service?.name.map { "service `\($0.value)`" } ?? "the service"
        var summary = "no errors: \(name), \(functions) \(functions == 1 ? "function" : "functions"), "
            + "\(events) stream \(events == 1 ? "event" : "events")\n"
        if !options.format.isCloudFormation {
            let input = options.inputPath ?? "-"
            summary += "note: CloudFormation's limits were not checked; run `slsx check \(input) --format cfn-json` for them\n"
        }
        return summary
    }

    private func pipelineOptions() -> PipelineOptions {
        var evaluation = EvaluationOptions()
        evaluation.importRoot = options.importRoot
        // Standard output may carry the document, so lines from print() go to standard error.
        evaluation.output = { line in Terminal.writeError(line + "\n") }
        // The environment reaches a script only through the variables the user names, read with env().
        for name in options.allowedEnvironmentNames {
            if let value = ProcessInfo.processInfo.environment[name] {
                evaluation.environment[name] = value
            }
        }
        for (name, value) in options.settings {
            evaluation.options[name] = value
        }
        if let steps = options.maximumSteps {
            evaluation.limits.steps = steps
        }
        if let depth = options.maximumCallDepth {
            evaluation.limits.callDepth = depth
        }
        var pipeline = PipelineOptions(
            format: options.format, evaluation: evaluation, streamResourcesOnly: options.streamResourcesOnly,
            enforcesStackLimits: options.enforcesStackLimits)
        pipeline.split = options.splitFolder != nil
        pipeline.stackCount = options.stackCount
        if let folder = options.splitFolder {
            pipeline.previousStackCount = PreviousSplit.stackCount(in: folder)
        }
        pipeline.roleLayout = options.roleLayout
        pipeline.policyLayout = options.policyLayout
        pipeline.keepsTemplateUntilExit = true
        if let bytes = options.maximumOutputBytes {
            pipeline.maximumOutputBytes = bytes
        }
        return pipeline
    }

    /// Reads the script named on the command line, or standard input for `-`, up to
    /// `BoundedFileReader.maximumBytes`.
    private func readInput() -> Result<SourceFile, InputError> {
        let path = options.inputPath ?? "-"
        if path == "-" {
            return BoundedFileReader.read(descriptor: STDIN_FILENO)
                .map { SourceFile(path: "<stdin>", bytes: $0) }
                .mapError { InputError(reading: "standard input", $0) }
        }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(InputError("cannot read '\(path)': no such file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(InputError("cannot read '\(path)': it is a folder, not a script"))
        }
        return BoundedFileReader.read(path: path)
            .map { SourceFile(path: path, bytes: $0) }
            .mapError { InputError(reading: "'\(path)'", $0) }
    }
}

/// A script that could not be read, with the message to show.
struct InputError: Error {
    var message: String
    var hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    /// Creates the error for a failed read of `input`, a quoted path or "standard input".
    init(reading input: String, _ failure: BoundedFileReader.Failure) {
        switch failure {
        case .tooLarge(let maximumBytes):
            let error = BoundedFileReader.tooLargeScriptError(reading: input, maximumBytes: maximumBytes)
            self.init(error.message, hint: error.hint)
        case .system(let code):
            self.init("cannot read \(input): \(String(cString: strerror(code)))")
        }
    }
}
