import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy

/// One thing a run evaluates: a stack (possibly resource-less) with the evidence its file policies read.
struct Subject {
    var stack: Stack
    var evidence: Evidence
}

/// Where a command's subjects come from. Subjects are produced one at a time, so a source that reads big stacks
/// holds one in memory.
protocol SubjectSource {
    /// How many subjects `next()` will produce.
    var count: Int { get }
    /// What the report lists as its inputs.
    var inputs: [String] { get }
    /// Inputs that could not be read so far (the run goes on without them).
    var failures: [InputFailure] { get }
    /// The engine's settings for these subjects, from the run's.
    func resolver(_ base: SettingsResolver, packs: [PolicyPack]) -> SettingsResolver
    mutating func next() throws(RampartError) -> Subject?
}

extension SubjectSource {
    func resolver(_ base: SettingsResolver, packs: [PolicyPack]) -> SettingsResolver { base }
    var failures: [InputFailure] { [] }
}

extension InputFailure {
    init(_ error: InputError) {
        self.init(file: error.file, line: error.position?.line, column: error.position?.column, message: error.description)
    }
}

/// No subjects (`rampart policies`).
struct NoSubjects: SubjectSource {
    var count: Int { 0 }
    var inputs: [String] { [] }
    mutating func next() throws(RampartError) -> Subject? { nil }
}

/// State exports, checkpoints, previews, event logs and backend directories, read one stack at a time — local
/// files, or remote locations (`pulumi://`, `s3://`, `gs://`) through `RemoteInputs`, whose stacks are fetched
/// ahead of the reader.
///
/// An input that cannot be found or read costs only itself: it is recorded as a failure and the next one is read,
/// so one half-written checkpoint does not leave the other stacks of a backend unscanned. Only when nothing at all
/// could be read and there was a single failure does the run stop with that one located error, as before.
struct InputSubjects: SubjectSource {
    /// Where the next stacks come from: one local file, or every stack of a remote input.
    private enum Pending {
        case file(InputSource)
        case remote(any RemoteStackStream)
    }

    let inputs: [String]
    private(set) var failures: [InputFailure] = []
    private let pending: [Pending]
    let count: Int
    private let reader: InputReader
    private let identity: StackIdentity?
    private var position = 0
    private var read = 0
    private var firstError: InputError?

    init(inputs: [String], reader: InputReader, identity: StackIdentity?, remote: (any RemoteInputs)? = nil) throws(RampartError) {
        guard !inputs.isEmpty else { throw .usage("no input given: pass a state export, checkpoint, preview JSON or backend directory") }
        self.inputs = inputs
        self.reader = reader
        self.identity = identity
        var pending: [Pending] = []
        var count = 0
        for input in inputs {
            do throws(InputError) {
                if let remote, remote.handles(input) {
                    let stream = try remote.open(input, jobs: reader.jobs, sizeLimit: reader.sizeLimit)
                    pending.append(.remote(stream))
                    count += stream.sources.count
                } else if RemoteLocationScheme.isRemote(input) {
                    throw InputError.unreadable(file: input, reason: "remote locations (pulumi://, s3://, gs://) are read by the rampart command line; this build has no remote support")
                } else {
                    let sources = try reader.discover(input)
                    pending.append(contentsOf: sources.map(Pending.file))
                    count += sources.count
                }
            } catch {
                failures.append(InputFailure(error))
                firstError = firstError ?? error
            }
        }
        self.pending = pending
        self.count = count
        if identity != nil && count > 1 {
            throw .usage("--stack names one stack but the inputs hold \(count) stacks; drop --stack or scan one file")
        }
    }

    mutating func next() throws(RampartError) -> Subject? {
        while position < pending.count {
            do throws(InputError) {
                var stack: Stack
                switch pending[position] {
                case .file(let source):
                    position += 1
                    stack = try reader.read(source)
                case .remote(let stream):
                    guard let fetched = stream.next() else { position += 1; continue }
                    stack = try reader.read(bytes: fetched.bytes.get(), source: fetched.source)
                }
                if let identity { stack.identity = identity }
                read += 1
                return Subject(stack: stack, evidence: .none)
            } catch {
                failures.append(InputFailure(error))
                firstError = firstError ?? error
            }
        }
        if read == 0, failures.count == 1, let firstError { throw .input(firstError) }
        return nil
    }
}

/// The URL schemes of remote inputs, known to the core so that a build without remote support says so.
enum RemoteLocationScheme {
    static let prefixes = ["pulumi://", "s3://", "gs://", "azblob://"]
    static func isRemote(_ input: String) -> Bool { prefixes.contains { input.hasPrefix($0) } }
}

/// A Pulumi project directory: one resource-less stack per stack file (`<project>/<stack>`), each seeing the project
/// file, the workflows and only its own stack file, so levels, exemptions and every reporter work as for `scan`.
struct ProjectSubjects: SubjectSource {
    /// Stack name used when the project has no stack file.
    static let projectOnlyStack = "(no stack file)"

    let inputs: [String]
    private var subjects: [Subject]

    init(directory: String, discoverer: ProjectDiscoverer, stack: StackIdentity?) throws(RampartError) {
        let evidence = try ProjectSubjects.discover(directory, discoverer: discoverer, stack: stack?.stack)
        inputs = ProjectSubjects.files(evidence)
        subjects = ProjectSubjects.stacks(for: evidence, directory: directory, organization: stack?.organization)
            .map { Subject(stack: $0.0, evidence: $0.1) }.reversed()
    }

    var count: Int { subjects.count }

    mutating func next() throws(RampartError) -> Subject? { subjects.popLast() }

    static func discover(_ directory: String, discoverer: ProjectDiscoverer, stack: String? = nil) throws(RampartError) -> Evidence {
        let evidence: Evidence
        do { evidence = try discoverer.discover(directory, stack: stack) } catch { throw .input(error) }
        if evidence.project == nil && evidence.stackFiles.isEmpty && evidence.workflows.isEmpty {
            throw .usage("\(directory): no Pulumi project found (expected Pulumi.yaml, Pulumi.yml or Pulumi.json, Pulumi.<stack>.yaml files, .github/workflows/*.yml or .gitlab-ci.yml)")
        }
        return evidence
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
    static func files(_ evidence: Evidence) -> [String] {
        [evidence.project?.path].compactMap { $0 } + evidence.stackFiles.map(\.path) + evidence.workflows.map(\.path)
    }
}
