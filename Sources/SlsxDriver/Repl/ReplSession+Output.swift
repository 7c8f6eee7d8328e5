import SlsxLanguage
import SlsxSource

// MARK: - Output commands

extension ReplSession {

    func emit(_ format: OutputFormat) -> ReplOutcome {
        let result = Pipeline.emit(document: language.document, options: PipelineOptions(format: format, evaluation: configuration.evaluation))
        return outcome(of: result) { output in output }
    }

    func emitCloudFormation(_ argument: String) -> ReplOutcome {
        argument == "json" ? emit(.cfnJSON) : emit(.cfnYAML)
    }

    func describeModel() -> ReplOutcome {
        let result = Pipeline.emit(document: language.document, options: PipelineOptions(format: .yaml, evaluation: configuration.evaluation))
        guard let service = result.service else {
            return outcome(of: result) { _ in "" }
        }
        var described = outcome(of: result) { _ in "" }
        described.output = ModelDescription.describe(service)
        return described
    }

    /// Turns a pipeline result into an outcome: `text` of the output on success, the rendered
    /// diagnostics (warnings too) on standard error.
    private func outcome(of result: PipelineResult, text: (String) -> String) -> ReplOutcome {
        var outcome = ReplOutcome(errors: lineMap.render(Pipeline.inSourceOrder(result.diagnostics), with: renderer))
        if let output = result.output, !result.diagnostics.contains(where: { $0.severity == .error }) {
            outcome.output = text(output)
            if !outcome.output.isEmpty, !outcome.output.hasSuffix("\n") {
                outcome.output += "\n"
            }
        } else {
            hasFailedEntry = true
        }
        return outcome
    }

    /// Writes the accepted entries as a script that `slsx emit` turns into the session's output.
    func save(_ path: String) -> ReplOutcome {
        var script = "// Saved from the slsx REPL: the entries it accepted, in order.\n"
        for entry in savedEntries {
            script += "\n" + entry + "\n"
        }
        do {
            try AtomicFileWriter.write(script, to: resolvedPath(path))
        } catch {
            let hint = error.isSpecialFile ? "; name a regular file, such as :save session.slsx" : ""
            return failure("cannot write '\(path)': \(error.reason)\(hint)")
        }
        let count = savedEntries.count
        return ReplOutcome(output: "saved \(count) \(count == 1 ? "entry" : "entries") to \(path)\n")
    }
}
