import RampartPolicy

/// Renders the report value in one format. Reporters are pure: the same report gives the same bytes.
public protocol Reporter: Sendable {
    /// The `--report` format name.
    static var format: String { get }
    /// The whole report in memory.
    func render(_ report: ScanReport) -> [UInt8]
    /// Writes the same bytes as `render` to `output`. Reporters whose output grows with the estate (JSON, SARIF,
    /// JUnit) write it in chunks as they go; the others write their rendering in one piece.
    func write(_ report: ScanReport, to output: ReportOutput)
}

extension Reporter {
    /// Renders the report and appends it at once: right for reports that stay small (summaries, annotations).
    public func write(_ report: ScanReport, to output: ReportOutput) {
        output.append(render(report))
    }
}

/// The output formats `--report` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, junit, sarif, markdown, github, html
}

/// Options that shape rendering.
public struct ReportOptions: Sendable, Hashable {
    /// How an advisory violation appears in JUnit.
    public enum JUnitAdvisory: String, Sendable, Hashable, CaseIterable {
        /// A passing test case; the message is listed in the suite's `system-out` (docs/product.md §6 default).
        case passed
        /// A `failure`, so test tabs show it red although the gate does not fail.
        case failure
    }

    /// How an indeterminate outcome (unknown value, encrypted secret, missing evidence) appears in JUnit.
    public enum JUnitIndeterminate: String, Sendable, Hashable, CaseIterable {
        case skipped
        case failure
    }

    /// Which passing test cases JUnit lists.
    public enum JUnitPasses: String, Sendable, Hashable, CaseIterable {
        case all
        /// Drops passing cases. A 100,000-resource scan against a few dozen policies has millions of passing
        /// (policy, resource) pairs; listing them makes files of hundreds of megabytes that CI test tabs fail to
        /// load. The suite's `tests` count then counts only the cases written, and a `passes-omitted` property
        /// says how many were left out.
        case none
    }

    /// Colour text output (only when writing to a terminal and colour is not disabled).
    public var color: Bool
    public var junitAdvisory: JUnitAdvisory
    public var junitIndeterminate: JUnitIndeterminate
    public var junitPasses: JUnitPasses
    /// JUnit's required `hostname`; the CLI passes the machine's name, tests a fixed one.
    public var hostname: String
    /// Longest Markdown report, in UTF-8 bytes (GitHub comments hold 65,536 characters).
    public var markdownLimit: Int
    /// Maps finding files to repository-relative paths in SARIF and GitHub reports; nil leaves them as found.
    public var sourcePaths: SourcePaths?

    public init(color: Bool = false, junitAdvisory: JUnitAdvisory = .passed, junitIndeterminate: JUnitIndeterminate = .skipped,
                junitPasses: JUnitPasses = .all, hostname: String = "localhost", markdownLimit: Int = 60_000) {
        self.color = color
        self.junitAdvisory = junitAdvisory
        self.junitIndeterminate = junitIndeterminate
        self.junitPasses = junitPasses
        self.hostname = hostname
        self.markdownLimit = markdownLimit
    }
}
