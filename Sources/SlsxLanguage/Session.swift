import SlsxSource

/// The outcome of one REPL entry.
public struct EntryResult: Sendable {
    /// The value of the entry when its last statement is an expression.
    public var value: Value?
    /// The top-level declarations the entry ran, such as a function with its stream events.
    public var declarations: [DeclarationSummary]
    public var diagnostics: [Diagnostic]
    /// The lines `print()` wrote, in order.
    public var printed: [String]

    public init(value: Value?, declarations: [DeclarationSummary], diagnostics: [Diagnostic], printed: [String]) {
        self.value = value
        self.declarations = declarations
        self.diagnostics = diagnostics
        self.printed = printed
    }
}

/// A persistent evaluation session for the REPL.
///
/// Entries share one top-level scope and one document. Each entry is all or nothing: when it
/// fails, the bindings, functions and document are as they were before it. Redefining a name with
/// `let` replaces the earlier binding. A session is used from one thread at a time.
public final class Session {
    /// The interpreter and the top-level scope, which together hold every value of the session.
    private final class State {
        let interpreter: Interpreter
        let scope: Environment
        /// Every entry that ran, kept alive for the spans of the values and functions it defined.
        /// An entry that failed is kept too, because it may have filled the module cache.
        var entryFiles: [SourceFile] = []

        init(options: EvaluationOptions, importRoot: String?) {
            // An entry runs on one thread, so that the REPL's scopes never cross threads.
            var options = options
            options.parallelLoops = false
            interpreter = Interpreter(options: options, importRoot: importRoot)
            interpreter.recordsDeclarations = true
            scope = Environment.make(parent: interpreter.globals)
        }
    }

    private let options: EvaluationOptions
    private var state: State?

    private var interpreter: Interpreter { currentState.interpreter }
    private var scope: Environment { currentState.scope }

    private var currentState: State {
        if let state { return state }
        let fresh = State(options: options, importRoot: options.importRoot ?? Evaluator.importRoot(for: SourceFile(path: "<repl>", text: ""), options: options))
        state = fresh
        return fresh
    }

    public init(options: EvaluationOptions) {
        self.options = options
    }

    deinit {
        Session.releaseOnLargeStack(ReleaseBox(taking: &state))
    }

    /// Releases a session's values on the large stack: releasing a list nested 100000 levels
    /// deep recurses once per level, which would overflow an ordinary thread's stack. The box
    /// must hold the only reference to the state.
    private static func releaseOnLargeStack(_ box: ReleaseBox<State>) {
        if case .failure = LargeStack.run({ box.empty() }) {
            // NOTE: with no large stack the values are released here. That overflows the stack
            // only for values nested tens of thousands of levels deep, which evaluation could not
            // have built, because it needs the same kind of thread.
            box.empty()
        }
    }

    /// Parses and runs one entry.
    public func evaluate(_ entry: SourceFile) -> EntryResult {
        let session = UncheckedReference(object: self)
        switch LargeStack.run({ session.object.run(entry) }) {
        case .success(let result):
            return result
        case .failure(let error):
            return EntryResult(value: nil, declarations: [], diagnostics: [Evaluator.threadFailure(error)], printed: [])
        }
    }

    private func run(_ entry: SourceFile) -> EntryResult {
        let parsed = Parser.parse(entry, maximumDepth: options.limits.parserDepth)
        if parsed.diagnostics.containsError {
            return EntryResult(value: nil, declarations: [], diagnostics: parsed.diagnostics, printed: [])
        }
        currentState.entryFiles.append(entry)
        let savedScope = scope.snapshot()
        let savedDocument = interpreter.document.copy()
        let script: Block
        do {
            script = try Resolver.resolve(parsed.script, topLevel: scope.layout, globals: interpreter.globals.layout, isSession: true)
        } catch {
            let diagnostics = (error as? EvaluationError)?.diagnostics ?? [.error("internal error: \(error) (this is a bug in slsx)")]
            return EntryResult(value: nil, declarations: [], diagnostics: diagnostics, printed: [])
        }
        scope.extend(to: script.layout ?? scope.layout)
        interpreter.declarations = []
        interpreter.printed = []
        interpreter.steps = 0
        interpreter.markStackBase()
        do {
            let value = try interpreter.runTopLevel(script, in: scope, loneMapIsDocument: false)
            return EntryResult(value: value, declarations: interpreter.declarations, diagnostics: parsed.diagnostics, printed: interpreter.printed)
        } catch {
            scope.restore(savedScope)
            interpreter.document = savedDocument
            let diagnostics = (error as? EvaluationError)?.diagnostics
                ?? [.error("internal error: \(error) (this is a bug in slsx)")]
            return EntryResult(value: nil, declarations: [], diagnostics: diagnostics, printed: interpreter.printed)
        }
    }

