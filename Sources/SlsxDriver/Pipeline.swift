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
    /// With a CloudFormation format: which roles and policy layout the compiler uses.
    public var roleLayout: CloudFormationCompiler.RoleLayout = .automatic
    public var policyLayout: CloudFormationCompiler.PolicyLayout = .automatic
    /// With a CloudFormation format: emit a root template and nested stacks (`PipelineResult.files`).
    public var split = false
    /// The number of nested stacks a split must use; `nil` lets the compiler choose.
    public var stackCount: Int?
    /// The number of nested stacks of the split this one replaces (`PreviousSplit`), below which the
    /// compiler's choice does not go.
    public var previousStackCount: Int?
    /// The largest output, in UTF-8 bytes, that a run may produce (for a split, each file). A larger
    /// output is an error and nothing is written. The default, 64 MiB, is 64 times the largest
    /// template CloudFormation accepts (1 MB from S3). It still stops a script whose loops build a
    /// runaway document before that document fills the disk. A split is checked file by file, because
    /// its files together grow with the service (75 MB at 10,000 functions) while each stays near
    /// CloudFormation's own limit. The evaluator's value size limit bounds the total.
    public var maximumOutputBytes = PipelineOptions.defaultMaximumOutputBytes
    /// Whether the run leaves the compiled template and the compiler's parts allocated once the
    /// template is written, for a command that exits right after the run (`ExitRelease`). When
    /// `false`, a thread of its own frees them.
    public var keepsTemplateUntilExit = false
    /// The destination of a CloudFormation JSON template (`cfnJSON` without `split`) while it is
    /// being written, so that its first parts are on their way while the rest is still being
    /// written. The template's bytes then reach the sink instead of `PipelineResult.outputParts`,
    /// which is empty. The output of other formats stays in `outputParts` for the caller to write.
    ///
    /// The size checks run once the whole template is written, so a run can report an error
    /// after the sink has received parts of its template. A caller that sets a sink must discard
    /// what it received when the result's diagnostics contain an error. The sink receives no
    /// part past `maximumOutputBytes`.
    public var outputSink: (any OutputSink)?

    /// The default of `maximumOutputBytes`.
    public static let defaultMaximumOutputBytes = 64 * 1024 * 1024

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

/// One file of a split output, with its path relative to the output folder.
public struct OutputFile: Sendable, Equatable {
    public var path: String
    public var text: String
}

/// The result of a run: the output text when every stage succeeded, and every diagnostic.
public struct PipelineResult: Sendable {
    /// The emitted text as UTF-8 bytes, in parts to be written one after another, or `nil` when
    /// any stage reported an error. A large template is kept only in this form, so that writing it to
    /// a file needs no second copy. It has several parts when a template was written on two
    /// threads (`JSONWriter.encodeInParts`), else one, and none when the text went to
    /// `PipelineOptions.outputSink`.
    public var outputParts: [[UInt8]]?
    public var diagnostics: [Diagnostic]
    /// The decoded model, when evaluation and decoding succeeded.
    public var service: Service?
    /// A split's files, the root template first; empty without a split.
    public var files: [OutputFile] = []
    /// For CloudFormation output, each written template measured against the limits.
    public var limitReports: [LimitReport] = []
    /// The script and the modules it imported. The spans of `service` point into these files but
    /// do not keep them alive, so keep this array as long as the service's spans are used.
    public var sourceFiles: [SourceFile] = []

    init(outputBytes: [UInt8]?, diagnostics: [Diagnostic], service: Service?) {
        self.init(outputParts: outputBytes.map { [$0] }, diagnostics: diagnostics, service: service)
    }

    init(outputParts: [[UInt8]]?, diagnostics: [Diagnostic], service: Service?) {
        self.outputParts = outputParts
        self.diagnostics = diagnostics
        self.service = service
    }

    /// The emitted text as one array of UTF-8 bytes, or `nil` when any stage reported an error.
    /// Each read joins `outputParts` into a new array.
    public var outputBytes: [UInt8]? {
        get { outputParts.map { Array($0.joined()) } }
        set { outputParts = newValue.map { [$0] } }
    }

