import Foundation
import RampartModel

/// Reads CI workflow files: GitHub Actions (`.github/workflows/*.yml|yaml`) and GitLab CI (`.gitlab-ci.yml`),
/// keeping the whole document as a value plus the position of every node by path.
public struct WorkflowReader: Sendable {
    public var loader: YAMLLoader

    public init(loader: YAMLLoader = YAMLLoader()) { self.loader = loader }

    /// The CI system a path belongs to, from its name and place.
    public static func kind(of path: String) -> WorkflowFile.Kind {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return name.hasPrefix(".gitlab-ci") ? .gitlabCI : .githubActions
    }

    public func read(_ path: String) throws(InputError) -> WorkflowFile {
        let kind = WorkflowReader.kind(of: path)
        guard let loaded = try loader.load(file: path) else {
            return WorkflowFile(path: path, kind: kind, document: try! PropertyValue.parse(json: "{}"))
        }
        guard loaded.value.kind == .object else {
            let p = loaded.positions[""]
            throw .yaml(file: path, line: p?.line ?? 1, column: p?.column ?? 1,
                        message: "expected a workflow mapping (with 'jobs:' or job definitions), found \(loaded.value.kind.rawValue)")
        }
        return WorkflowFile(path: path, kind: kind, document: loaded.value, positions: loaded.positions)
    }
}

/// Finds what `rampart lint DIR` looks at: the Pulumi project file, its stack files (next to it, in
/// `stackConfigDir`, or the legacy `config: ./dir/`), and CI workflows (in DIR or, for a project inside a larger
/// repository, in the nearest ancestor up to the repository root that has them).
public struct ProjectDiscoverer: Sendable {
    public var projectReader: ProjectFileReader
    public var stackReader: StackConfigReader
    public var workflowReader: WorkflowReader

    public init(loader: YAMLLoader = YAMLLoader()) {
        projectReader = ProjectFileReader(loader: loader)
        stackReader = StackConfigReader(loader: loader)
        workflowReader = WorkflowReader(loader: loader)
    }

    /// Reads everything under `directory`. `stack` keeps only `Pulumi.<stack>.yaml`.
    public func discover(_ directory: String, stack: String? = nil) throws(InputError) -> Evidence {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw .unreadable(file: directory, reason: "no such directory")
        }
        guard isDirectory.boolValue else { throw .unreadable(file: directory, reason: "not a directory, expected a Pulumi project directory") }
        let root = ProjectDiscoverer.normalised(directory)

        var evidence = Evidence(searchedRoot: directory)
        let projectCandidates = ProjectDiscoverer.projectFileNames.map { ProjectDiscoverer.join(root, $0) }
            .filter { FileManager.default.fileExists(atPath: $0) }
        if projectCandidates.count > 1 {
            throw .unreadable(file: projectCandidates[1], reason: "more than one project file in \(directory) (\(projectCandidates.map { ProjectDiscoverer.fileName($0) }.joined(separator: ", "))); keep one")
        }
        if let projectPath = projectCandidates.first { evidence.project = try projectReader.read(projectPath) }

        let configDirectory = evidence.project?.stackConfigDir.map { dir in
            dir.hasPrefix("/") ? dir : ProjectDiscoverer.join(root, dir)
        } ?? root
        let stackPaths = ProjectDiscoverer.stackFiles(in: ProjectDiscoverer.normalised(configDirectory))
        var stackFiles: [StackConfigFile] = []
        for path in stackPaths {
            guard let name = StackConfigReader.stackName(fromFileName: ProjectDiscoverer.fileName(path)) else { continue }
            if let stack, name != stack { continue }
            stackFiles.append(try stackReader.read(path, projectName: evidence.project?.name))
        }
        if let stack, stackFiles.isEmpty {
            let available = stackPaths.compactMap { StackConfigReader.stackName(fromFileName: ProjectDiscoverer.fileName($0)) }
            throw .unreadable(file: ProjectDiscoverer.join(configDirectory, "Pulumi.\(stack).yaml"),
                              reason: "no stack file for --stack \(stack)" + (available.isEmpty ? "" : " (found: \(available.joined(separator: ", ")))"))
        }
        evidence.stackFiles = stackFiles.sorted { $0.stackName < $1.stackName }

        var workflows: [WorkflowFile] = []
        for path in ProjectDiscoverer.workflowFiles(from: root) { workflows.append(try workflowReader.read(path)) }
        evidence.workflows = workflows
        return evidence
    }

    // MARK: - File finding

    /// The names a Pulumi project file can have, in the order Pulumi looks for them.
    public static let projectFileNames = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"]

    /// `dir/name`, or just `name` for the current directory, so `rampart lint .` reports `Pulumi.prod.yaml`.
    static func join(_ directory: String, _ name: String) -> String {
        var name = Substring(name)
        while name.hasPrefix("./") { name = name.dropFirst(2) }
        if directory == "." || directory.isEmpty { return String(name) }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// Drops trailing slashes and `./` so reported paths stay short and stable.
    static func normalised(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        while p.hasSuffix("/.") && p.count > 2 { p.removeLast(2) }
        return p
    }

    static func stackFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard let stack = StackConfigReader.stackName(fromFileName: name) else { return false }
            return !stack.isEmpty
        }.sorted().map { ProjectDiscoverer.join(directory, $0) }
    }

    /// Workflows of the nearest directory (DIR, then its ancestors up to the one holding `.git`) that has any.
    static func workflowFiles(from root: String) -> [String] {
        var directory = URL(fileURLWithPath: root).standardizedFileURL
        for _ in 0..<32 {
            let found = workflowFiles(in: directory.path)
            if !found.isEmpty { return found.map { relativise($0, to: root, base: directory.path) } }
            let isRepositoryRoot = FileManager.default.fileExists(atPath: directory.path + "/.git")
            let parent = directory.deletingLastPathComponent()
            if isRepositoryRoot || parent.path == directory.path { break }
            directory = parent
        }
        return []
    }

    private static func workflowFiles(in directory: String) -> [String] {
        var result: [String] = []
        let github = directory + "/.github/workflows"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: github)) ?? []
        for name in names.sorted() where name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            result.append(github + "/" + name)
        }
        for name in [".gitlab-ci.yml", ".gitlab-ci.yaml"] where FileManager.default.fileExists(atPath: directory + "/" + name) {
            result.append(directory + "/" + name)
        }
        return result
    }

    /// Paths under DIR keep DIR's spelling (`./.github/…`); ancestors' files are shown as found.
    private static func relativise(_ path: String, to root: String, base: String) -> String {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL.path
        if base == rootURL, path.hasPrefix(base + "/") { return join(root, String(path.dropFirst(base.count + 1))) }
        return path
    }
}
