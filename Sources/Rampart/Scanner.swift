import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy

/// Everything a scan needs, adapted from flags by the CLI.
public struct ScanRequest: Sendable {
    public var inputs: [String]
    /// Pack references (`builtin:name`, paths). Empty: the config file's packs, else every built-in pack.
    public var packs: [String]
    /// Override of the stack identity (`org/project/stack`), for single-stack inputs.
    public var stack: StackIdentity?
    public var failOn: FailOn
    public var jobs: Int
    /// Keep per-evaluation records for reporters that list passes.
    public var recordEvaluations: Bool
    /// `YYYY-MM-DD`; defaults to the current UTC date.
    public var today: String?
    /// RFC 3339 timestamp for the report; defaults to now.
    public var timestamp: String?
    /// A `rampart.yaml` given with `--config`.
    public var configPath: String?
    /// Where to look for `rampart.yaml` when `configPath` is nil; nil = don't look.
    public var configSearchDirectory: String?
    /// Pulumi `--policy-pack-config` arguments, `PACK=FILE`, applied in order before the config file's stack entries.
    public var policyPackConfigs: [String]
    /// Compare with this baseline file: known findings stay in reports but leave the verdict.
    public var baselinePath: String?
    /// Record the findings of this scan into this baseline file.
    public var writeBaselinePath: String?
    /// Baseline entries older than this many days are reported (`rampart/stale-baseline-entry`).
    public var baselineMaxAgeDays: Int? = 180
    /// Expired exemptions and stale baseline entries are mandatory findings instead of advisory ones.
    public var strict = false

    public init(inputs: [String], packs: [String] = [], stack: StackIdentity? = nil, failOn: FailOn = .mandatory,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, recordEvaluations: Bool = true,
                today: String? = nil, timestamp: String? = nil, configPath: String? = nil,
                configSearchDirectory: String? = nil, policyPackConfigs: [String] = []) {
        self.inputs = inputs
        self.packs = packs
        self.stack = stack
        self.failOn = failOn
        self.jobs = jobs
        self.recordEvaluations = recordEvaluations
        self.today = today
        self.timestamp = timestamp
        self.configPath = configPath
        self.configSearchDirectory = configSearchDirectory
        self.policyPackConfigs = policyPackConfigs
    }
}

/// Observes a scan's progress (the CLI shows it on a terminal); library code never prints.
public protocol ScanObserver: Sendable {
    func stackStarted(_ source: String, index: Int, total: Int)
    func stackFinished(_ source: String, resources: Int, index: Int, total: Int)
}

/// The scan pipeline: discover inputs, load packs, then for each stack read → evaluate, and build the report.
/// Stacks are read one at a time and released after evaluation, so memory stays bounded by the largest stack.
public struct Scanner: Sendable {
    public var packLoader: PackLoader
    public var reader: InputReader

    public init(packLoader: PackLoader = PackLoader(), reader: InputReader = InputReader()) {
        self.packLoader = packLoader
        self.reader = reader
    }

    /// A scanner that also knows `extraPacks` (a team's Swift packs): they run by default beside the built-ins and
    /// can be named as `builtin:<name>`.
    public init(extraPacks: [PolicyPack], reader: InputReader = InputReader()) {
        self.init(packLoader: PackLoader(additionalPacks: extraPacks), reader: reader)
    }

