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
