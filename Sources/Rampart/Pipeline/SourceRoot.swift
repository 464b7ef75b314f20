import Foundation
import RampartInputs
import RampartModel
import RampartPolicy
import RampartReports

/// Finds the repository that the files of a run live in, so SARIF and GitHub reports name them as GitHub does.
enum SourceRoot {
    /// The source paths of a run: the repository root is `--source-root`, else the git work tree holding the first
    /// subject (a project directory or input file), else there is none and paths stay as found. A stack read from a
    /// file has its relative paths (a preview's `project://` positions) start at its Pulumi project: the nearest
    /// directory at or above the file holding a Pulumi.yaml, else the file's own directory.
    static func paths(for subjects: Subjects, report: ScanReport, sourceRoot: String?) -> SourcePaths? {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let absolute = { (path: String) in path.hasPrefix("/") ? path : workingDirectory + "/" + path }
        guard let root = sourceRoot.map(absolute) ?? anchor(subjects).flatMap({ gitRoot(above: absolute($0)) }) else { return nil }
        var bases: [String: String] = [:]
        for stack in report.stacks where stack.kind != InputKind.projectConfig.rawValue && !stack.source.isEmpty {
            let directory = URL(fileURLWithPath: absolute(stack.source)).deletingLastPathComponent().path
            bases[stack.name] = projectDirectory(above: directory, within: root) ?? directory
        }
        return SourcePaths(root: root, bases: bases, defaultBase: workingDirectory)
    }

    /// Where to start looking for the repository.
    private static func anchor(_ subjects: Subjects) -> String? {
        switch subjects {
        case .inputs(let inputs): return inputs.first
        case .project(let directory): return directory
        case .audit(let inputs, let projects, _): return projects.first ?? inputs.first
        case .none: return nil
        }
    }

    /// The nearest directory at or above `path` holding `.git` (a directory, or a file in a worktree).
    static func gitRoot(above path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            url.deleteLastPathComponent()
        }
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// The nearest directory at or above `directory`, not above `root`, holding a Pulumi project file.
    private static func projectDirectory(above directory: String, within root: String) -> String? {
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        let top = URL(fileURLWithPath: root).standardizedFileURL.path
        while url.path.hasPrefix(top) {
            for name in ProjectDiscoverer.projectFileNames
            where FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path) {
                return url.path
            }
            if url.path == top { return nil }
            url.deleteLastPathComponent()
        }
        return nil
    }
}
