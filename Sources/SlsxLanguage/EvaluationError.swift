import SlsxSource

/// A located error that stops evaluation, with any further diagnostics that belong to it (such
/// as the other syntax errors of an imported module).
struct EvaluationError: Error {
    var diagnostic: Diagnostic
    var additional: [Diagnostic] = []
    /// How many calls the error has left, each named by a note at its call site (at most
    /// `Interpreter.maximumCallNotes`), so that an error in a helper shows where it was called.
    var unwoundCalls = 0
    /// Whether the error is the evaluation stack's check (`Interpreter.checkStack`). Where that
    /// check fires depends on the native frames below the evaluation, so a loop on two threads
    /// runs again on one thread after it (see `Interpreter.runLoopOnTwoThreads`).
    var exhaustedStack = false

    init(_ message: String, at span: SourceSpan?, hint: String? = nil, notes: [Diagnostic.Note] = []) {
        diagnostic = .error(message, at: span, hint: hint, notes: notes)
    }

    init(diagnostics: [Diagnostic]) {
        diagnostic = diagnostics.first ?? .error("internal error: empty diagnostic list (this is a bug in slsx)")
        additional = Array(diagnostics.dropFirst())
    }

    var diagnostics: [Diagnostic] { [diagnostic] + additional }

    /// Adds a note at the call site of `name` as the error leaves that call. An error that already
    /// carries notes of its own (the recursion limit's trace) gets none, and after
    /// `Interpreter.maximumCallNotes` calls one last note marks the rest.
    mutating func noteCall(to name: String, at span: SourceSpan, traced: Bool) {
        if traced, unwoundCalls == 0 {
            unwoundCalls = -1
        }
        guard unwoundCalls >= 0 else { return }
        unwoundCalls += 1
        if unwoundCalls <= Interpreter.maximumCallNotes {
            diagnostic.notes.append(.init("in a call to '\(name)'", at: span))
        } else if unwoundCalls == Interpreter.maximumCallNotes + 1 {
            diagnostic.notes.append(.init("... and the calls that led to it"))
        }
    }
}

/// Carries a `return` value from the statement up to the function call that catches it.
struct ReturnSignal: Error {
    var value: Value
    var span: SourceSpan
}

/// "Did you mean" hints, built on `closest(to:)` from SlsxSource.
enum NameSuggester {
    /// The largest number of candidates searched for a suggestion. Each candidate of a similar
    /// length costs an O(n·m) edit distance, so a map of a million 57-character keys would need
    /// about 3 billion character comparisons. With more candidates than this, no suggestion is made.
    static let maximumCandidates = 10_000

    /// "did you mean 'x'?" for the candidate closest to `name`, or `nil` when none is close or
    /// there are more than `maximumCandidates` candidates.
    static func didYouMean(_ name: String, among candidates: [String]) -> String? {
        guard candidates.count <= maximumCandidates else { return nil }
        return candidates.closest(to: name).map { "did you mean '\($0)'?" }
    }
}