    /// The document built so far.
    public var document: Value {
        Value(.map(interpreter.document.body.map))
    }

    /// The top-level names in scope, in the order they were first defined.
    public var bindings: [(name: String, value: Value)] {
        scope.bindings()
    }

    /// Forgets every binding, the document and the loaded modules.
    public func reset() {
        Session.releaseOnLargeStack(ReleaseBox(taking: &state))
    }

    /// Returns whether `text` is a complete entry, for continuation prompts. Text is incomplete
    /// while a bracket, brace, parenthesis, triple-quoted string, interpolation or block comment is
    /// open, or while it ends with a binary operator, `=`, `,`, `.`, `:` or `else`. An unbalanced
    /// closer or an unterminated one-line string counts as complete. The parser then reports it,
    /// so the REPL does not wait for lines that cannot fix it.
    public static func isComplete(_ text: String) -> Bool {
        isComplete(Array(text.utf8))
    }

    /// Returns whether the UTF-8 bytes `text` are a complete entry, as `isComplete(_:)` decides for
    /// a string. Invalid UTF-8 does not keep an entry open.
    public static func isComplete(_ text: [UInt8]) -> Bool {
        let tokens = Lexer.tokenize(SourceFile(path: "<repl>", bytes: text))
        var depth = 0
        var last: TokenKind?
        for token in tokens {
            switch token.kind {
            case .leftParen, .leftBracket, .leftBrace:
                depth += 1
            case .rightParen, .rightBracket, .rightBrace:
                if depth == 0 { return true }
                depth -= 1
            case .error(let message):
                if message.hasPrefix("unterminated block comment") || message.hasPrefix("unterminated interpolation")
                    || (message.hasPrefix("unterminated string") && message.contains("\"\"\"")) {
                    return false
                }
            case .endOfFile:
                continue
            default:
                break
            }
            last = token.kind
        }
        if depth > 0 { return false }
        let continuing: [TokenKind] = [
            .equal, .plusEqual, .minusEqual, .plus, .minus, .star, .slash, .percent, .equalEqual, .bangEqual,
            .less, .lessEqual, .greater, .greaterEqual, .ampersandAmpersand, .pipePipe, .questionQuestion,
            .halfOpenRange, .closedRange, .dot, .questionDot, .comma, .colon, .keyword(.else),
        ]
        return !(last.map(continuing.contains) ?? false)
    }

    /// The reserved words and the declaration words, for completion and highlighting.
    public static var keywords: [String] {
        Keyword.allCases.map(\.rawValue) + ["service", "provider", "function", "resources", "stream", "event"]
    }

    /// The names of the built-in functions and of `AWS`, in table order.
    public static var builtinNames: [String] {
        Builtins.table.map(\.name) + ["AWS"]
    }

    /// One line per built-in: `name(parameters)  summary`, for the REPL's help.
    public static var builtinSummaries: [String] {
        Builtins.table.map { builtin in
            let parameters = builtin.parameters.map { $0.isVariadic ? "\($0.name)..." : $0.name }
            return "\(builtin.name)(\(parameters.joined(separator: ", ")))  \(builtin.summary)"
        }
    }
}

/// Holds the last reference to a session's state until the large-stack thread empties it.
private final class ReleaseBox<T: AnyObject>: @unchecked Sendable {
    private var object: T?

    /// Moves the reference out of `slot`, leaving it `nil`.
    init(taking slot: inout T?) {
        object = slot
        slot = nil
    }

    func empty() {
        object = nil
    }
}
