import Foundation
import RampartModel

/// Finds the stacks under a directory: a DIY backend root (`.pulumi/stacks/<project>/<stack>.json`, the legacy
/// `.pulumi/stacks/<stack>.json`), a `.pulumi` folder itself, or any folder of state/preview files.
/// Backups, history, locks and `.bak` files are not stacks. Symlinked directories are followed once.
public struct BackendLayout {
    let root: String
    private let fm = FileManager.default

    func sources() throws(InputError) -> [InputSource] {
        let candidates = [root + "/.pulumi/stacks", root + "/stacks"]
        for stacksDir in candidates where isDirectory(stacksDir) {
            // `root/stacks` only counts when root is itself a `.pulumi` folder (has meta.yaml or is named so).
            if stacksDir == root + "/stacks" && !(root.hasSuffix(".pulumi") || fm.fileExists(atPath: root + "/meta.yaml")) { continue }
            return try backendSources(stacksDir)
        }
        return try folderSources()
    }

    private func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return fm.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    /// Strips `.json`, `.json.gz`, `.json.zst`; nil for anything that is not a current checkpoint name.
    static func stackName(ofCheckpoint file: String) -> String? {
        for suffix in [".json.gz", ".json.zst", ".json"] where file.hasSuffix(suffix) {
            let stem = String(file.dropLast(suffix.count))
            return stem.isEmpty ? nil : stem
        }
        return nil
    }

    private func backendSources(_ stacksDir: String) throws(InputError) -> [InputSource] {
        var entries: [StoredObject] = []
        func modified(_ path: String) -> Date { (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast }
        for entry in ((try? fm.contentsOfDirectory(atPath: stacksDir)) ?? []).sorted() {
            let path = stacksDir + "/" + entry
            if isDirectory(path) {
                for file in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    entries.append(StoredObject(key: entry + "/" + file, modified: modified(path + "/" + file)))
                }
            } else {
                entries.append(StoredObject(key: entry, modified: modified(path)))
            }
        }
        return BackendLayout.checkpoints(entries, stacksLocation: stacksDir)
    }

    /// The current checkpoints among the objects under a backend's `stacks` folder, one per stack (the newest when
    /// a stack has several, e.g. `dev.json` and `dev.json.gz`), the same for a local directory and a bucket:
    /// project layout `<project>/<stack>.json[.gz|.zst]`, legacy layout `<stack>.json` (project from the content).
    /// Anything deeper or not named like a checkpoint (`.bak`, history) is not a stack. `stacksLocation` is prefixed
    /// to each key with `/` to form the source's path.
    public static func checkpoints(_ entries: [StoredObject], stacksLocation: String) -> [InputSource] {
        var newest: [String: (path: String, modified: Date, identity: StackIdentity)] = [:]
        for entry in entries {
            let parts = entry.key.split(separator: "/", omittingEmptySubsequences: false)
            let identity: StackIdentity
            switch parts.count {
            case 2 where !parts[0].isEmpty:
                guard let stack = stackName(ofCheckpoint: String(parts[1])) else { continue }
                identity = StackIdentity(organization: "organization", project: String(parts[0]), stack: stack)
            case 1:
                guard let stack = stackName(ofCheckpoint: String(parts[0])) else { continue }
                identity = StackIdentity(organization: nil, project: nil, stack: stack)
            default:
                continue
            }
            let path = stacksLocation + "/" + entry.key
            let key = identity.description
            if let existing = newest[key], existing.modified > entry.modified || (existing.modified == entry.modified && existing.path < path) { continue }
            newest[key] = (path, entry.modified, identity)
        }
        return newest.values.sorted { $0.path < $1.path }.map { source in
            // Legacy-layout identity is completed from the checkpoint content later.
            source.identity.project == nil ? InputSource(path: source.path) : InputSource(path: source.path, impliedIdentity: source.identity)
        }
    }

    private static let skippedDirectories: Set<String> = ["history", "backups", "locks", ".git", "node_modules", ".build"]

    private func folderSources() throws(InputError) -> [InputSource] {
        var result: [InputSource] = []
        var visited = Set<String>()
        var queue = [root]
        while let dir = queue.popLast() {
            let resolved = (dir as NSString).resolvingSymlinksInPath
            guard visited.insert(resolved).inserted else { continue }  // symlink loop or revisit
            guard let entries = try? fm.contentsOfDirectory(atPath: dir) else {
                throw .unreadable(file: dir, reason: "cannot list directory")
            }
            for entry in entries.sorted() {
                let path = dir + "/" + entry
                if isDirectory(path) {
                    if entry == ".pulumi", isDirectory(path + "/stacks") {
                        result.append(contentsOf: try backendSources(path + "/stacks"))
                    } else if !BackendLayout.skippedDirectories.contains(entry) && !entry.hasPrefix(".") {
                        queue.append(path)
                    }
                } else if entry.hasSuffix(".json") || entry.hasSuffix(".json.gz") || entry.hasSuffix(".json.zst") || entry.hasSuffix(".jsonl") {
                    result.append(InputSource(path: path))
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }
}

/// One stored object of a backend — a file of a local backend directory or an object of a bucket: its key (a path
/// relative to what lists it) and when it was last written.
public struct StoredObject: Sendable, Hashable {
    public var key: String
    public var modified: Date

    public init(key: String, modified: Date) {
        self.key = key
        self.modified = modified
    }
}
