import Foundation
import RampartPolicy

/// A loaded YAML pack: the pack value and where it came from (its directory holds `tests/`).
public struct LoadedRulePack: Sendable {
    public var pack: PolicyPack
    /// The pack directory, or the directory holding a single rule file.
    public var directory: String
    /// The files read, in order (pack.yaml or the rule file first).
    public var files: [String]
}

/// Loads YAML policy packs: a directory with `pack.yaml` (and the files it includes), or a single rule file with
/// `name`/`version` at its top. The whole pack is rejected on the first problem, with its location.
public struct RulePackLoader: Sendable {
    var reader = YAMLDocumentReader()
    /// Most directory entries walked when expanding `include` globs (a pack pointed at a huge tree stops here).
    var maxWalkedFiles = 10_000
    /// Most files one `include` glob may match.
    var maxIncludedFiles = 1_000

    public init() {}

    /// Budgets, for tests: document size in bytes and nodes after alias expansion.
    public init(maxBytes: Int, maxNodes: Int) {
        reader.budget.maxBytes = maxBytes
        reader.budget.maxNodes = maxNodes
    }

    static let packKeys = ["name", "version", "description", "enforcementLevel", "include", "policies"]
    static let ruleFileKeys = ["name", "version", "description", "enforcementLevel", "policies"]

