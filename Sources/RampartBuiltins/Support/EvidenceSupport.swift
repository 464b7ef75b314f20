import RampartModel
import RampartPolicy

/// The kinds of evidence a policy reads. `rampart lint` runs the policies that read files.
public enum EvidenceKind: String, Sendable, Hashable, CaseIterable {
    case state
    case projectFile = "project-file"
    case stackFiles = "stack-files"
    case workflows
    case organization
    /// The settings of the bucket holding a self-managed backend (`Evidence.stateBuckets`), read by `audit`.
    case stateBucket = "state-bucket"

    /// Evidence that `rampart lint` gathers from a project directory.
    public static let files: Set<EvidenceKind> = [.projectFile, .stackFiles, .workflows]
}

/// A policy that says which evidence it reads, so a run can pick the policies its inputs can decide.
public protocol EvidenceDescribing: Policy {
    var evidence: Set<EvidenceKind> { get }
}

extension Evidence {
    /// The stack file of a stack: the one whose short name is the stack's (`Pulumi.<stack>.yaml`).
    public func stackFile(for stack: Stack) -> StackConfigFile? {
        stackFiles.first { $0.stackName == stack.identity.stack }
    }

    /// Whether Pulumi.yaml and workflow findings belong to this stack (see `projectFilesOwner`).
    public func ownsProjectFiles(_ stack: Stack) -> Bool {
        projectFilesOwner == nil || projectFilesOwner == stack.identity.description
    }

    /// `under DIR` for not-evaluable reasons, or `among the inputs` when no directory was searched.
    var whereSearched: String {
        searchedRoot.map { "under \($0)" } ?? "among the inputs"
    }
}

/// Messages and locations shared by the file-based policies.
enum EvidenceText {
    static func notEvaluable(_ missing: String) -> Outcome { .indeterminate("not evaluable: \(missing)") }

    /// `proj:db.password` for a nested path, `proj:db` for the entry itself.
    static func keyPath(_ entry: ConfigEntry, _ path: String) -> String {
        path.isEmpty ? entry.key : entry.key + "." + path
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
