import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import RampartReports

/// The one pipeline every command runs, in named phases:
/// configure → collect subjects → evaluate → post-process (exemptions, baseline, hygiene) and verdict (the engine's
/// report phase) → write the baseline and the reports. Only the subjects differ per command (`Subjects`).
/// Stacks are read one at a time and released after evaluation, so memory stays bounded by the largest stack.
public struct Pipeline: Sendable {
    public var packLoader: PackLoader
    public var reader: InputReader
    public var discoverer: ProjectDiscoverer
    /// Reads `pulumi://`, `s3://` and `gs://` inputs (RampartRemote's, given by the command line); nil: local only.
    public var remote: (any RemoteInputs)?

    public init(packLoader: PackLoader = PackLoader(), reader: InputReader = InputReader(),
                discoverer: ProjectDiscoverer = ProjectDiscoverer(), remote: (any RemoteInputs)? = nil) {
        self.packLoader = packLoader
        self.reader = reader
        self.discoverer = discoverer
        self.remote = remote
    }

    /// A pipeline that also knows `extraPacks` (a team's Swift packs): they run by default beside the built-ins and
    /// can be named as `builtin:<name>`.
    public init(extraPacks: [PolicyPack], reader: InputReader = InputReader()) {
        self.init(packLoader: PackLoader(additionalPacks: extraPacks), reader: reader)
    }

    /// Runs every phase and writes the reports `options.reports` asks for.
    public func run(_ subjects: Subjects, options: RunOptions, observer: (any ScanObserver)? = nil) throws(RampartError) -> RunResult {
        let clock = Clock(today: options.today, timestamp: options.timestamp)
        try ReportWriter.validate(options.reports)
        // Taken apart, not kept: a copy of the first subject held here would keep its stack alive past
        // `evaluate(taking:)`, which frees it before the findings are assembled.
        let setup: RunSetup
        var source: any SubjectSource
        var first: Subject?
        (setup, source, first) = try configureAndCollect(subjects, options: options, today: clock.today)
        let baseline = try options.baselinePath.map { path throws(RampartError) in try Baseline.read(path) }
        let engine = Engine(packs: setup.packs, resolver: source.resolver(setup.resolver, packs: setup.packs),
                            exemptions: setup.exemptions,
                            options: EngineOptions(jobs: options.jobs, failOn: options.failOn, today: clock.today,
                                                   recordEvaluations: subjects.keepsEvaluations(options)))

        var results: [StackResult] = []
        var aliases: [String: [String]] = [:]
        let total = source.count
        var index = 0
        func upcoming() throws(RampartError) -> Subject? {
            if let subject = first.take() { return subject }
            return try source.next()
        }
        while let subject = try upcoming() {
            let stackSource = subject.stack.source, resourceCount = subject.stack.graph.count
            observer?.stackStarted(stackSource, index: index, total: total)
            // Only a baseline comparison reads aliases; without one, no pass over every resource on this thread.
            if baseline != nil {
                for resource in subject.stack.graph.resources where !resource.aliases.isEmpty {
                    aliases[resource.urn.rawValue] = resource.aliases
                }
            }
            // The engine takes the stack and frees it (input bytes, tape, every resource) once evaluated, before
            // the findings are assembled, so findings and document never share the peak. Freeing the last stack
            // takes a while and nothing waits for it: another thread does it, or nobody when the process ends
            // after the run (`RunOptions.endsProcess`). Earlier stacks are freed before the next is read, so
            // memory stays bounded by the largest stack.
            let evidence = subject.evidence
            let stack = (consume subject).stack
            let lastFreeing: StackFreeing = options.endsProcess ? .atExit : .inBackground
            results.append(engine.evaluate(taking: consume stack, evidence: evidence,
                                           freeing: index == total - 1 ? lastFreeing : .here))
            observer?.stackFinished(stackSource, resources: resourceCount, index: index, total: total)
            index += 1
        }

        let comparison = baseline.map {
            BaselineComparisonInput(baseline: $0, file: options.baselinePath!, aliases: aliases, maxAgeDays: options.baselineMaxAgeDays)
        }
        var report = engine.report(consume results, inputs: source.inputs, tool: ToolInfo(version: RampartVersion.current),
                                   timestamp: clock.timestamp, notices: setup.notices, baseline: comparison,
                                   inputFailures: source.failures)
        if let path = options.writeBaselinePath, !report.inputFailures.isEmpty {
            // A baseline recorded without some stacks would drop their entries: keep the old file.
            report.notices.append(ReportNotice(source: path, message: "baseline not written: \(report.inputFailures.count) input(s) could not be read"))
        } else if let path = options.writeBaselinePath {
            try ReportWriter.writeAtomically(Baseline.record(report, today: clock.today, previous: baseline).encoded(), to: path)
        }
        var reportOptions = options.reportOptions
        if options.reports.contains(where: { $0.format == .sarif || $0.format == .github }) {
            reportOptions.sourcePaths = SourceRoot.paths(for: subjects, report: report, sourceRoot: options.sourceRoot)
        }
        var writer = ReportWriter(options: reportOptions, overrides: subjects.reporters(reportOptions))
        writer.jobs = options.jobs
        let stdout = try writer.write(report, to: options.reports)
        return RunResult(report: report, stdout: stdout)
    }

