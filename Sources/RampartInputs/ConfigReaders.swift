import Foundation
import RampartModel
import Yams

/// Reads `Pulumi.yaml` / `Pulumi.yml` / `Pulumi.json` (docs/formats.md §6): name, runtime, `stackConfigDir` (and the
/// legacy `config: ./dir/` form), `backend.url`, config declarations and values, and the keys declared secret in
/// `config` or `template.config`.
public struct ProjectFileReader: Sendable {
    public var loader: YAMLLoader

    public init(loader: YAMLLoader = YAMLLoader()) { self.loader = loader }

    /// Keys of a project config declaration object (`ProjectConfigType`).
    static let declarationKeys: Set<String> = ["type", "description", "items", "default", "value", "secret"]

    public func read(_ path: String) throws(InputError) -> ProjectFile {
        guard let root = try loader.compose(file: path) else {
            throw .yaml(file: path, line: 1, column: 1, message: "project file is empty, expected a mapping with at least 'name'")
        }
        return try read(root, path: path)
    }

    public func read(_ root: Node, path: String) throws(InputError) -> ProjectFile {
        guard case .mapping(let top) = root else {
            throw ConfigNodes.shapeError(path, root, expected: "a mapping with at least 'name'")
        }
        guard let nameNode = top.member("name"), case .scalar(let nameScalar) = nameNode, !nameScalar.string.isEmpty else {
            throw .yaml(file: path, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1,
                        message: "project file has no 'name', expected a project name")
        }
        var project = ProjectFile(path: path, name: nameScalar.string)
        switch top.member("runtime") {
        case .scalar(let s)?: project.runtime = s.string
        case .mapping(let m)?: project.runtime = m.member("name")?.scalar?.string
        default: break
        }
        project.stackConfigDir = top.member("stackConfigDir")?.scalar?.string
        if case .mapping(let backend)? = top.member("backend") { project.backendURL = backend.member("url")?.scalar?.string }

        switch top.member("config") {
        case .scalar(let s)?:
            // Legacy form: `config: ./dir/` names the stack config directory.
            if !s.string.isEmpty, project.stackConfigDir == nil { project.stackConfigDir = s.string }
        case .mapping(let config)?:
            try readDeclarations(config, project: &project, templates: false)
        case nil: break
        case let other?: throw ConfigNodes.shapeError(path, other, expected: "a mapping of config declarations or a directory path")
        }
        if case .mapping(let template)? = top.member("template"), case .mapping(let config)? = template.member("config") {
            try readDeclarations(config, project: &project, templates: true)
        }
        project.config.sort { ($0.line, $0.column, $0.key) < ($1.line, $1.column, $1.key) }
        return project
    }

    private func readDeclarations(_ config: Node.Mapping, project: inout ProjectFile, templates: Bool) throws(InputError) {
        let path = project.path
        for (keyNode, valueNode) in config {
            guard case .scalar(let keyScalar) = keyNode else { continue }
            let written = keyScalar.string
            let key = ConfigNodes.namespaced(written, project: project.name)
            if case .mapping(let m) = valueNode, m.keys.allSatisfy({ ProjectFileReader.declarationKeys.contains($0.scalar?.string ?? "") }) {
                if m.member("secret")?.scalar?.string.lowercased() == "true" { project.secretKeys.insert(key) }
                // A value or default written in the project file is committed in plaintext like any stack value.
                for field in ["value", "default"] {
                    guard let v = m.member(field) else { continue }
                    project.config.append(try ConfigNodes.entry(key: key, written: written, keyNode: keyNode, valueNode: v,
                                                                file: path, loader: loader))
                }
            } else if !templates {
                project.config.append(try ConfigNodes.entry(key: key, written: written, keyNode: keyNode, valueNode: valueNode,
                                                            file: path, loader: loader))
            }
        }
    }
}

/// Reads `Pulumi.<stack>.yaml` (docs/formats.md §7): namespaced config (unnamespaced keys rewritten to
/// `<project>:key`, the old `<ns>:config:<name>` form accepted), `secure:` values at any depth (kept as encrypted
/// secrets without their ciphertext), `secretsprovider`, `encryptionsalt`, `encryptedkey` and `environment` imports.
public struct StackConfigReader: Sendable {
    public var loader: YAMLLoader

    public init(loader: YAMLLoader = YAMLLoader()) { self.loader = loader }

    /// The short stack name in `Pulumi.<stack>.yaml`, or nil when the file name is not of that form.
    public static func stackName(fromFileName name: String) -> String? {
        for ext in [".yaml", ".yml", ".json"] where name.hasPrefix("Pulumi.") && name.hasSuffix(ext) {
            let stack = name.dropFirst("Pulumi.".count).dropLast(ext.count)
            return stack.isEmpty ? nil : String(stack)
        }
        return nil
    }

    /// Reads a stack file; `projectName` namespaces unnamespaced keys (left as written when nil).
    public func read(_ path: String, projectName: String?) throws(InputError) -> StackConfigFile {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let stack = StackConfigReader.stackName(fromFileName: fileName) ?? fileName
        guard let root = try loader.compose(file: path) else { return StackConfigFile(path: path, stackName: stack) }
        return try read(root, path: path, stackName: stack, projectName: projectName)
    }

