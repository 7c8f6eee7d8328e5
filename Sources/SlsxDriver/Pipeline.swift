import SlsxCloudFormation
import SlsxLanguage
import SlsxModel
import SlsxSource

/// The options of one run from a script to its output.
public struct PipelineOptions: Sendable {
    public var format: OutputFormat
    public var evaluation: EvaluationOptions
    /// With a CloudFormation format: only the resources and IAM statements the stream events add.
    public var streamResourcesOnly: Bool
    /// With a CloudFormation format: whether a template over CloudFormation's per-stack quotas
    /// (500 resources, 200 outputs, 1,000,000 bytes) is an error. When `false` it is a warning and
    /// the template is still written, for benchmarks and for templates that another tool splits.
    public var enforcesStackLimits: Bool

    public init(
        format: OutputFormat = .yaml,
        evaluation: EvaluationOptions = EvaluationOptions(),
        streamResourcesOnly: Bool = false,
        enforcesStackLimits: Bool = true
    ) {
        self.format = format
        self.evaluation = evaluation
        self.streamResourcesOnly = streamResourcesOnly
        self.enforcesStackLimits = enforcesStackLimits
    }
}

/// What a run produced: the output text when every stage succeeded, and every diagnostic in the order
/// the stages reported them.
public struct PipelineResult: Sendable {
    /// The emitted text; `nil` when any stage reported an error.
    public var output: String?
    public var diagnostics: [Diagnostic]
    /// The decoded model, when evaluation and decoding succeeded.
    public var service: Service?
}

/// From a script to serverless.yml, JSON or CloudFormation, one stage after another:
///
///     evaluate (SlsxLanguage) → convert the document to a Node → decode and check the Service (SlsxModel)
///     → compile CloudFormation (SlsxCloudFormation, for cfn formats) → write YAML or JSON
///
/// Each stage returns its result with diagnostics; the pipeline stops after the first stage that reports
/// an error, so a type error in the script never surfaces as a confusing error of a later stage.
public enum Pipeline {
    /// Runs every stage on `file`.
    public static func run(_ file: SourceFile, options: PipelineOptions = PipelineOptions()) -> PipelineResult {
        let evaluation = Evaluator.evaluate(file, options: options.evaluation)
        guard let document = evaluation.document, !evaluation.diagnostics.containsError else {
            return PipelineResult(output: nil, diagnostics: inSourceOrder(evaluation.diagnostics), service: nil)
        }
        var result = emit(document: document, options: options)

        // A problem of the document as a whole, such as a missing `service`, has no span of its own;
        // it is shown at the top of the script, where the fix usually goes.
        let top = SourceSpan(file: file, start: 0, end: 0)
        let located = result.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            if diagnostic.span == nil, diagnostic.severity == .error, result.service == nil {
                diagnostic.span = top
            }
            return diagnostic
        }
        result.diagnostics = inSourceOrder(evaluation.diagnostics + located)
        return result
    }

    /// Orders diagnostics as a reader meets them: those without a place first, then by file and by
    /// position in the file. The sort is stable, so diagnostics at one place keep the stages' order.
    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { left, right in
            let (a, b) = (left.element.span, right.element.span)
            switch (a, b) {
            case (nil, nil): return left.offset < right.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?):
                if a.file.path != b.file.path { return a.file.path < b.file.path }
                if a.start != b.start { return a.start < b.start }
                return left.offset < right.offset
            }
        }.map(\.element)
    }

    /// Runs every stage on script text, as an embedding program would: `path` only names the script in
    /// diagnostics and anchors relative imports.
    public static func run(text: String, path: String = "<string>", options: PipelineOptions = PipelineOptions()) -> PipelineResult {
        run(SourceFile(path: path, text: text), options: options)
    }

    /// Runs the stages after evaluation on a document the language built, for the REPL.
    public static func emit(document: Value, options: PipelineOptions) -> PipelineResult {
        let (node, conversionDiagnostics) = DocumentConverter.node(from: document)
        guard !conversionDiagnostics.containsError else {
            return PipelineResult(output: nil, diagnostics: conversionDiagnostics, service: nil)
        }
        let (decoded, decodeDiagnostics) = ServiceDecoder.decode(node)
        guard let service = decoded, !decodeDiagnostics.containsError else {
            return PipelineResult(output: nil, diagnostics: conversionDiagnostics + decodeDiagnostics, service: nil)
        }

        var diagnostics = conversionDiagnostics + decodeDiagnostics
        let output: String?
        switch options.format {
        case .yaml, .json:
            output = write(ServerlessDocument.node(for: service), as: options.format, diagnostics: &diagnostics)
        case .cfnJSON, .cfnYAML:
            output = compile(service, options: options, diagnostics: &diagnostics)
        }
        return PipelineResult(output: diagnostics.containsError ? nil : output, diagnostics: diagnostics, service: service)
    }

    // MARK: - Stages

    private static func compile(_ service: Service, options: PipelineOptions, diagnostics: inout [Diagnostic]) -> String? {
        var compilerOptions = CloudFormationCompiler.Options()
        compilerOptions.mode = options.streamResourcesOnly ? .streamResourcesOnly : .fullTemplate
        compilerOptions.enforcesStackLimits = options.enforcesStackLimits
        let (template, compileDiagnostics) = CloudFormationCompiler(options: compilerOptions).compile(service)
        // The decoder warns about problems that CloudFormation output turns into errors (a `Ref` of a
        // queue as a failure destination, a reference to an undeclared resource). The error at the
        // same span replaces the warning, so one problem is reported once.
        let errorSpans = compileDiagnostics.filter { $0.severity == .error }.compactMap(\.span)
        diagnostics.removeAll { $0.severity == .warning && $0.span.map { errorSpans.contains($0) } == true }
        diagnostics += compileDiagnostics
        guard let template, !compileDiagnostics.containsError else { return nil }

        let text = write(template, as: options.format, diagnostics: &diagnostics)
        if let text, options.format == .cfnJSON || options.format == .cfnYAML, !options.streamResourcesOnly {
            diagnostics += TemplateLimits.checkTemplateSize(
                byteCount: text.utf8.count, overLimit: options.enforcesStackLimits ? .error : .warning)
        }
        return text
    }

    private static func write(_ node: Node, as format: OutputFormat, diagnostics: inout [Diagnostic]) -> String? {
        do {
            switch format {
            case .yaml, .cfnYAML: return try YAMLWriter().write(node)
            case .json, .cfnJSON: return try JSONWriter().write(node)
            }
        } catch {
            diagnostics.append(.error("\(error)"))
            return nil
        }
    }
}
