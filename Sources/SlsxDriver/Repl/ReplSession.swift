import SlsxLanguage
import SlsxSource

/// The REPL without a terminal: lines in, text out.
///
/// A session gathers lines into entries (an entry continues while a bracket, string or block is
/// open), evaluates each complete entry in one persistent language `Session`, runs `:` commands and
/// proposes completions. An entry that fails changes nothing. It never prints: every result comes back
/// as a `ReplOutcome` for the caller to write.
public final class ReplSession {
    /// The settings of a session: input mode, colour, folders and the entries' name.
    public struct Configuration: Sendable {
        /// Options for every evaluation, such as the values `--set` gives `option()`.
        public var evaluation: EvaluationOptions
        /// Whether a person types the entries. A blank line abandons a pending entry only then;
        /// piped input may have blank lines inside an entry, as a script may.
        public var interactive: Bool
        /// Whether diagnostics get ANSI colour.
        public var coloredDiagnostics: Bool
        /// The folder that `:load`, `:save` and file completion start from.
        public var workingDirectory: String
        /// The name entries have in diagnostics, such as `<repl>` or `<stdin>`.
        public var entryPath: String

        public init(
            evaluation: EvaluationOptions = EvaluationOptions(),
            interactive: Bool,
            coloredDiagnostics: Bool = false,
            workingDirectory: String,
            entryPath: String
        ) {
            self.evaluation = evaluation
            self.interactive = interactive
            self.coloredDiagnostics = coloredDiagnostics
            self.workingDirectory = workingDirectory
            self.entryPath = entryPath
        }
    }

    let configuration: Configuration
    let language: Session
    let renderer: DiagnosticRenderer

    /// The lines of the entry being typed, as UTF-8 bytes that may be invalid. Empty on a primary
    /// prompt.
    private var pendingLines: [[UInt8]] = []
    /// Counts the pending entry's brackets, so a long entry is not lexed again for every line.
    private var scanner = ContinuationScanner()
    /// The input line on which the pending entry started.
    private var pendingFirstLine = 1
    /// The number of the next input line, counting from 1 over the whole session.
    private var nextInputLine = 1
    /// The text of every accepted entry that `:save` writes, in order.
    var savedEntries: [String] = []
    var lineMap = EntryLineMap()

    /// Whether any entry or command has failed; piped sessions then exit with status 1.
    public internal(set) var hasFailedEntry = false
    /// The model problems already printed after a declaration, so that each is printed once.
    var reportedModelProblems: Set<String> = []

