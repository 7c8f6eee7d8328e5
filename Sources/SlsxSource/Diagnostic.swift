/// A problem found in a script, as data: what is wrong, where, and what would fix it.
///
/// Every stage (lexer, parser, evaluator, model checks, CloudFormation compiler) reports problems as
/// diagnostics and never prints. `DiagnosticRenderer` turns them into text once, in the executable or
/// the REPL.
///
/// A diagnostic keeps the files of its spans alive, because a span does not, and a diagnostic may
/// be rendered after the evaluation, session or loader that read the files is gone. The file is taken from the
/// span when the span is set, so the file must still be alive then.
public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable {
        case error
        case warning
        case note
    }

    /// A secondary message attached to a diagnostic, such as the other end of an import cycle.
    public struct Note: Sendable, Equatable {
        public var message: String
        public var span: SourceSpan? {
            didSet { spanFile = span?.file }
        }
        /// The file of `span`, kept alive for rendering.
        private var spanFile: SourceFile?

        public init(_ message: String, at span: SourceSpan? = nil) {
            self.message = message
            self.span = span
            self.spanFile = span?.file
        }

        public static func == (lhs: Note, rhs: Note) -> Bool {
            lhs.message == rhs.message && lhs.span == rhs.span
        }
    }

    public var severity: Severity
    /// The problem in one sentence, starting in lower case, without a final period.
    public var message: String
    /// The place where the problem was written, or `nil` for a problem with no place in a script, such
    /// as a missing input file.
    public var span: SourceSpan? {
        didSet { spanFile = span?.file }
    }
    /// The file of `span`, kept alive for rendering.
    private var spanFile: SourceFile?
    /// The fix, shown after the caret line as `help: ...`.
    public var hint: String?
    public var notes: [Note]

    public init(
        _ severity: Severity,
        _ message: String,
        at span: SourceSpan? = nil,
        hint: String? = nil,
        notes: [Note] = []
    ) {
        self.severity = severity
        self.message = message
        self.span = span
        self.spanFile = span?.file
        self.hint = hint
        self.notes = notes
    }

    public static func == (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        lhs.severity == rhs.severity && lhs.message == rhs.message && lhs.span == rhs.span
            && lhs.hint == rhs.hint && lhs.notes == rhs.notes
    }

    public static func error(
        _ message: String, at span: SourceSpan? = nil, hint: String? = nil, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(.error, message, at: span, hint: hint, notes: notes)
    }

    public static func warning(
        _ message: String, at span: SourceSpan? = nil, hint: String? = nil, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(.warning, message, at: span, hint: hint, notes: notes)
    }
}

extension Diagnostic.Note {
    /// Returns the note on a problem that several functions share and that is reported once:
    /// "`count` functions `reason`, so it is reported once: ", then the first five names.
    public static func reportedOnce(for functions: [String], reason: String) -> Diagnostic.Note {
        let listed = functions.prefix(5).map { "`\($0)`" }.joined(separator: ", ") + (functions.count > 5 ? ", …" : "")
        return Diagnostic.Note("\(functions.count) functions \(reason), so it is reported once: \(listed)")
    }
}

extension Diagnostic {
    /// A key that is equal for two diagnostics with the same severity, message and span, so that a
    /// problem found several times can be reported once. It is `nil` for a diagnostic without a span.
    public var repetitionKey: String? {
        span.map { "\($0.file.path)\u{0}\($0.start)\u{0}\($0.end)\u{0}\(severity)\u{0}\(message)" }
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsError: Bool { contains { $0.severity == .error } }
}