    /// The configure and collect phases, and the first subject read. Only an audit's subjects depend on the setup;
    /// for the others the packs are loaded on another thread while the first input is read and parsed here (a
    /// single-threaded parse of a large input, and tens of milliseconds of YAML for a large pack, overlap). A
    /// configuration error is still the one reported, after the read it overlapped has finished.
    private func configureAndCollect(_ subjects: Subjects, options: RunOptions, today: String)
        throws(RampartError) -> (setup: RunSetup, source: any SubjectSource, first: Subject?) {
        if case .audit = subjects {
            let setup = try configure(options, for: subjects.kind)
            return (setup, try collect(subjects, setup: setup, options: options, today: today), nil)
        }
        let configuring = BackgroundWork { () throws(RampartError) in try configure(options, for: subjects.kind) }
        let collected: Result<(any SubjectSource, Subject?), RampartError>
        do {
            var source = try collect(subjects, setup: nil, options: options, today: today)
            let first = try source.next()
            collected = .success((source, first))
        } catch {
            collected = .failure(error)
        }
        let setup = try configuring.wait().get()
        let (source, first) = try collected.get()
        return (setup, source, first)
    }

    /// The collect phase: where each command's subjects come from (`setup` is read by an audit only).
    func collect(_ subjects: Subjects, setup: RunSetup?, options: RunOptions, today: String) throws(RampartError) -> any SubjectSource {
        var reader = self.reader.bounded(by: options.inputSizeLimit)
        reader.jobs = max(1, options.jobs)
        switch subjects {
        case .inputs(let inputs):
            return try InputSubjects(inputs: inputs, reader: reader, identity: options.stack, remote: remote)
        case .project(let directory):
            return try ProjectSubjects(directory: directory, discoverer: discoverer, stack: options.stack)
        case .audit(let inputs, let projects, let organization):
            guard let setup else { preconditionFailure("an audit's subjects are collected after its setup") }
            return try AuditSubjects(inputs: inputs, projects: projects, organizationPath: organization, identity: options.stack,
                                     reader: reader, discoverer: discoverer, remote: remote, saveOrganization: options.saveOrganizationPath,
                                     setup: setup, today: today)
        case .none:
            return NoSubjects()
        }
    }
}

extension Subjects {
    /// Whether the engine keeps every evaluation: what the options say, and for an audit's HTML page too, whose
    /// checklist reads them (where a pass holds, why an item does not apply) although the format does not elsewhere.
    func keepsEvaluations(_ options: RunOptions) -> Bool {
        if case .audit = self, options.recordEvaluations == nil, options.reports.contains(where: { $0.format == .html }) { return true }
        return options.keepsEvaluations
    }

    /// Reporters that replace the standard ones for this kind of run: an audit renders text and Markdown as its
    /// checklist, and adds the checklist to the HTML page.
    func reporters(_ options: ReportOptions) -> [ReportFormat: any Reporter] {
        guard case .audit = self else { return [:] }
        return [.text: ChecklistReporter(style: .text, options: options),
                .markdown: ChecklistReporter(style: .markdown, options: options),
                .html: HTMLReporter(checklist: true)]
    }
}

/// Work started on another thread, whose result the caller waits for.
/// `@unchecked Sendable`: `result` is written once, by the worker, before it signals `done`, and read only after
/// `wait()` has seen that signal.
private final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, RampartError>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws(RampartError) -> Value) {
        DispatchQueue.global().async {
            do throws(RampartError) { self.result = .success(try body()) } catch { self.result = .failure(error) }
            self.done.signal()
        }
    }

    func wait() -> Result<Value, RampartError> {
        done.wait()
        return result!
    }
}
