import Foundation
import Rampart
import RampartEngine
import RampartPolicy
import Yams

/// Reads the pack directory the engine points the analyzer at:
///
/// ```
/// my-policy-pack/
///   PulumiPolicy.yaml   runtime: rampart (plus version, description; runtime.options for the analyzer)
///   rampart.yaml        packs, per-stack levels and exemptions, as for `rampart scan`   — or —
///   pack.yaml …         the directory itself is a Rampart YAML pack
/// ```
public struct AnalyzerPackDirectory: Sendable {
    public var directory: String
    /// Swift packs compiled into this analyzer build, named `builtin:<name>` like Rampart's own.
    public var compiledPacks: [PolicyPack]

    public init(directory: String, compiledPacks: [PolicyPack] = []) {
        self.directory = directory
        self.compiledPacks = compiledPacks
    }

    /// The served pack. `overrides` are `-name=value` runtime options from the command line; they win over
    /// PulumiPolicy.yaml's `runtime.options`.
    public func load(overrides: [String: String] = [:]) throws(AnalyzerError) -> AnalyzerPack {
        let project = try readPolicyProject()
        var options = project.options
        options.merge(overrides) { _, new in new }
        let setup = try loadPacks()
        let name = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        return try AnalyzerPack(packs: setup.packs, name: PolicyPack.isValidName(name) ? name : "rampart",
                                version: project.version, description: project.description,
                                settings: setup.resolver, exemptions: setup.exemptions, options: try Self.options(options))
    }

    // MARK: - Packs

    /// Packs, per-stack settings and exemptions exactly as `rampart scan --config DIR/rampart.yaml` reads them;
    /// without a rampart.yaml, the directory itself as a Rampart YAML pack.
    func loadPacks() throws(AnalyzerError) -> (packs: [PolicyPack], resolver: SettingsResolver, exemptions: [Exemption]) {
        let options: RunOptions
        if let config = RampartConfiguration.find(in: directory) {
            options = RunOptions(configPath: config)
        } else if ["pack.yaml", "pack.yml"].contains(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
            options = RunOptions(packs: [URL(fileURLWithPath: directory).standardizedFileURL.path])
        } else {
            throw .noPacks(directory: directory)
        }
        // The pipeline's configure phase, as `rampart scan` runs it; a host has no run-level checks to make.
        do {
            let setup = try Pipeline(extraPacks: compiledPacks).configure(options, for: .host)
            return (setup.packs, setup.resolver, setup.exemptions)
        } catch { throw .packLoading(message: error.description) }
    }

    // MARK: - PulumiPolicy.yaml

    struct PolicyProject {
        var version: String?
        var description: String?
        var options: [String: String] = [:]
    }

    private func readPolicyProject() throws(AnalyzerError) -> PolicyProject {
        let path = directory + "/PulumiPolicy.yaml"
        guard FileManager.default.fileExists(atPath: path) else { return PolicyProject() }
        guard case .mapping(let mapping)? = try yaml(at: path) else {
            throw .invalidFile(path: path, message: "expected a mapping (runtime, version, description)")
        }
        var project = PolicyProject()
        project.version = mapping["version"]?.string
        project.description = mapping["description"]?.string
        if case .mapping(let runtime)? = mapping["runtime"], case .mapping(let options)? = runtime["options"] {
            for (key, value) in options {
                if let k = key.string, let v = value.string { project.options[k] = v }
            }
        }
        return project
    }

    private func yaml(at path: String) throws(AnalyzerError) -> Node? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalidFile(path: path, message: "cannot read the file as UTF-8 text")
        }
        do { return try Yams.compose(yaml: text) } catch {
            throw .invalidFile(path: path, message: "invalid YAML: \(error)")
        }
    }

    // MARK: - Options

    /// Known runtime options; anything else is an error naming the accepted ones.
    static func options(_ raw: [String: String]) throws(AnalyzerError) -> AnalyzerOptions {
        var options = AnalyzerOptions()
        for key in raw.keys.sorted() {
            let value = raw[key]!
            switch key {
            case "indeterminate":
                switch value {
                case "hide": options.reportIndeterminate = false
                case "advisory": options.reportIndeterminate = true
                default: throw .usage("runtime option indeterminate=\(value): expected 'hide' or 'advisory'")
                }
            default:
                throw .usage("unknown runtime option '\(key)'; the Rampart analyzer accepts: indeterminate (hide | advisory)")
            }
        }
        return options
    }
}
