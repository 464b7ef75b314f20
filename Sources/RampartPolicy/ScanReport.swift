import RampartModel

/// The one value every reporter renders. Everything in it is sorted deterministically (stack, pack, policy,
/// resource URN) and secret-free: messages were redacted before they got here.
public struct ScanReport: Sendable {
    public var tool: ToolInfo
    /// The input paths as given.
    public var inputs: [String]
    public var stacks: [StackSummary]
    public var packs: [PackSummary]
    /// Violations, indeterminate outcomes and policy errors (not passes).
    public var findings: [Finding]
    /// Every (policy, subject) evaluated, compactly, for reporters that list passes (JUnit).
    public var evaluations: [Evaluation]
    public var exemptions: [ExemptionRecord]
    public var notices: [ReportNotice]
    /// Inputs that could not be read; the run went on with the others (and exits 2).
    public var inputFailures: [InputFailure] = []
    public var verdict: Verdict
    /// Set when the scan was compared with a baseline file.
    public var baseline: BaselineSummary?
    /// When the scan ran (RFC 3339, UTC, no fractional seconds); fixed in tests for snapshots.
    public var timestamp: String

    public init(tool: ToolInfo, inputs: [String], stacks: [StackSummary], packs: [PackSummary], findings: [Finding],
                evaluations: [Evaluation], exemptions: [ExemptionRecord], notices: [ReportNotice] = [],
                verdict: Verdict, timestamp: String, baseline: BaselineSummary? = nil) {
        self.tool = tool
        self.inputs = inputs
        self.stacks = stacks
        self.packs = packs
        self.findings = findings
        self.evaluations = evaluations
        self.exemptions = exemptions
        self.notices = notices
        self.verdict = verdict
        self.timestamp = timestamp
        self.baseline = baseline
    }
}

/// How a scan compared with a baseline: known findings (not counted in the verdict), new ones, and entries no
/// longer found (resolved: the baseline can shrink).
public struct BaselineSummary: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var stack: String
        public var pack: String
        public var policy: String
        public var urn: String?
        public var message: String
        public var recorded: String
        public init(stack: String, pack: String, policy: String, urn: String?, message: String, recorded: String) {
            self.stack = stack
            self.pack = pack
            self.policy = policy
            self.urn = urn
            self.message = message
            self.recorded = recorded
        }
    }
    public var file: String
    public var known: Int
    public var new: Int
    public var resolved: [Entry]
    public init(file: String, known: Int, new: Int, resolved: [Entry]) {
        self.file = file
        self.known = known
        self.new = new
        self.resolved = resolved
    }
}

public struct ToolInfo: Sendable, Hashable {
    public var name: String
    public var version: String
    public init(name: String = "rampart", version: String) {
        self.name = name
        self.version = version
    }
}

/// One resource's identity inside a report.
public struct ResourceRef: Sendable, Hashable, Comparable {
    public var urn: String
    public var type: String
    public var name: String
    public init(urn: String, type: String, name: String) {
        self.urn = urn
        self.type = type
        self.name = name
    }
    public static func < (lhs: ResourceRef, rhs: ResourceRef) -> Bool { lhs.urn < rhs.urn }
}

public struct StackSummary: Sendable, Hashable {
    /// `org/project/stack`.
    public var name: String
    public var source: String
    /// `state-export`, `checkpoint`, `preview`, …
    public var kind: String
    public var resourceCount: Int
    /// The resources some policy evaluated, sorted by URN; `Evaluation.resource` indexes this list. When a scan
    /// records no evaluations, only the resources with findings.
    public var resources: [ResourceRef]
    public init(name: String, source: String, kind: String, resourceCount: Int, resources: [ResourceRef] = []) {
        self.name = name
        self.source = source
        self.kind = kind
        self.resourceCount = resourceCount
        self.resources = resources
    }
}

/// Per-policy counts of outcomes.
public struct OutcomeCounts: Sendable, Hashable {
    public var pass = 0
    public var violation = 0
    public var notApplicable = 0
    public var indeterminate = 0
    public var error = 0
    public var exempted = 0
    public init() {}

    public mutating func add(_ kind: OutcomeKind) {
        switch kind {
        case .pass: pass += 1
        case .violation: violation += 1
        case .notApplicable: notApplicable += 1
        case .indeterminate: indeterminate += 1
        case .error: error += 1
        }
    }
    public mutating func add(_ other: OutcomeCounts) {
        pass += other.pass; violation += other.violation; notApplicable += other.notApplicable
        indeterminate += other.indeterminate; error += other.error; exempted += other.exempted
    }
    public var total: Int { pass + violation + notApplicable + indeterminate + error + exempted }
}