    /// The emitted text; `nil` when any stage reported an error. Each read decodes a new `String`
    /// from `outputParts`.
    public var output: String? {
        get { outputBytes.map { String(decoding: $0, as: UTF8.self) } }
        set { outputBytes = newValue.map { Array($0.utf8) } }
    }
}

/// From a script to serverless.yml, JSON or CloudFormation, one stage after another:
///
///     evaluate (SlsxLanguage) → convert the document to a Node → decode and check the Service (SlsxModel)
///     → compile CloudFormation (SlsxCloudFormation, for cfn formats) → write YAML or JSON
///
/// Each stage returns its result with diagnostics. The pipeline stops after the first stage that reports
/// an error, so a type error in the script never surfaces as a confusing error of a later stage.
public enum Pipeline {
    /// Runs every stage on `file`.
    public static func run(_ file: SourceFile, options: PipelineOptions = PipelineOptions()) -> PipelineResult {
        var evaluation = Evaluator.evaluate(file, options: options.evaluation)
        guard let document = evaluation.document, !evaluation.diagnostics.containsError else {
            return PipelineResult(outputBytes: nil, diagnostics: inSourceOrder(evaluation.diagnostics, entry: file.path), service: nil)
        }
        // The later stages make diagnostics from the document's spans, which need their files.
        let sourceFiles = evaluation.sourceFiles
        // `emit` frees the language's values once they are converted, unless another copy is alive.
        evaluation.document = nil
        var result = emit(document: consume document, options: options)

        // A problem of the document as a whole, such as a missing `service`, has no span of its own.
        // It is shown at the top of the script, where the fix usually goes.
        let top = SourceSpan(file: file, start: 0, end: 0)
        let located = result.diagnostics.map { diagnostic in
            var diagnostic = diagnostic
            if diagnostic.span == nil, diagnostic.severity == .error, result.service == nil {
                diagnostic.span = top
            }
            return diagnostic
        }
        result.diagnostics = inSourceOrder(evaluation.diagnostics + located, entry: file.path)
        result.sourceFiles = sourceFiles
        return result
    }

