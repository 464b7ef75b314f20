import RampartModel

/// How bad a violation is.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case low, medium, high, critical

    /// The order of the cases (`allCases`), without making `allCases` for each comparison: sorts of findings compare
    /// severities hundreds of thousands of times.
    private var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        case .critical: return 3
        }
    }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// CrossGuard's enforcement levels.
public enum EnforcementLevel: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reported, never fails the gate.
    case advisory
    /// Fails the gate.
    case mandatory
    /// CrossGuard compatibility: the proposed fix is reported; without one it acts as mandatory.
    case remediate
    /// Not run, not reported.
    case disabled
}

/// A compliance framework control a policy maps to (e.g. CIS AWS Foundations 3.0, control 2.1.1).
public struct FrameworkReference: Sendable, Hashable, Codable {
    public var name: String
    public var version: String?
    /// The control id; nil when a framework is named without one (Pulumi's compliance-ready policies tag checks
    /// with framework names only).
    public var control: String?
    public init(name: String, version: String? = nil, control: String? = nil) {
        self.name = name
        self.version = version
        self.control = control
    }
}

/// A violation as a policy reports it.
public struct Violation: Sendable, Hashable {
    public var message: String
    /// The fix a policy proposes (a description of the change), for the `remediate` level.
    public var proposedFix: String?
    /// Where in a file the problem is, when the evidence is a file.
    public var location: SourceLocation?
    /// Distinguishes several violations of one policy on one subject (e.g. a config key), part of the fingerprint.
    public var detailKey: String?

    public init(_ message: String, proposedFix: String? = nil, location: SourceLocation? = nil, detailKey: String? = nil) {
        self.message = message
        self.proposedFix = proposedFix
        self.location = location
        self.detailKey = detailKey
    }
}

/// The result of one policy on one subject.
public enum Outcome: Sendable, Hashable {
    case pass
    /// Boxed, so an outcome stays two words: a big stack keeps millions of outcomes, nearly all passes.
    indirect case violation(Violation)
    /// The policy does not apply; the reason says why.
    case notApplicable(String)
    /// The verdict depends on a value that is not known (preview unknown, encrypted secret, missing evidence).
    case indeterminate(String)
    /// The policy itself failed.
    case error(String)

    public var kind: OutcomeKind {
        switch self {
        case .pass: return .pass
        case .violation: return .violation
        case .notApplicable: return .notApplicable
        case .indeterminate: return .indeterminate
        case .error: return .error
        }
    }
}

/// `Outcome` without payload, for counting and sorting.
public enum OutcomeKind: String, Sendable, Hashable, CaseIterable, Codable {
    case pass
    case violation
    case notApplicable = "not-applicable"
    case indeterminate
    case error
}