public struct PolicySummary: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The strictest effective level over the scanned stacks (mandatory > remediate > advisory > disabled).
    public var enforcementLevel: EnforcementLevel
    public var severity: Severity
    public var remediation: String?
    public var frameworks: [FrameworkReference]
    public var counts: OutcomeCounts
    /// Why the policy matters (`PolicyDescriptor.rationale`), for reports that explain their policies (HTML).
    public var rationale: String?
    /// Other tools' policies that check the same thing (`PolicyDescriptor.equivalents`).
    public var equivalents: [PolicyEquivalent]
    public init(name: String, description: String, enforcementLevel: EnforcementLevel, severity: Severity,
                remediation: String? = nil, frameworks: [FrameworkReference] = [], counts: OutcomeCounts = OutcomeCounts(),
                rationale: String? = nil, equivalents: [PolicyEquivalent] = []) {
        self.name = name
        self.description = description
        self.enforcementLevel = enforcementLevel
        self.severity = severity
        self.remediation = remediation
        self.frameworks = frameworks
        self.counts = counts
        self.rationale = rationale
        self.equivalents = equivalents
    }
}

public struct PackSummary: Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    public var policies: [PolicySummary]
    public init(name: String, version: String, description: String, policies: [PolicySummary]) {
        self.name = name
        self.version = version
        self.description = description
        self.policies = policies
    }
}

/// One evaluated (policy, subject) pair, compact: indexes into the report's stacks, packs and resources.
public struct Evaluation: Sendable, Hashable {
    public var stack: Int32
    public var pack: Int32
    public var policy: Int32
    /// Index into `stacks[stack].resources`, or -1 for a stack-level subject.
    public var resource: Int32
    public var outcome: OutcomeKind
    /// Effective level for this stack.
    public var level: EnforcementLevel
    /// Index into `findings` when the outcome is not a pass/not-applicable, else -1.
    public var finding: Int32
    /// Reason for not-applicable outcomes.
    public var reason: String?
    public var exempted: Bool

    public init(stack: Int32, pack: Int32, policy: Int32, resource: Int32, outcome: OutcomeKind, level: EnforcementLevel,
                finding: Int32 = -1, reason: String? = nil, exempted: Bool = false) {
        self.stack = stack
        self.pack = pack
        self.policy = policy
        self.resource = resource
        self.outcome = outcome
        self.level = level
        self.finding = finding
        self.reason = reason
        self.exempted = exempted
    }
}

public struct ExemptionRecord: Sendable, Hashable {
    /// `pack/policy`.
    public var policy: String
    public var urn: String?
    public var stack: String?
    public var reason: String
    /// `YYYY-MM-DD`.
    public var expires: String?
    public var expired: Bool
    /// Where the exemption was declared (`rampart.yaml:12:5`, or a resource tag).
    public var source: String?
    public init(policy: String, urn: String? = nil, stack: String? = nil, reason: String, expires: String? = nil,
                expired: Bool = false, source: String? = nil) {
        self.policy = policy
        self.urn = urn
        self.stack = stack
        self.reason = reason
        self.expires = expires
        self.expired = expired
        self.source = source
    }
}

/// Something a reader or the engine wants the user to know that is not a finding.
public struct ReportNotice: Sendable, Hashable {
    public var source: String
    public var message: String
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
}

/// At what level findings fail the run.
public enum FailOn: String, Sendable, Hashable, CaseIterable, Codable {
    case mandatory, advisory, none
}

public struct Verdict: Sendable, Hashable {
    public var failed: Bool
    /// 0 passed, 1 failed at or above `failOn`, 2 some input could not be read (whatever the findings).
    public var exitCode: Int
    public var failOn: FailOn
    public init(failed: Bool, failOn: FailOn, incomplete: Bool = false) {
        self.failed = failed
        self.exitCode = incomplete ? 2 : failed ? 1 : 0
        self.failOn = failOn
    }

    /// The run's outcome in one word for people: `failed`, else `incomplete` when an input could not be read (the
    /// exit code is 2 and what was read passed, so "passed" would claim more than was checked), else `passed`.
    public var word: String { failed ? "failed" : exitCode == 2 ? "incomplete" : "passed" }
}

/// An input that could not be read. The others are still scanned; every report lists it and the run exits 2.
public struct InputFailure: Sendable, Hashable {
    /// The file (or directory, or input as given) that failed.
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The located error: what was found where, and what was expected.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }
}