    public func read(_ root: Node, path: String, stackName: String, projectName: String?) throws(InputError) -> StackConfigFile {
        var file = StackConfigFile(path: path, stackName: stackName)
        guard case .mapping(let top) = root else {
            throw ConfigNodes.shapeError(path, root, expected: "a mapping with 'config', 'secretsprovider', 'encryptionsalt', 'environment'")
        }
        file.secretsProvider = ConfigNodes.locatedScalar(top.member("secretsprovider"), file: path)
        file.encryptionSalt = ConfigNodes.locatedScalar(top.member("encryptionsalt"), file: path)
        file.encryptedKey = ConfigNodes.locatedScalar(top.member("encryptedkey"), file: path)
        file.environmentImports = try environmentImports(top.member("environment"), file: path)
        switch top.member("config") {
        case .mapping(let config)?:
            for (keyNode, valueNode) in config {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigNodes.shapeError(path, keyNode, expected: "a config key such as 'aws:region'")
                }
                let written = keyScalar.string
                let key = projectName.map { ConfigNodes.namespaced(written, project: $0) } ?? ConfigNodes.canonical(written)
                file.config.append(try ConfigNodes.entry(key: key, written: written, keyNode: keyNode, valueNode: valueNode,
                                                         file: path, loader: loader))
            }
        case nil: break
        case .scalar(let s)? where s.string.isEmpty || s.string == "~" || s.string == "null": break
        case let other?: throw ConfigNodes.shapeError(path, other, expected: "a mapping of config keys to values")
        }
        return file
    }

    /// `environment: [a/b, c]`, or an inline definition `environment: {imports: [...], values: {...}}`.
    private func environmentImports(_ node: Node?, file: String) throws(InputError) -> [String] {
        guard let node else { return [] }
        var list: Node?
        switch node {
        case .sequence: list = node
        case .mapping(let m): list = m.member("imports")
        case .scalar(let s): return s.string.isEmpty ? [] : [s.string]
        case .alias: return []
        }
        guard case .sequence(let items)? = list else { return [] }
        var names: [String] = []
        for item in items {
            switch item {
            case .scalar(let s): names.append(s.string)
            // `- env-name: {merge: false}`
            case .mapping(let m): names.append(contentsOf: m.keys.compactMap { $0.scalar?.string })
            default: throw ConfigNodes.shapeError(file, item, expected: "an environment name")
            }
        }
        return names
    }
}

/// Shared helpers of the config readers.
enum ConfigNodes {
    /// `ns:config:name` → `ns:name`; otherwise the key as written.
    static func canonical(_ key: String) -> String {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, parts[1] == "config" { return "\(parts[0]):\(parts[2])" }
        return key
    }

    /// Unnamespaced keys belong to the project (`loaders.go stackConfigNamespacedWithProject`).
    static func namespaced(_ key: String, project: String) -> String {
        key.contains(":") ? canonical(key) : "\(project):\(key)"
    }

    static func locatedScalar(_ node: Node?, file: String) -> Located<String>? {
        guard case .scalar(let s)? = node, !s.string.isEmpty else { return nil }
        return Located(s.string, at: SourceLocation(file: file, line: s.mark?.line ?? 1, column: s.mark?.column ?? 1))
    }

    static func entry(key: String, written: String, keyNode: Node, valueNode: Node, file: String,
                      loader: YAMLLoader) throws(InputError) -> ConfigEntry {
        var converter = YAMLConverter(file: file, recordPositions: true)
        converter.secureAware = true
        try converter.write(valueNode, path: "")
        let value: PropertyValue
        do { value = try PropertyValue.parse(json: converter.writer.string) } catch {
            throw .yaml(file: file, line: valueNode.mark?.line ?? 1, column: valueNode.mark?.column ?? 1,
                        message: "config value could not be converted")
        }
        // Scalars are located at the value; maps and lists at their key (their first line).
        let mark: Mark?
        if case .scalar = valueNode, !YAMLConverter.isSecureValue(valueNode) { mark = valueNode.mark } else { mark = keyNode.mark }
        let isSecure = converter.secureLeaves > 0 && converter.plainLeaves == 0
        return ConfigEntry(key: key, writtenKey: written, value: value, isSecure: isSecure,
                           containsSecure: converter.secureLeaves > 0, file: file, line: mark?.line ?? 1,
                           column: mark?.column ?? 1, positions: converter.positions)
    }

    static func shapeError(_ file: String, _ node: Node, expected: String) -> InputError {
        let found: String
        switch node {
        case .scalar: found = "a scalar"
        case .sequence: found = "a list"
        case .mapping: found = "a mapping"
        case .alias: found = "an alias"
        }
        return .yaml(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: "expected \(expected), found \(found)")
    }
}

extension Node.Mapping {
    /// The value of the last pair whose key is the scalar `key` (compared as text, whatever its tag).
    func member(_ key: String) -> Node? {
        for (k, v) in reversed() where k.scalar?.string == key { return v }
        return nil
    }
}
