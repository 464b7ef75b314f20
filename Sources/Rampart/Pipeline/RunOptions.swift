import Foundation
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy
import RampartReports

/// Everything a run is asked to do, shared by every command (`scan`, `lint`, `audit`, `policies`) and by hosts such
/// as the Pulumi analyzer, so each flag means the same everywhere. The CLI adapts its flags into one of these.
public struct RunOptions: Sendable {
    /// Pack references (`builtin:name`, paths). Empty: the config file's packs, else the default built-in packs.
    public var packs: [String] = []
    /// A `rampart.yaml` given with `--config`.
    public var configPath: String?
    /// Where to look for `rampart.yaml` when `configPath` is nil; nil = don't look.
    public var configSearchDirectory: String?
    /// Pulumi `--policy-pack-config` arguments, `PACK=FILE`, applied in order before the config file's stack entries.
    public var policyPackConfigs: [String] = []
    /// Which of the run's policies to keep (`--framework`, `--severity`, `--service`); each criterion set here
    /// replaces the same key of `rampart.yaml`.
    public var selection = PolicySelection()
    /// Override of the stack identity (`org/project/stack`) for a single-stack input; for `lint`, the stack file.
    public var stack: StackIdentity?
    public var failOn: FailOn = .mandatory
    /// Reports to write once the run is decided; none = only return the report value.
    public var reports: [ReportTarget] = []
    /// How reports render (colour, JUnit choices).
    public var reportOptions = ReportOptions()
    /// Compare with this baseline file: known findings stay in reports but leave the verdict.
    public var baselinePath: String?
    /// Record the findings of this run into this baseline file.
    public var writeBaselinePath: String?
    /// Baseline entries older than this many days are reported (`rampart/stale-baseline-entry`); nil = never.
    public var baselineMaxAgeDays: Int? = 180
    /// `builtin:rampart`'s checks (expired exemptions, stale baseline entries) are mandatory by default.
    public var strict = false
    /// How large a state, checkpoint or preview input may be, and how far a compressed one may inflate
    /// (`--max-input-size`, `--max-compression-ratio`).
    public var inputSizeLimit = InputSizeLimit()
    /// Worker threads.
    public var jobs: Int = Parallel.availableCores
    /// Keep per-evaluation records (JUnit and Markdown list passes). Nil: exactly when a requested report reads
    /// them, or always when no report is requested (library use).
    public var recordEvaluations: Bool?
    /// The repository root that SARIF and GitHub reports name files relative to; nil: the git work tree holding
    /// the subjects, if any.
    public var sourceRoot: String?
    /// `YYYY-MM-DD`; defaults to the current UTC date.
    public var today: String?
    /// RFC 3339 timestamp for the report; defaults to now.
    public var timestamp: String?
    /// `audit --save-org`: where the organisation snapshot assembled from the API (`--org pulumi://ORG`) is kept.
    public var saveOrganizationPath: String?
    /// The caller ends the process once the run's reports are written (the command line): the last stack is left
    /// for the system to take back at exit rather than freed (`StackFreeing.atExit`). Off for a library caller,
    /// which would otherwise keep every last stack it ran for as long as it lives.
    public var endsProcess = false

    public init(packs: [String] = [], configPath: String? = nil, configSearchDirectory: String? = nil,
                policyPackConfigs: [String] = [], stack: StackIdentity? = nil, failOn: FailOn = .mandatory,
                reports: [ReportTarget] = [], jobs: Int = Parallel.availableCores,
                recordEvaluations: Bool? = nil, today: String? = nil, timestamp: String? = nil) {
        self.packs = packs
        self.configPath = configPath
        self.configSearchDirectory = configSearchDirectory
        self.policyPackConfigs = policyPackConfigs
        self.stack = stack
        self.failOn = failOn
        self.reports = reports
        self.jobs = jobs
        self.recordEvaluations = recordEvaluations
        self.today = today
        self.timestamp = timestamp
    }

    /// Whether the engine keeps a record of every evaluation.
    var keepsEvaluations: Bool {
        recordEvaluations ?? (reports.isEmpty || reports.contains { $0.format.needsEvaluations })
    }
}

/// What a run evaluates: the one thing that differs between commands.
public enum Subjects: Sendable {
    /// State exports, checkpoints, previews, event logs or backend directories (`rampart scan`).
    case inputs([String])
    /// A Pulumi project directory: Pulumi.yaml, stack files and CI workflows (`rampart lint`).
    case project(String)
    /// State inputs, project directories and an organisation snapshot, against the hardening checklist
    /// (`rampart audit`).
    case audit(inputs: [String], projects: [String], organization: String?)
    /// No subjects: the run's packs only (`rampart policies`, hosts that evaluate their own resources).
    case none

    var kind: RunKind {
        switch self {
        case .inputs: return .scan
        case .project: return .lint
        case .audit: return .audit
        case .none: return .catalogue
        }
    }
}

/// Which packs a run evaluates, by what it evaluates.
public enum RunKind: Sendable {
    /// `--pack`, else the config file's packs, else the default built-ins; plus `builtin:rampart`.
    case scan
    /// As `scan`, cut to the policies that read project files.
    case lint
    /// The hardening checklist (`builtin:hardening`, `builtin:pitfalls`) and any `--pack`.
    case audit
    /// As `scan` (what `rampart policies` lists).
    case catalogue
    /// As `scan`, without `builtin:rampart`: a host evaluating resources one call at a time has no run to keep.
    case host
}

/// Observes a run's progress (the CLI shows it on a terminal); library code never prints.
public protocol ScanObserver: Sendable {
    func stackStarted(_ source: String, index: Int, total: Int)
    func stackFinished(_ source: String, resources: Int, index: Int, total: Int)
}

/// A finished run: the report and, when a report was asked for on stdout, its bytes for the caller to print.
public struct RunResult: Sendable {
    public var report: ScanReport
    public var stdout: [UInt8]?
}

/// The date and timestamp a run uses, fixed up front so one run sees one time.
struct Clock {
    let today: String
    let timestamp: String

    init(today: String?, timestamp: String?, now: Date = Date()) {
        let stamp = timestamp ?? Clock.internetDateTime(unixSeconds: Int(now.timeIntervalSince1970.rounded(.down)))
        self.timestamp = stamp
        self.today = today ?? String(stamp.prefix(10))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339, UTC) of a Unix time, by arithmetic: Foundation's `ISO8601DateFormatter`
    /// loads a time zone and an ICU formatter first, ~1.5 ms of every run's start-up.
    static func internetDateTime(unixSeconds: Int) -> String {
        let date = CivilDate(unixSeconds: unixSeconds)
        let time = unixSeconds - date.day * 86_400
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date)T\(twoDigits(time / 3600)):\(twoDigits(time / 60 % 60)):\(twoDigits(time % 60))Z"
    }
}
