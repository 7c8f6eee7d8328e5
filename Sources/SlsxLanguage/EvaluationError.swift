import SlsxSource

/// A located error that stops evaluation, with any further diagnostics that belong to it (such
/// as the other syntax errors of an imported module).
struct EvaluationError: Error {
    var diagnostic: Diagnostic
    var additional: [Diagnostic] = []

    init(_ message: String, at span: SourceSpan?, hint: String? = nil, notes: [Diagnostic.Note] = []) {
        diagnostic = .error(message, at: span, hint: hint, notes: notes)
    }

    init(diagnostics: [Diagnostic]) {
        diagnostic = diagnostics.first ?? .error("internal error: empty diagnostic list (this is a bug in slsx)")
        additional = Array(diagnostics.dropFirst())
    }

    var diagnostics: [Diagnostic] { [diagnostic] + additional }
}

/// Carries a `return` value from the statement up to the function call that catches it.
struct ReturnSignal: Error {
    var value: Value
    var span: SourceSpan
}

/// Suggests the closest name for "did you mean" hints.
enum NameSuggester {
    /// Returns the candidate nearest to `name` by edit distance, if it is close enough to be a
    /// likely typo (at most a third of the name's length, and at least 1).
    static func suggestion(for name: String, among candidates: [String]) -> String? {
        let limit = max(1, name.count / 3)
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name, candidate)
            if distance <= limit, distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// " (did you mean 'x'?)" or an empty string.
    static func didYouMean(_ name: String, among candidates: [String]) -> String? {
        suggestion(for: name, among: candidates).map { "did you mean '\($0)'?" }
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}
