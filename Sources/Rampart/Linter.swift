import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy

/// Everything `rampart lint` needs, adapted from flags by the CLI.
public struct LintRequest: Sendable {
    /// The project directory (default `.`).
    public var directory: String
    /// Keep only `Pulumi.<stack>.yaml`; an organization, when given, goes into the stack identity.
    public var stack: StackIdentity?
    /// Pack references; empty means rampart.yaml's packs, else every built-in pack (of which only the policies that
    /// read files run: today `builtin:pitfalls` and `builtin:hardening`).
    public var packs: [String]
    public var failOn: FailOn
    public var jobs: Int
    public var recordEvaluations: Bool
    public var today: String?
    public var timestamp: String?
    /// `rampart.yaml` (per-stack levels, exemptions), as for `scan`.
    public var configPath: String?
    public var configSearchDirectory: String?
    public var policyPackConfigs: [String]
    public var baselinePath: String?
    public var writeBaselinePath: String?

    public init(directory: String = ".", stack: StackIdentity? = nil, packs: [String] = [], failOn: FailOn = .mandatory,
                jobs: Int = 1, recordEvaluations: Bool = true, today: String? = nil, timestamp: String? = nil,
                configPath: String? = nil, configSearchDirectory: String? = nil, policyPackConfigs: [String] = []) {
        self.configPath = configPath
        self.configSearchDirectory = configSearchDirectory
        self.policyPackConfigs = policyPackConfigs
        self.directory = directory
        self.stack = stack
        self.packs = packs
        self.failOn = failOn
        self.jobs = jobs
        self.recordEvaluations = recordEvaluations
        self.today = today
        self.timestamp = timestamp
    }
}

/// The lint pipeline: load packs and rampart.yaml as `scan` does → discover the project's files → keep the policies that read files → evaluate one synthetic,
/// resource-less stack per stack file (`<project>/<stack>`) with that file as evidence → the ordinary report, so
/// levels, exemptions and every reporter work as for `scan`.
public struct Linter: Sendable {
    /// Stack name used when the project has no stack file.
    public static let projectOnlyStack = "(no stack file)"

    public var packLoader: PackLoader
    public var discoverer: ProjectDiscoverer

    public init(packLoader: PackLoader = PackLoader(), discoverer: ProjectDiscoverer = ProjectDiscoverer()) {
        self.packLoader = packLoader
        self.discoverer = discoverer
    }

    public func run(_ request: LintRequest) throws(RampartError) -> ScanReport {
        let clock = Clock(today: request.today, timestamp: request.timestamp)
        let setup = try Scanner(packLoader: packLoader).prepare(ScanRequest(
            inputs: [], packs: request.packs, failOn: request.failOn, jobs: request.jobs, configPath: request.configPath,
            configSearchDirectory: request.configSearchDirectory, policyPackConfigs: request.policyPackConfigs))
        let evidence = try discover(request)
        let engine = Engine(packs: Linter.filePolicies(setup.packs), resolver: setup.resolver, exemptions: setup.exemptions,
                            options: EngineOptions(jobs: request.jobs, failOn: request.failOn, today: clock.today,
                                                   recordEvaluations: request.recordEvaluations))
        let results = Linter.stacks(for: evidence, directory: request.directory, organization: request.stack?.organization)
            .map { stack, evidence in engine.evaluate(stack, evidence: evidence) }
        var report = engine.report(results, inputs: Linter.inputs(evidence), tool: ToolInfo(version: RampartVersion.current),
                                   timestamp: clock.timestamp)
        let baseline = try request.baselinePath.map { path throws(RampartError) in try Baseline.read(path) }
        if let baseline, let path = request.baselinePath {
            BaselineStep(baseline: baseline, file: path, aliases: [:]).apply(to: &report, today: clock.today)
        }
        if let path = request.writeBaselinePath {
            try ReportWriter.writeAtomically(Baseline.record(report, today: clock.today, previous: baseline).encoded(), to: path)
        }
        return report
    }

    func discover(_ request: LintRequest) throws(RampartError) -> Evidence {
        let evidence: Evidence
        do { evidence = try discoverer.discover(request.directory, stack: request.stack?.stack) } catch { throw .input(error) }
        if evidence.project == nil && evidence.stackFiles.isEmpty && evidence.workflows.isEmpty {
            throw .usage("\(request.directory): no Pulumi project found (expected Pulumi.yaml, Pulumi.yml or Pulumi.json, Pulumi.<stack>.yaml files, .github/workflows/*.yml or .gitlab-ci.yml)")
        }
        return evidence
    }

    /// The run's packs (`--pack`, else rampart.yaml's, else every built-in) cut to the policies that read a project
    /// file, stack file or workflow; packs left empty are dropped. Resource policies (awsguard, YAML rules) have
    /// nothing to look at in a project directory, so reporting them as passing would be wrong. The config file is
    /// validated against the full packs first, so one rampart.yaml serves both `scan` and `lint`.
    static func filePolicies(_ packs: [PolicyPack]) -> [PolicyPack] {
        packs.compactMap { pack in
            var pack = pack
            pack.policies = pack.policies.filter { policy in
                guard let described = policy as? any EvidenceDescribing else { return false }
                return !described.evidence.isDisjoint(with: EvidenceKind.files)
            }
            return pack.policies.isEmpty ? nil : pack
        }
    }

    /// One stack per stack file, each seeing the project file, the workflows and only its own stack file.
    static func stacks(for evidence: Evidence, directory: String, organization: String?) -> [(Stack, Evidence)] {
        let project = evidence.project?.name ?? URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        func stack(_ name: String, source: String) -> Stack {
            Stack(identity: StackIdentity(organization: organization, project: project, stack: name), source: source,
                  kind: .projectConfig, propertySource: .outputs, graph: ResourceGraph(resources: []))
        }
        guard !evidence.stackFiles.isEmpty else {
            return [(stack(projectOnlyStack, source: evidence.project?.path ?? directory), evidence)]
        }
        // Pulumi.yaml and the workflows are reported once, under the first stack (by name).
        let owner = stack(evidence.stackFiles[0].stackName, source: "").identity.description
        return evidence.stackFiles.map { file in
            var own = evidence
            own.stackFiles = [file]
            own.projectFilesOwner = owner
            return (stack(file.stackName, source: file.path), own)
        }
    }

    /// Every file looked at, for the report's inputs.
    static func inputs(_ evidence: Evidence) -> [String] {
        [evidence.project?.path].compactMap { $0 } + evidence.stackFiles.map(\.path) + evidence.workflows.map(\.path)
    }
}
