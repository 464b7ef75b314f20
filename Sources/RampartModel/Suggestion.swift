/// Edit distance for "did you mean" suggestions on misspelt keys, operators, pack and policy names.
public enum EditDistance {
    /// Levenshtein distance over Unicode scalars, with a swap of two neighbours counted as one edit (optimal string
    /// alignment), since transposed letters are the commonest typo.
    public static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            previous2 = previous
            previous = current
        }
        return previous[y.count]
    }
}

/// "Did you mean" suggestions for misspelt keys, operators, pack and policy names: the one helper every module's
/// error messages use, so a typo is answered the same way in a rule file, `rampart.yaml` and on the command line.
public enum Suggestion {
    /// The closest candidate within a distance that grows with the word (1 for short words, at most 3, so long
    /// names are not "corrected" into unrelated ones); ties go to the candidate listed first.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(1, min(3, word.count / 3 + 1))
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = EditDistance.between(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// ` — did you mean 'x'?` for the closest candidate, or "" when none is close enough.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { " — did you mean '\($0)'?" } ?? ""
    }
}
