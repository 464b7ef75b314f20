import Foundation
import RampartModel

/// Finds the stacks under a directory: a DIY backend root (`.pulumi/stacks/<project>/<stack>.json`, the legacy
/// `.pulumi/stacks/<stack>.json`), a `.pulumi` folder itself, or any folder of state/preview files.
/// Backups, history, locks and `.bak` files are not stacks. Symlinked directories are followed once.
struct BackendLayout {
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
        var newest: [String: (path: String, modified: Date, identity: StackIdentity)] = [:]
        func consider(_ path: String, identity: StackIdentity) {
            let modified = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            let key = identity.description
            if let existing = newest[key], existing.modified > modified || (existing.modified == modified && existing.path < path) { return }
            newest[key] = (path, modified, identity)
        }
        let entries = (try? fm.contentsOfDirectory(atPath: stacksDir)) ?? []
        for entry in entries.sorted() {
            let path = stacksDir + "/" + entry
            if isDirectory(path) {
                // Project layout: stacks/<project>/<stack>.json
                for file in ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                    guard let stack = BackendLayout.stackName(ofCheckpoint: file) else { continue }
                    consider(path + "/" + file, identity: StackIdentity(organization: "organization", project: entry, stack: stack))
                }
            } else if let stack = BackendLayout.stackName(ofCheckpoint: entry) {
                // Legacy layout: stacks/<stack>.json (project comes from the content).
                consider(path, identity: StackIdentity(organization: nil, project: nil, stack: stack))
            }
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