    /// Whether an entry is pending, so the next line continues it.
    public var isContinuing: Bool { !pendingLines.isEmpty }

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.language = Session(options: configuration.evaluation)
        self.renderer = DiagnosticRenderer(colored: configuration.coloredDiagnostics)
    }

    // MARK: - Lines and entries

    /// Takes one line of input. Returns nil while the entry continues, otherwise what the entry or
    /// command produced.
    public func submit(line: String) -> ReplOutcome? {
        submit(line: Array(line.utf8))
    }

    /// Takes one line of input as UTF-8 bytes, which may be invalid: the lexer reports an invalid
    /// byte at its position, as `slsx emit` does for a file.
    public func submit(line: [UInt8]) -> ReplOutcome? {
        LargeStackThread.run { self.submitOnLargeStack(line: line) }
    }

    private func submitOnLargeStack(line: [UInt8]) -> ReplOutcome? {
        let firstLine = nextInputLine
        nextInputLine += 1 + line.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        // Invalid bytes decode to U+FFFD, which is not whitespace and not ":".
        let text = String(decoding: line, as: UTF8.self)
        let isBlank = text.allSatisfy(\.isWhitespace)

        if pendingLines.isEmpty {
            if isBlank {
                return nil
            }
            let trimmed = text.drop(while: \.isWhitespace)
            if trimmed.hasPrefix(":") {
                var outcome = runCommand(line, firstLine: firstLine)
                outcome.historyEntry = text
                return outcome
            }
            pendingFirstLine = firstLine
        } else if isBlank, configuration.interactive {
            // A blank line abandons the pending entry and, like Ctrl-C, leaves no history item.
            clearPendingEntry()
            return ReplOutcome()
        }

        pendingLines.append(line)
        scanner.scan(line)
        if scanner.isCertainlyOpen {
            return nil
        }
        let entry = pendingEntry
        guard Session.isComplete(entry) else { return nil }

        clearPendingEntry()
        var outcome = evaluate(entry, path: configuration.entryPath, firstLine: pendingFirstLine)
        outcome.historyEntry = String(decoding: entry, as: UTF8.self)
        return outcome
    }

    /// Drops the pending entry (Ctrl-C).
    public func abandonEntry() {
        clearPendingEntry()
    }

    /// Drops the pending entry because its last line was longer than `maximumBytes`, and
    /// returns the error for it. The line itself is not shown, because it may be megabytes long.
    public func rejectLongLine(maximumBytes: Int) -> ReplOutcome {
        clearPendingEntry()
        return failure(
            "the input line is longer than \(maximumBytes) bytes, the longest line the REPL reads, so the entry was dropped",
            hint: "put a long value in a file and import it, or :load the file")
    }

    /// The pending lines joined with line breaks.
    private var pendingEntry: [UInt8] {
        Array(pendingLines.joined(separator: [UInt8(ascii: "\n")]))
    }

    private func clearPendingEntry() {
        pendingLines.removeAll()
        scanner = ContinuationScanner()
    }

    /// Ends the input. On piped input a pending entry is evaluated, so that an unclosed bracket is
    /// reported as in a script. On a terminal it is dropped.
    public func finishInput() -> ReplOutcome? {
        guard !pendingLines.isEmpty else { return nil }
        let entry = pendingEntry
        clearPendingEntry()
        guard !configuration.interactive else { return nil }
        let firstLine = pendingFirstLine
        return LargeStackThread.run { self.evaluate(entry, path: self.configuration.entryPath, firstLine: firstLine) }
    }

    /// Drops every binding and declaration on a thread with a large stack, so that releasing deeply
    /// nested values cannot overflow the caller's stack. The loop calls it when the REPL ends.
    public func close() {
        LargeStackThread.run { self.language.reset() }
    }

    /// Evaluates one complete entry, given as UTF-8 bytes that may be invalid, and describes the
    /// result: printed text, the value of an expression, a summary of each declaration, or the
    /// diagnostics of a failed entry.
    func evaluate(_ text: [UInt8], path: String, firstLine: Int) -> ReplOutcome {
        let file = SourceFile(path: path, bytes: text)
        lineMap.register(file, firstLine: firstLine)
        let result = language.evaluate(file)

        var outcome = ReplOutcome()
        outcome.output = result.printed.map { $0 + "\n" }.joined()
        outcome.errors = lineMap.render(result.diagnostics, with: renderer)

        if result.diagnostics.contains(where: { $0.severity == .error }) {
            hasFailedEntry = true
            lineMap.unregister(file)
            return outcome
        }
        if !ReplSession.isLoneMap(file) || !result.declarations.isEmpty {
            // The lexer rejects invalid UTF-8, so an accepted entry decodes without loss.
            savedEntries.append(String(decoding: text, as: UTF8.self))
        }
        if let value = result.value, !isNull(value) {
            outcome.output += ValueFormatter.format(value) + "\n"
        }
        for declaration in result.declarations {
            outcome.output += ReplSession.summary(of: declaration) + "\n"
        }
        if !result.declarations.isEmpty {
            let problems = newModelProblems()
            outcome.errors += lineMap.render(problems, with: renderer)
            if problems.containsError { hasFailedEntry = true }
        }
        return outcome
    }

    /// Checks the document against the serverless.yml model after a declaration and returns the
    /// problems not printed before, in source order, so that a bad stream setting shows up when it
    /// is typed rather than at the next `:yaml`. The entry stays accepted: the value is valid in the
    /// language. Problems of the document as a whole, such as a missing `service`, have no span
    /// and wait for `:yaml`, because a session usually declares the service later.
    private func newModelProblems() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for diagnostic in Pipeline.check(document: language.document, documentDepth: configuration.evaluation.limits.documentDepth) {
            guard let key = diagnostic.repetitionKey else { continue }
            if reportedModelProblems.insert(key).inserted { problems.append(diagnostic) }
        }
        return Pipeline.inSourceOrder(problems)
    }

    /// Returns whether an entry is a single map expression. `:save` leaves such entries out, because a
    /// script whose only statement is a map evaluates to that map as its document.
    static func isLoneMap(_ file: SourceFile) -> Bool {
        let statements = Parser.parse(file).script.statements
        guard statements.count == 1, case .expression(let expression) = statements[0].kind else { return false }
        switch expression.kind {
        case .map, .mapComprehension: return true
        default: return false
        }
    }

    private func isNull(_ value: Value) -> Bool {
        if case .null = value.kind { return true }
        return false
    }

    // MARK: - Completion

    /// Returns the completions for the word before the cursor, given the lines of the pending entry.
    public func completions(for request: CompletionRequest) -> [String] {
        let bindings = language.bindings
        let completer = ReplCompleter(
            keywords: Session.keywords,
            builtinNames: Session.builtinNames,
            boundNames: bindings.map(\.name),
            members: { path in ReplSession.memberNames(of: path, in: bindings) },
            workingDirectory: configuration.workingDirectory
        )
        return completer.candidates(for: request, pendingText: String(decoding: pendingEntry, as: UTF8.self))
    }

    /// Returns the keys of the map that a dotted path of bindings and keys names.
    private static func memberNames(of path: [String], in bindings: [(name: String, value: Value)]) -> [String]? {
        guard let first = path.first, var value = bindings.last(where: { $0.name == first })?.value else {
            return nil
        }
        for key in path.dropFirst() {
            guard case .map(let map) = value.kind, let member = map[key] else { return nil }
            value = member
        }
        guard case .map(let map) = value.kind else { return nil }
        return map.keys
    }
}