    public func run(_ request: ScanRequest, observer: (any ScanObserver)? = nil) throws(RampartError) -> ScanReport {
        let clock = Clock(today: request.today, timestamp: request.timestamp)
        let setup = try prepare(request)
        let sources = try discover(request.inputs)
        if request.stack != nil && sources.count > 1 {
            throw .usage("--stack names one stack but the inputs hold \(sources.count) stacks; drop --stack or scan one file")
        }
        let engine = Engine(packs: setup.packs, resolver: setup.resolver, exemptions: setup.exemptions,
                            options: EngineOptions(jobs: request.jobs, failOn: request.failOn,
                                                   today: clock.today, recordEvaluations: request.recordEvaluations))
        let baseline = try request.baselinePath.map { path throws(RampartError) in try Baseline.read(path) }
        var reader = self.reader
        reader.jobs = max(1, request.jobs)
        var results: [StackResult] = []
        var aliases: [String: [String]] = [:]
        for (i, source) in sources.enumerated() {
            observer?.stackStarted(source.path, index: i, total: sources.count)
            var stack: Stack
            do { stack = try reader.read(source) } catch { throw .input(error) }
            if let identity = request.stack { stack.identity = identity }
            for resource in stack.graph.resources where !resource.aliases.isEmpty { aliases[resource.urn.rawValue] = resource.aliases }
            results.append(engine.evaluate(stack))
            observer?.stackFinished(source.path, resources: stack.graph.count, index: i, total: sources.count)
            if i == sources.count - 1 {
                // Freeing the last stack (input bytes, tape, every resource) takes a while and nothing waits for
                // it: another thread does it while this one builds and writes the report. Earlier stacks are freed
                // here, before the next is read, so memory stays bounded by the largest stack.
                DispatchQueue.global(qos: .utility).async { [stack] in withExtendedLifetime(stack) {} }
            }
        }
        var report = engine.report(results, inputs: request.inputs, tool: ToolInfo(version: RampartVersion.current),
                                   timestamp: clock.timestamp)
        var stale: [Baseline.Entry] = []
        if let baseline, let path = request.baselinePath {
            stale = BaselineStep(baseline: baseline, file: path, aliases: aliases)
                .apply(to: &report, today: clock.today, maxAgeDays: request.baselineMaxAgeDays).stale
        }
        HygieneStep(strict: request.strict, toolVersion: RampartVersion.current)
            .apply(to: &report, staleEntries: stale, maxAgeDays: request.baselineMaxAgeDays)
        if let path = request.writeBaselinePath {
            let recorded = Baseline.record(report, today: clock.today, previous: baseline)
            try ReportWriter.writeAtomically(recorded.encoded(), to: path)
        }
        return report
    }

    /// The packs, settings and exemptions of a run: `--pack` replaces the config file's `packs`; with neither,
    /// every compiled-in pack runs. Config is checked against the packs before anything is read.
    public func prepare(_ request: ScanRequest) throws(RampartError)
        -> (packs: [PolicyPack], resolver: SettingsResolver, exemptions: [Exemption]) {
        var configuration: RampartConfiguration?
        if let path = request.configPath {
            configuration = try RampartConfiguration.load(path: path)
        } else if let directory = request.configSearchDirectory, let path = RampartConfiguration.find(in: directory) {
            configuration = try RampartConfiguration.load(path: path)
        }
        var drafts: [PackSettingsDraft] = []
        for argument in request.policyPackConfigs { drafts.append(try PolicyPackConfigFile.load(argument: argument)) }
        let packs: [PolicyPack]
        if !request.packs.isEmpty {
            packs = try packLoader.load(request.packs)
        } else if let configuration, !configuration.packs.isEmpty {
            packs = try loadConfiguredPacks(configuration)
        } else {
            packs = packLoader.defaultPacks(settingsFor: Set(drafts.map(\.pack) + (configuration?.stacks.map(\.settings.pack) ?? [])),
                                            exemptions: configuration?.exemptions.map(\.exemption.policy) ?? [])
        }
        let resolved = try ConfigurationResolver(packs: packs).resolve(configuration: configuration, policyPackConfigs: drafts)
        return (packs, resolved.resolver, resolved.exemptions)
    }

    /// The config file's packs; a reference that does not resolve is reported at its line in the file.
    private func loadConfiguredPacks(_ configuration: RampartConfiguration) throws(RampartError) -> [PolicyPack] {
        var packs: [PolicyPack] = []
        var names = Set<String>()
        for (reference, location) in configuration.packs {
            let pack: PolicyPack
            do { pack = try packLoader.load(reference) } catch {
                if case .packNotFound = error { throw location.error(error.description) }
                throw error
            }
            guard names.insert(pack.name).inserted else { throw location.error("policy pack '\(pack.name)' is named twice") }
            packs.append(pack)
        }
        return packs
    }

    func discover(_ inputs: [String]) throws(RampartError) -> [InputSource] {
        guard !inputs.isEmpty else { throw .usage("no input given: pass a state export, checkpoint, preview JSON or backend directory") }
        var sources: [InputSource] = []
        for input in inputs {
            do { sources.append(contentsOf: try reader.discover(input)) } catch { throw .input(error) }
        }
        return sources
    }
}

/// The date and timestamp a run uses, fixed up front so one run sees one time.
struct Clock {
    let today: String
    let timestamp: String

    init(today: String?, timestamp: String?) {
        let now = Date()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        let stamp = timestamp ?? formatter.string(from: now)
        self.timestamp = stamp
        self.today = today ?? String(stamp.prefix(10))
    }
}
