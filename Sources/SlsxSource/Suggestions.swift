extension Sequence where Element == String {
    /// Returns the candidate closest to `word` by edit distance, for "did you mean" hints, or `nil` when
    /// none is close enough to be a likely misspelling.
    ///
    /// A candidate counts as close when at most a third of `word`'s characters (at least one) must change
    /// to reach it, ignoring case. Ties go to the earliest candidate, so suggestions are deterministic.
    public func closest(to word: String) -> String? {
        let target = Array(word.lowercased())
        let allowed = Swift.max(1, target.count / 3)
        var best: (candidate: String, distance: Int)?

        for candidate in self where candidate != word {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}

/// The Levenshtein distance between two character arrays, in O(n·m) time and O(m) memory.
private func editDistance(_ source: [Character], _ target: [Character]) -> Int {
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }

    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for (i, sourceCharacter) in source.enumerated() {
        current[0] = i + 1
        for (j, targetCharacter) in target.enumerated() {
            let substitution = previous[j] + (sourceCharacter == targetCharacter ? 0 : 1)
            current[j + 1] = Swift.min(substitution, previous[j + 1] + 1, current[j] + 1)
        }
        swap(&previous, &current)
    }
    return previous[target.count]
}
