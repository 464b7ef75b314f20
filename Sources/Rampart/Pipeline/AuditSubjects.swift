import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy

/// An audit's subjects: the state stacks (as `scan` reads them), each with the files of its project when a project
/// directory holds them, then one resource-less stack per stack file no state matched (as `lint` evaluates them),
/// then one subject for the organisation itself (`(organization)`, where organisation-wide items are reported once).
/// Every subject sees the organisation snapshot and which packs the configuration makes mandatory for it.
struct AuditSubjects: SubjectSource {
    let inputs: [String]
    private(set) var failures: [InputFailure] = []
    private var subjects: [Subject]
    private let separateOrganization: Bool

    init(inputs: [String], projects: [String], organizationPath: String?, identity: StackIdentity?, reader: InputReader,
         discoverer: ProjectDiscoverer, remote: (any RemoteInputs)? = nil, saveOrganization: String? = nil,
         setup: RunSetup, today: String) throws(RampartError) {
        let snapshot = try organizationPath.map { path throws(RampartError) in
            try AuditSubjects.readSnapshot(path, remote: remote, saveTo: saveOrganization)
        }
        var stacks = try AuditSubjects.readStacks(inputs: inputs, projects: projects, identity: identity, reader: reader,
                                                  discoverer: discoverer, remote: remote, failures: &failures)
        let buckets = AuditSubjects.readStateBuckets(inputs: inputs, remote: remote, failures: &failures)
        let organization = OrganizationScope.identity(organization: snapshot?.organization ?? stacks.first?.stack.identity.organization)
        separateOrganization = !stacks.isEmpty
        stacks.append(Subject(stack: Stack(identity: organization, source: organizationPath ?? "(no organisation snapshot)",
                                           kind: .projectConfig, propertySource: .outputs, graph: ResourceGraph(resources: [])),
                              evidence: Evidence()))
        let gate = setup.settingsSource.map { (packs: setup.declaredPacks, resolver: setup.resolver, source: $0) }
        subjects = stacks.map { subject in
            var subject = subject
            subject.evidence.organization = snapshot
            subject.evidence.stateBuckets = buckets
            subject.evidence.organizationSubject = organization.description
            subject.evidence.today = today
            subject.evidence.enforcement = gate.map { AuditSubjects.enforcement($0, for: subject.stack.identity) }
            return subject
        }.reversed()
        self.inputs = inputs + projects + [organizationPath].compactMap { $0 }
    }

    var count: Int { subjects.count }

    /// The organisation snapshot from a file, or assembled from the API for a remote location (`pulumi://ORG`); read
    /// by the one `OrgSnapshotReader` either way. `saveTo` (`--save-org`) keeps the assembled document, written
    /// atomically, before it is read, so a snapshot that fails to read can still be inspected.
    static func readSnapshot(_ path: String, remote: (any RemoteInputs)? = nil, saveTo: String? = nil) throws(RampartError) -> OrganizationSnapshot {
        guard let remote, remote.handles(path) else {
            do { return try OrgSnapshotReader().read(path) } catch { throw .input(error) }
        }
        let bytes: [UInt8]
        do { bytes = try remote.organizationSnapshot(path) } catch { throw .input(error) }
        if let saveTo { try ReportWriter.writeAtomically(bytes, to: saveTo) }
        do { return try OrgSnapshotReader().read(bytes, file: path) } catch { throw .input(error) }
    }

    mutating func next() throws(RampartError) -> Subject? { subjects.popLast() }

    /// When the organisation subject sits beside real stacks, every policy that does not read the organisation
    /// snapshot is disabled on it (the real stacks answer those).
    func resolver(_ base: SettingsResolver, packs: [PolicyPack]) -> SettingsResolver {
        guard separateOrganization else { return base }
        var resolver = base
        let pattern = "*/\(OrganizationScope.project)/\(OrganizationScope.stack)"
        for pack in packs {
            var layer = PackSettingsLayer()
            for policy in pack.policies {
                let evidence = (policy as? any EvidenceDescribing)?.evidence ?? []
                // The state bucket's items are organisation-wide too: reported once, on this subject.
                if evidence != [.organization] && !evidence.contains(.stateBucket) { layer.levels[policy.descriptor.name] = .disabled }
            }
            resolver.stackLayers.append((pattern, pack.name, layer))
        }
        return resolver
    }

    /// The settings of the buckets behind the audited `s3://` and `gs://` backends, one per bucket; a backend
    /// whose bucket cannot be asked at all is listed as a failed input.
    static func readStateBuckets(inputs: [String], remote: (any RemoteInputs)?, failures: inout [InputFailure]) -> [StateBucket] {
        guard let remote else { return [] }
        var buckets: [StateBucket] = []
        for input in inputs where remote.handles(input) {
            do throws(InputError) {
                if let bucket = try remote.stateBucket(input), !buckets.contains(where: { $0.service == bucket.service && $0.name == bucket.name }) {
                    buckets.append(bucket)
                }
            } catch {
                failures.append(InputFailure(error))
            }
        }
        return buckets
    }

    /// Which configured packs have policies at mandatory (or remediate) for the stack.
    static func enforcement(_ gate: (packs: [PolicyPack], resolver: SettingsResolver, source: String),
                            for stack: StackIdentity) -> StackEnforcement {
        let settings = gate.resolver.settings(for: gate.packs, stack: stack)
        var mandatory: [String: [String]] = [:]
        for (key, level) in settings.levels where level == .mandatory || level == .remediate {
            mandatory[key.pack, default: []].append(key.policy)
        }
        return StackEnforcement(source: gate.source, mandatoryPolicies: mandatory.mapValues { $0.sorted() })
    }

    /// State stacks with the files of their project, then the project stack files no state matched.
    static func readStacks(inputs: [String], projects directories: [String], identity: StackIdentity?, reader: InputReader,
                           discoverer: ProjectDiscoverer, remote: (any RemoteInputs)?, failures: inout [InputFailure]) throws(RampartError) -> [Subject] {
        var projects: [Evidence] = []
        for directory in directories { projects.append(try ProjectSubjects.discover(directory, discoverer: discoverer)) }
        var result: [Subject] = []
        var matched = Set<String>()
        if !inputs.isEmpty {
            var states = try InputSubjects(inputs: inputs, reader: reader, identity: identity, remote: remote)
            while let state = try states.next() {
                var evidence = Evidence()
                for (index, project) in projects.enumerated() where project.project?.name == state.stack.identity.project {
                    evidence = project
                    evidence.stackFiles = project.stackFiles.filter { $0.stackName == state.stack.identity.stack }
                    evidence.projectFilesOwner = state.stack.identity.description
                    for file in evidence.stackFiles { matched.insert("\(index):\(file.path)") }
                    break
                }
                result.append(Subject(stack: state.stack, evidence: evidence))
            }
            failures = states.failures
        }
        for (index, project) in projects.enumerated() {
            var rest = project
            rest.stackFiles = project.stackFiles.filter { !matched.contains("\(index):\($0.path)") }
            if rest.stackFiles.isEmpty && project.stackFiles.count > 0 { continue }
            result.append(contentsOf: ProjectSubjects.stacks(for: rest, directory: directories[index], organization: nil)
                .map { Subject(stack: $0.0, evidence: $0.1) })
        }
        return result
    }
}