    /// Orders diagnostics as a reader meets them: those without a place first, then those in the
    /// `entry` script, then those in other files (imported modules) by path, each by position in
    /// its file. The sort is stable, so diagnostics at one place keep the stages' order.
    static func inSourceOrder(_ diagnostics: [Diagnostic], entry: String? = nil) -> [Diagnostic] {
        diagnostics.enumerated().sorted { left, right in
            let (a, b) = (left.element.span, right.element.span)
            switch (a, b) {
            case (nil, nil): return left.offset < right.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?):
                if a.file.path != b.file.path {
                    if a.file.path == entry { return true }
                    if b.file.path == entry { return false }
                    return a.file.path < b.file.path
                }
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
    /// Converts and decodes `document` and returns its diagnostics: the model checks alone, without
    /// compiling or writing anything, as the REPL runs them after each declaration. These include
    /// the checks of the script's own `resources` that serverless.yml output runs, once the document
    /// decodes without errors. A document nested deeper than `documentDepth` is the same error as
    /// in `Evaluator.evaluate`.
    public static func check(document: consuming Value, documentDepth: Int) -> [Diagnostic] {
        if let error = Evaluator.depthError(document, limit: documentDepth) {
            BackgroundRelease.release(consume document)
            return [error]
        }
        let (node, conversionDiagnostics, containsPlaceholderStart) = DocumentConverter.node(from: &document)
        _ = consume document
        guard !conversionDiagnostics.containsError else { return conversionDiagnostics }

        let (decoded, decodeDiagnostics) = ServiceDecoder.decode(node, containsPlaceholderStart: containsPlaceholderStart)
        var diagnostics = conversionDiagnostics + decodeDiagnostics
        if let service = decoded, !decodeDiagnostics.containsError {
            add(CloudFormationCompiler.checkScriptResources(of: service), replacingWarningsIn: &diagnostics)
        }
        return diagnostics
    }

    /// Runs the stages after evaluation on a document the language built. The caller keeps the
    /// files of the document's spans alive (`Evaluation.sourceFiles`) until it has read the
    /// diagnostics and the service. A document nested deeper than the evaluation's document depth
    /// limit is the same error as in `Evaluator.evaluate`, because the REPL builds its document
    /// without that function.
    public static func emit(document: consuming Value, options: PipelineOptions) -> PipelineResult {
        if let error = Evaluator.depthError(document, limit: options.evaluation.limits.documentDepth) {
            BackgroundRelease.release(consume document)
            return PipelineResult(outputBytes: nil, diagnostics: [error], service: nil)
        }
        let (node, conversionDiagnostics, containsPlaceholderStart) = DocumentConverter.node(from: &document)
        guard !conversionDiagnostics.containsError else {
            BackgroundRelease.release(consume document)
            return PipelineResult(outputBytes: nil, diagnostics: conversionDiagnostics, service: nil)
        }
        var result = emit(
            node: node, containsPlaceholderStart: containsPlaceholderStart, options: options,
            releasingAfterDecoding: consume document)
        result.diagnostics.insert(contentsOf: conversionDiagnostics, at: 0)
        return result
    }

    /// Runs the stages after evaluation on a document given as a node tree, such as a serverless.yml
    /// read as JSON with `JSONReader`.
    public static func emit(node: Node, options: PipelineOptions) -> PipelineResult {
        emit(node: node, containsPlaceholderStart: true, options: options, releasingAfterDecoding: nil)
    }

    /// Runs the stages after evaluation on `node`. `containsPlaceholderStart` is as in
    /// `ServiceDecoder.decode`: `false` only when no string or key of `node` contains `${`.
    /// `document`, the language's values that `node` was converted from, is released on another
    /// thread once decoding is done.
    private static func emit(
        node: Node, containsPlaceholderStart: Bool, options: PipelineOptions,
        releasingAfterDecoding document: consuming Value?
    ) -> PipelineResult {
        let (decoded, decodeDiagnostics) = ServiceDecoder.decode(node, containsPlaceholderStart: containsPlaceholderStart)
        // Decoding a long `functions` map keeps two threads busy, so a third thread that freed the
        // values meanwhile slowed it down. Released after decoding, they are freed while the
        // compiler runs.
        if let document = consume document {
            BackgroundRelease.release(consume document)
        }
        guard let service = decoded, !decodeDiagnostics.containsError else {
            return PipelineResult(outputBytes: nil, diagnostics: decodeDiagnostics, service: nil)
        }

        var diagnostics = decodeDiagnostics
        if options.split, options.format.isCloudFormation {
            var result = compileSplit(service, options: options, diagnostics: &diagnostics)
            for file in result.files {
                diagnostics += checkOutputSize(byteCount: file.text.utf8.count, limit: options.maximumOutputBytes, file: file.path)
            }
            result.diagnostics = diagnostics
            if diagnostics.containsError { result.files = [] }
            return result
        }
        var reports: [LimitReport] = []
        let output: WrittenOutput?
        switch options.format {
        case .yaml, .json:
            add(CloudFormationCompiler.checkScriptResources(of: service), replacingWarningsIn: &diagnostics)
            output = diagnostics.containsError ? nil : write(
                ServerlessDocument.node(for: service), as: options.format,
                reservingCapacity: outputReservation(options), diagnostics: &diagnostics
            ).map { WrittenOutput(parts: [$0], byteCount: $0.count) }
        case .cfnJSON, .cfnYAML:
            output = compile(service, options: options, reports: &reports, diagnostics: &diagnostics)
        }
        if let output {
            diagnostics += checkOutputSize(byteCount: output.byteCount, limit: options.maximumOutputBytes)
        }
        var result = PipelineResult(
            outputParts: diagnostics.containsError ? nil : output?.parts, diagnostics: diagnostics, service: service)
        result.limitReports = reports
        return result
    }

    // MARK: - Stages

    /// Reports an output larger than `limit` bytes. The error has no span because the size belongs
    /// to the whole document, not to one place in the script.
    /// `file` names the file of a split.
    static func checkOutputSize(byteCount: Int, limit: Int, file: String? = nil) -> [Diagnostic] {
        guard byteCount > limit else { return [] }
        let subject = file.map { "the output file \($0)" } ?? "the output"
        return [
            .error(
                "\(subject) is \(byteCount) bytes, more than the output size limit of \(limit) bytes",
                hint: "check the script for a loop that builds more of the document than intended, or raise the limit with --max-output-bytes")
        ]
    }

    private static func compilerOptions(_ options: PipelineOptions) -> CloudFormationCompiler.Options {
        var compilerOptions = CloudFormationCompiler.Options()
        compilerOptions.mode = options.streamResourcesOnly ? .streamResourcesOnly : .fullTemplate
        compilerOptions.roleLayout = options.roleLayout
        compilerOptions.policyLayout = options.policyLayout
        compilerOptions.enforcesStackLimits = options.enforcesStackLimits
        compilerOptions.keepsPartsUntilExit = options.keepsTemplateUntilExit
        return compilerOptions
    }

    /// The text of a run: the parts not yet written anywhere, and the size of the whole text,
    /// including what already went to `PipelineOptions.outputSink`.
    private struct WrittenOutput {
        var parts: [[UInt8]]
        var byteCount: Int
    }

    /// The number of runs of resources a streamed template is written in. The writer keeps a run
    /// until every run before it is delivered, so smaller runs need less memory and leave the
    /// sink less to write after the last run. Each run costs a thread hand-off, which 64 runs at
    /// 10,000 functions (about 0.9 MB each) make negligible.
    private static let streamedRunCount = 64

    private static func compile(
        _ service: Service, options: PipelineOptions, reports: inout [LimitReport], diagnostics: inout [Diagnostic]
    ) -> WrittenOutput? {
        let compiler = CloudFormationCompiler(options: compilerOptions(options))
        let (compiled, compileDiagnostics, limitReport) = compiler.compileWithLimitReport(service)
        add(compileDiagnostics, replacingWarningsIn: &diagnostics)
        guard !compileDiagnostics.containsError, let template = consume compiled else { return nil }

        var output: WrittenOutput?
        if options.format == .cfnJSON {
            // Runs of the entries of `Resources` are written on two threads, and the parts are
            // written out in order, to the sink as soon as each is ready.
            do {
                if let sink = options.outputSink {
                    let limitedSink = SizeLimitedSink(sink, limit: options.maximumOutputBytes)
                    let byteCount = try JSONWriter().writeInParts(
                        template, splitKey: "Resources", runCount: streamedRunCount,
                        reservingCapacity: outputReservation(options), to: { limitedSink.write($0) })
                    output = WrittenOutput(parts: [], byteCount: byteCount)
                } else {
                    let parts = try JSONWriter().encodeInParts(
                        template, splitKey: "Resources", reservingCapacity: outputReservation(options))
                    output = WrittenOutput(parts: parts, byteCount: parts.reduce(0) { $0 + $1.count })
                }
            } catch {
                diagnostics.append(.error("\(error)"))
            }
        } else {
            output = write(
                template, as: options.format, reservingCapacity: outputReservation(options), diagnostics: &diagnostics
            ).map { WrittenOutput(parts: [$0], byteCount: $0.count) }
        }
        if let output, !options.streamResourcesOnly {
            diagnostics += TemplateLimits.checkTemplateSize(
                byteCount: output.byteCount, overLimit: options.enforcesStackLimits ? .error : .warning)
            if let limitReport { reports.append(limitReport.addingBodySize(output.byteCount)) }
        }
        // Nothing reads the template any more. Freeing it node by node takes a while, and the
        // caller need not wait for that, nor spend it at all when the process exits next.
        if options.keepsTemplateUntilExit {
            ExitRelease.keepUntilExit(consume template)
        } else {
            BackgroundRelease.release(consume template)
        }
        return output
    }

    /// Compiles a root template and nested stacks and writes each to text: `template.<ext>` and
    /// `stacks/<StackID>.<ext>`.
    /// Appends the compiler's diagnostics. The decoder warns about problems that CloudFormation
    /// output turns into errors (a `Ref` of a queue as a failure destination, a reference to an
    /// undeclared resource). The error at the same span replaces the warning, so one problem is
    /// reported once.
    private static func add(_ compileDiagnostics: [Diagnostic], replacingWarningsIn diagnostics: inout [Diagnostic]) {
        let errorSpans = compileDiagnostics.filter { $0.severity == .error }.compactMap(\.span)
        if !errorSpans.isEmpty {
            diagnostics.removeAll { $0.severity == .warning && $0.span.map { errorSpans.contains($0) } == true }
        }
        diagnostics += compileDiagnostics
    }

    private static func compileSplit(
        _ service: Service, options: PipelineOptions, diagnostics: inout [Diagnostic]
    ) -> PipelineResult {
        let format = options.format
        let compiler = CloudFormationCompiler(options: compilerOptions(options))
        let fileExtension = format == .cfnYAML ? "yaml" : "json"
        let (output, compileDiagnostics) = compiler.compileSplit(
            service, stackCount: options.stackCount, previousStackCount: options.previousStackCount,
            fileExtension: fileExtension,
            measure: { node in
                var ignored: [Diagnostic] = []
                return write(node, as: format, diagnostics: &ignored)?.count ?? Int.max / 4
            }
        )
        add(compileDiagnostics, replacingWarningsIn: &diagnostics)
        var result = PipelineResult(outputBytes: nil, diagnostics: [], service: service)
        guard let output, !compileDiagnostics.containsError else { return result }

        let templates = [("template.\(fileExtension)", "root", output.root)]
            + output.stacks.map { ($0.path, $0.logicalID, $0.template) }
        for (path, name, template) in templates {
            guard let bytes = write(template, as: format, diagnostics: &diagnostics) else { continue }
            result.files.append(OutputFile(path: path, text: String(decoding: bytes, as: UTF8.self)))
            result.limitReports.append(
                LimitReport.measure(
                    template, bodyBytes: bytes.count, region: region(of: service), stack: name, inline: name == "root"))
        }
        return result
    }

    private static func region(of service: Service) -> String {
        service.provider.region?.value ?? "us-east-1"
    }

    /// Returns the capacity to reserve for the single output of a run: the output size limit, but
    /// at most its default of 64 MiB.
    ///
    /// A byte array that grows by doubling copies itself into a buffer twice its size, so while the
    /// last copy of a 58 MB template runs, the old and the new buffer are both resident. The large
    /// reservation is only address space on glibc, which serves an allocation this large with an
    /// `mmap` of its own. The kernel makes each page resident when the writer first reaches it, so
    /// a small output costs no more memory than before.
    private static func outputReservation(_ options: PipelineOptions) -> Int {
        min(max(options.maximumOutputBytes, 0), PipelineOptions.defaultMaximumOutputBytes)
    }

    /// Returns `node` written in `format` as UTF-8 bytes, or `nil` after adding the writer's error.
    /// `capacity` is the number of bytes the writer reserves up front.
    private static func write(
        _ node: Node, as format: OutputFormat, reservingCapacity capacity: Int = 0, diagnostics: inout [Diagnostic]
    ) -> [UInt8]? {
        do {
            switch format {
            case .yaml, .cfnYAML: return try YAMLWriter().encode(node, reservingCapacity: capacity)
            case .json, .cfnJSON: return try JSONWriter().encode(node, reservingCapacity: capacity)
            }
        } catch {
            diagnostics.append(.error("\(error)"))
            return nil
        }
    }
}