    public func load(at path: String) throws(RulesError) -> LoadedRulePack {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            let manifest = (path as NSString).appendingPathComponent("pack.yaml")
            guard FileManager.default.fileExists(atPath: manifest) else {
                throw .unreadable(file: path, reason: "a pack directory must hold pack.yaml")
            }
            return try load(manifest: manifest, directory: path, allowInclude: true)
        }
        return try load(manifest: path, directory: (path as NSString).deletingLastPathComponent, allowInclude: false)
    }

    private func load(manifest: String, directory: String, allowInclude: Bool) throws(RulesError) -> LoadedRulePack {
        let doc = DocumentChecker(file: manifest)
        guard let root = try reader.read(file: manifest) else {
            throw .invalid(file: manifest, line: 1, column: 1, message: "found an empty document, expected a mapping with name, version and policies")
        }
        let m = try doc.mapping(root, allowInclude ? "pack.yaml" : "a rule file")
        try doc.checkKeys(m, allowed: allowInclude ? Self.packKeys : Self.ruleFileKeys, in: allowInclude ? "pack.yaml" : "a rule file")
        let what = allowInclude ? "pack.yaml" : "a rule file used as a pack"
        let nameNode = try doc.require(m, "name", in: what, expected: "the pack's name")
        let name = try doc.scalarText(nameNode, "'name' of the pack")
        guard PolicyPack.isValidName(name) else {
            throw doc.fail(nameNode, "invalid pack name '\(name)': expected 1–100 characters from a-z, A-Z, 0-9, '-', '_', '.'")
        }
        let version = try doc.scalarText(try doc.require(m, "version", in: what, expected: "the pack's version, e.g. 1.0.0"), "'version' of the pack")
        let description = try m["description"].map { (n) throws(RulesError) in try doc.string(n, "'description' of the pack") } ?? ""
        let level = try m["enforcementLevel"].map { (n) throws(RulesError) in
            try doc.oneOf(n, "'enforcementLevel' of the pack", EnforcementLevel.self)
        } ?? .advisory

        var checked: [PolicyChecker.Checked] = []
        var files = [manifest]
        var owners: [String: (file: String, node: YAMLNode)] = [:]
        func add(_ policies: [PolicyChecker.Checked], file: String) throws(RulesError) {
            for p in policies {
                if let first = owners[p.name] {
                    throw .invalid(file: file, line: p.nameNode.line, column: p.nameNode.column,
                                   message: "duplicate policy name '\(p.name)' (first defined at \(first.file):\(first.node.line):\(first.node.column)); expected names unique in the pack")
                }
                owners[p.name] = (file, p.nameNode)
                checked.append(p)
            }
        }
        if let policiesNode = m["policies"] { try add(try policies(policiesNode, doc), file: manifest) }
        if let includeNode = m["include"] {
            for file in try includes(includeNode, doc: doc, directory: directory) {
                files.append(file)
                try add(try loadIncluded(file), file: file)
            }
        }
        if m["policies"] == nil && m["include"] == nil {
            throw doc.fail(root, "\(what) has no 'policies'\(allowInclude ? " and no 'include'" : ""); expected at least one policy")
        }
        let pack = PolicyPack(name: name, version: version, description: description, enforcementLevel: level,
                              policies: checked.map(\.policy), origin: allowInclude ? directory : manifest)
        return LoadedRulePack(pack: pack, directory: directory, files: files)
    }

    private func policies(_ node: YAMLNode, _ doc: DocumentChecker) throws(RulesError) -> [PolicyChecker.Checked] {
        guard let items = node.sequence else { throw doc.wrongType(node, "'policies'", expected: "a list of policies") }
        var out: [PolicyChecker.Checked] = []
        for item in items { out.append(try PolicyChecker(doc: doc).policy(item)) }
        return out
    }

    private func loadIncluded(_ file: String) throws(RulesError) -> [PolicyChecker.Checked] {
        let doc = DocumentChecker(file: file)
        guard let root = try reader.read(file: file) else {
            throw .invalid(file: file, line: 1, column: 1, message: "found an empty document, expected a mapping with 'policies'")
        }
        let m = try doc.mapping(root, "an included policy file")
        try doc.checkKeys(m, allowed: ["policies"], in: "an included policy file")
        return try policies(try doc.require(m, "policies", in: "an included policy file", expected: "a list of policies"), doc)
    }

    // MARK: - Includes

    /// Expands `include` globs relative to the pack. A glob that leaves the pack — by `..`, an absolute path, or a
    /// symlink resolving outside it — is rejected, as is a glob that matches nothing.
    private func includes(_ node: YAMLNode, doc: DocumentChecker, directory: String) throws(RulesError) -> [String] {
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.path
        var result: [String] = []
        var seen = Set<String>()
        for (pattern, item) in try doc.strings(node, "'include'") {
            let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
            if pattern.hasPrefix("/") || pattern.hasPrefix("~") || parts.contains("..") {
                throw doc.fail(item, "include '\(pattern)' leaves the pack directory; expected a glob relative to the pack, such as policies/*.yaml")
            }
            var matched: [String] = []
            let candidates: [String]
            do { candidates = try Self.files(under: root, limit: maxWalkedFiles) } catch {
                throw doc.fail(item, "the pack directory \(root) holds more than \(maxWalkedFiles) files; expected a pack directory holding its policy files and tests only")
            }
            for relative in candidates where IncludeGlob.matches(pattern, relative) {
                let full = (root as NSString).appendingPathComponent(relative)
                let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().standardizedFileURL.path
                guard resolved == root || resolved.hasPrefix(root + "/") else {
                    throw doc.fail(item, "include '\(pattern)' leaves the pack directory: '\(relative)' resolves to \(resolved), outside \(root)")
                }
                if resolved.hasSuffix("/pack.yaml") && (resolved as NSString).deletingLastPathComponent == root { continue }
                matched.append(resolved)
            }
            if matched.count > maxIncludedFiles {
                throw doc.fail(item, "include '\(pattern)' matches \(matched.count) files, more than the limit of \(maxIncludedFiles); expected a glob matching the pack's policy files")
            }
            if matched.isEmpty {
                throw doc.fail(item, "include '\(pattern)' matches no file in the pack; expected a glob matching policy files")
            }
            for file in matched.sorted() where seen.insert(file).inserted { result.append(file) }
        }
        return result
    }

    /// Every regular file under `root` (following symlinks to files, never into directories: the enumerator does not
    /// descend through directory links, so link loops cannot make it run forever), as paths relative to it, sorted.
    /// Directories named `tests` at the top are skipped: they hold fixtures, not policies. Throws `WalkLimit` past
    /// `limit` entries.
    static func files(under root: String, limit: Int) throws(WalkLimit) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        var walked = 0
        while let relative = enumerator.nextObject() as? String {
            walked += 1
            if walked > limit { throw WalkLimit() }
            if relative == "tests" || relative.hasPrefix("tests/") || relative.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let full = (root as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue { out.append(relative) }
        }
        return out.sorted()
    }

    /// The pack directory holds more entries than the walk accepts.
    struct WalkLimit: Error {}
}

/// Include globs: `*` and `?` within one path segment, `**` across segments. Matching is dynamic programming over
/// (pattern segment, path segment), so patterns like `**/**/**/…` cost O(pattern × path), not exponential time.
enum IncludeGlob {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let s = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // reachable[j]: the first i pattern segments can match the first j path segments.
        var reachable = [Bool](repeating: false, count: s.count + 1)
        reachable[0] = true
        for segment in p {
            var next = [Bool](repeating: false, count: s.count + 1)
            if segment == "**" {
                var any = false
                for j in 0...s.count {
                    any = any || reachable[j]
                    next[j] = any
                }
            } else {
                for j in 0..<s.count where reachable[j] {
                    next[j + 1] = Glob.matches(segment, s[j]) && !(segment.contains("*") && s[j].hasPrefix("."))
                }
            }
            reachable = next
        }
        return reachable[s.count]
    }
}
