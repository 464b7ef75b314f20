import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy

/// Everything `rampart audit` needs, adapted from flags by the CLI.
public struct AuditRequest: Sendable {
    /// State exports, checkpoints, previews or backend directories (as for `scan`).
    public var inputs: [String]
    /// The organisation snapshot (PRODUCT.md §2.5).
    public var organizationPath: String?
    /// Pulumi project directories (as for `lint`).
    public var projectDirectories: [String]
    /// Packs run beside `builtin:hardening` and `builtin:pitfalls`.
    public var packs: [String]
    public var failOn: FailOn
    public var jobs: Int
    public var recordEvaluations: Bool
    public var today: String?
    public var timestamp: String?
    public var configPath: String?
    public var configSearchDirectory: String?
    public var policyPackConfigs: [String]

    public init(inputs: [String] = [], organizationPath: String? = nil, projectDirectories: [String] = [], packs: [String] = [],
                failOn: FailOn = .mandatory, jobs: Int = 1, recordEvaluations: Bool = true, today: String? = nil,
                timestamp: String? = nil, configPath: String? = nil, configSearchDirectory: String? = nil,
                policyPackConfigs: [String] = []) {
        self.inputs = inputs
        self.organizationPath = organizationPath
        self.projectDirectories = projectDirectories
        self.packs = packs
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

/// The audit pipeline: read the organisation snapshot → load the checklist packs and rampart.yaml → read the
/// stacks (state and backends as `scan` does, project files as `lint` does, a stack file joining the state of the
/// same project/stack) → evaluate each stack, plus one subject for the organisation itself (`(organization)`, where
/// the organisation-wide items are reported once) → the ordinary report, which the CLI renders as a checklist.
public struct Auditor: Sendable {
    /// Packs every audit runs.
    public static let checklistPacks = ["builtin:hardening", "builtin:pitfalls"]

    public var packLoader: PackLoader
    public var reader: InputReader

    public init(packLoader: PackLoader = PackLoader(), reader: InputReader = InputReader()) {
        self.packLoader = packLoader
        self.reader = reader
    }

    public func run(_ request: AuditRequest) throws(RampartError) -> ScanReport {
        let clock = Clock(today: request.today, timestamp: request.timestamp)
        let snapshot = try request.organizationPath.map(Auditor.readSnapshot)
        let setup = try AuditSetup(request: request, packLoader: packLoader)
        var stacks = try readStacks(request)
        let subject = OrganizationScope.identity(organization: snapshot?.organization ?? stacks.first?.stack.identity.organization)
        let hasStacks = !stacks.isEmpty
        stacks.append((Stack(identity: subject, source: request.organizationPath ?? "(no organisation snapshot)", kind: .projectConfig,
                             propertySource: .outputs, graph: ResourceGraph(resources: [])), Evidence()))
        let engine = Engine(packs: setup.packs, resolver: setup.resolver(separateOrganization: hasStacks),
                            exemptions: setup.exemptions,
                            options: EngineOptions(jobs: request.jobs, failOn: request.failOn, today: clock.today,
                                                   recordEvaluations: request.recordEvaluations))
        let results = stacks.map { stack, files in
            var evidence = files
            evidence.organization = snapshot
            evidence.organizationSubject = subject.description
            evidence.today = clock.today
            evidence.enforcement = setup.enforcement(for: stack.identity)
            return engine.evaluate(stack, evidence: evidence)
        }
        let inputs = request.inputs + request.projectDirectories + [request.organizationPath].compactMap { $0 }
        return engine.report(results, inputs: inputs, tool: ToolInfo(version: RampartVersion.current), timestamp: clock.timestamp)
    }

    static func readSnapshot(_ path: String) throws(RampartError) -> OrganizationSnapshot {
        do { return try OrgSnapshotReader().read(path) } catch { throw .input(error) }
    }

    /// State stacks, each with the files of its project when a project directory holds them, then one synthetic
    /// stack per stack file no state matched (as `lint` evaluates them).
    func readStacks(_ request: AuditRequest) throws(RampartError) -> [(stack: Stack, evidence: Evidence)] {
        var projects: [Evidence] = []
        for directory in request.projectDirectories {
            projects.append(try Linter().discover(LintRequest(directory: directory)))
        }
        var result: [(stack: Stack, evidence: Evidence)] = []
        var matched = Set<String>()
        let sources = request.inputs.isEmpty ? [] : try Scanner(packLoader: packLoader, reader: reader).discover(request.inputs)
        for source in sources {
            let stack: Stack
            do { stack = try reader.read(source) } catch { throw .input(error) }
            var evidence = Evidence()
            for (index, project) in projects.enumerated() where project.project?.name == stack.identity.project {
                evidence = project
                evidence.stackFiles = project.stackFiles.filter { $0.stackName == stack.identity.stack }
                evidence.projectFilesOwner = stack.identity.description
                for file in evidence.stackFiles { matched.insert("\(index):\(file.path)") }
                break
            }
            result.append((stack, evidence))
        }
        for (index, project) in projects.enumerated() {
            var rest = project
            rest.stackFiles = project.stackFiles.filter { !matched.contains("\(index):\($0.path)") }
            if rest.stackFiles.isEmpty && project.stackFiles.count > 0 { continue }
            let directory = request.projectDirectories[index]
            result.append(contentsOf: Linter.stacks(for: rest, directory: directory, organization: nil).map { ($0.0, $0.1) })
        }
        return result
    }
}

/// The packs, settings and exemptions of an audit, and the effective levels of the configured packs per stack.
struct AuditSetup {
    let packs: [PolicyPack]
    let exemptions: [Exemption]
    private let baseResolver: SettingsResolver
    /// The packs rampart.yaml names (or every built-in), with their resolver; nil when no configuration was given.
    private let gate: (packs: [PolicyPack], resolver: SettingsResolver, source: String)?

    init(request: AuditRequest, packLoader: PackLoader) throws(RampartError) {
        var packs: [PolicyPack] = []
        for pack in try packLoader.load(Auditor.checklistPacks + request.packs) where !packs.contains(where: { $0.name == pack.name }) {
            packs.append(pack)
        }
        let configPath = request.configPath ?? request.configSearchDirectory.flatMap(RampartConfiguration.find(in:))
        let configuration = try configPath.map { path throws(RampartError) in try RampartConfiguration.load(path: path) }
        // The configured packs (or every built-in) are loaded too, so a rampart.yaml written for `scan` validates here.
        let gateSetup = try Scanner(packLoader: packLoader).prepare(ScanRequest(
            inputs: [], packs: [], configPath: configPath, policyPackConfigs: request.policyPackConfigs))
        var all = packs
        for pack in gateSetup.packs where !all.contains(where: { $0.name == pack.name }) { all.append(pack) }
        var drafts: [PackSettingsDraft] = []
        for argument in request.policyPackConfigs { drafts.append(try PolicyPackConfigFile.load(argument: argument)) }
        let resolved = try ConfigurationResolver(packs: all).resolve(configuration: configuration, policyPackConfigs: drafts)
        self.packs = packs
        self.exemptions = resolved.exemptions
        self.baseResolver = resolved.resolver
        let sources = [configPath.map { URL(fileURLWithPath: $0).lastPathComponent }].compactMap { $0 }
            + (request.policyPackConfigs.isEmpty ? [] : ["--policy-pack-config"])
        gate = sources.isEmpty ? nil : (gateSetup.packs, gateSetup.resolver, sources.joined(separator: " and "))
    }

    /// The run's resolver; when the organisation subject sits beside real stacks, every policy that does not read the organisation
    /// snapshot is disabled on it (the real stacks answer those).
    func resolver(separateOrganization: Bool) -> SettingsResolver {
        guard separateOrganization else { return baseResolver }
        var resolver = baseResolver
        let pattern = "*/\(OrganizationScope.project)/\(OrganizationScope.stack)"
        for pack in packs {
            var layer = PackSettingsLayer()
            for policy in pack.policies {
                let evidence = (policy as? any EvidenceDescribing)?.evidence ?? []
                if evidence != [.organization] { layer.levels[policy.descriptor.name] = .disabled }
            }
            resolver.stackLayers.append((pattern, pack.name, layer))
        }
        return resolver
    }

    /// Which configured packs have policies at mandatory (or remediate) for the stack.
    func enforcement(for stack: StackIdentity) -> StackEnforcement? {
        guard let gate else { return nil }
        let settings = gate.resolver.settings(for: gate.packs, stack: stack)
        var mandatory: [String: [String]] = [:]
        for (key, level) in settings.levels where level == .mandatory || level == .remediate {
            mandatory[key.pack, default: []].append(key.policy)
        }
        return StackEnforcement(source: gate.source, mandatoryPolicies: mandatory.mapValues { $0.sorted() })
    }
}
