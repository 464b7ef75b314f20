import RampartPolicy

/// A count per severity, kept inline: the text and HTML reports add to one for every finding of a scan (hundreds
/// of thousands on a large estate), where a dictionary hashed the severity each time.
struct SeverityCounts {
    private var low = 0, medium = 0, high = 0, critical = 0

    subscript(severity: Severity) -> Int {
        get {
            switch severity {
            case .low: return low
            case .medium: return medium
            case .high: return high
            case .critical: return critical
            }
        }
        set {
            switch severity {
            case .low: low = newValue
            case .medium: medium = newValue
            case .high: high = newValue
            case .critical: critical = newValue
            }
        }
    }
}

/// Counts of a key that comes in runs (the findings' pack, stack or type): the current run is counted aside and
/// added to the dictionary when the key changes, so a run costs one hashed update.
struct RunCounter {
    private var key: String?
    private var count = 0

    mutating func add(_ next: String, into counts: inout [String: Int]) {
        if let key, key == next {
            count += 1
            return
        }
        finish(into: &counts)
        key = next
        count = 1
    }

    /// Adds the current run to `counts`; call once after the last key.
    mutating func finish(into counts: inout [String: Int]) {
        if let key { counts[key, default: 0] += count }
        key = nil
        count = 0
    }
}
