extension Sequence where Element == String {
    /// Returns the candidate closest to `word` by edit distance, for "did you mean" hints, or `nil` when
    /// none is close enough to be a likely misspelling.
    ///
    /// A candidate counts as close when at most a third of `word`'s characters (at least one) must change
    /// to reach it, ignoring case. Of two equally close candidates the one closer with case counted
    /// wins (`stag` suggests `stage` over `STAGE`), and then the earlier one, so suggestions are
    /// deterministic.
    public func closest(to word: String) -> String? {
        // The edit distance takes O(n·m) time, so a name of 64 KB would take seconds per
        // candidate. Names longer than 64 characters get no suggestion.
        guard word.count <= 64 else { return nil }
        let target = Array(word.lowercased())
        let allowed = Swift.max(1, target.count / 3)
        var best: (candidate: String, distance: Int)?

        for candidate in self where candidate != word {
            // The lengths differ by at most the distance, so a longer or shorter candidate cannot match.
            guard abs(candidate.count - target.count) <= allowed else { continue }
            let distance = editDistance(target, Array(candidate.lowercased()))
            guard distance <= allowed else { continue }
            if let current = best, distance == current.distance {
                if editDistance(Array(word), Array(candidate)) < editDistance(Array(word), Array(current.candidate)) {
                    best = (candidate, distance)
                }
            } else if distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}

/// The optimal string alignment distance between two character arrays: insertions, deletions,
/// substitutions and swaps of two neighbours each cost 1, so the typo `emti` is one edit from `emit`.
/// O(n·m) time and O(m) memory.
private func editDistance(_ source: [Character], _ target: [Character]) -> Int {
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }

    var beforePrevious = [Int](repeating: 0, count: target.count + 1)
    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for i in 1...source.count {
        current[0] = i
        for j in 1...target.count {
            let cost = source[i - 1] == target[j - 1] ? 0 : 1
            var distance = Swift.min(previous[j - 1] + cost, previous[j] + 1, current[j - 1] + 1)
            if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                distance = Swift.min(distance, beforePrevious[j - 2] + 1)
            }
            current[j] = distance
        }
        (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[target.count]
}
