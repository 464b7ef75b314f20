import Foundation
import RampartEngine
import RampartModel
import RampartPolicy
import RampartYAML
import Yams

/// A `rampart.yaml` as written (docs/product.md §4): packs, per-stack settings and exemptions, each with its
/// position in the file. Checked against the loaded packs by `ConfigurationResolver`.
public struct RampartConfiguration: Sendable {
    /// The file's path as given.
    public var path: String
    /// Pack references; paths already resolved against the file's directory.
    public var packs: [(reference: String, location: SourceLocation)]
    /// Stack pattern → one pack's settings, in file order.
    public var stacks: [(pattern: String, settings: PackSettingsDraft)]
    public var exemptions: [(exemption: Exemption, policyLocation: SourceLocation)]
    /// The policies to keep (`framework:`, `severity:`, `service:`); flags given on the command line replace a
    /// criterion set here.
    public var selection = PolicySelection()
    /// Where each selection key is, for errors about its names.
    public var selectionLocations: [PolicySelection.Criterion: SourceLocation] = [:]

    public static let fileNames = ["rampart.yaml", "rampart.yml"]

    /// The config file in `directory`, if there is one.
    public static func find(in directory: String) -> String? {
        fileNames.map { directory + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Reads and parses a config file, under the one `YAMLBudget` of every YAML document Rampart reads.
    public static func load(path: String, budget: YAMLBudget = .standard) throws(RampartError) -> RampartConfiguration {
        let root: Node?
        do { root = try YAMLReader(budget: budget).compose(file: path) } catch { throw RampartError(error) }
        return try parse(root, path: path)
    }

    /// Parses config text; `path` names it in errors and anchors relative pack paths.
    public static func parse(_ text: String, path: String, budget: YAMLBudget = .standard) throws(RampartError) -> RampartConfiguration {
        let root: Node?
        do { root = try YAMLReader(budget: budget).compose(bytes: Array(text.utf8), file: path) } catch { throw RampartError(error) }
        return try parse(root, path: path)
    }

    private static func parse(_ root: Node?, path: String) throws(RampartError) -> RampartConfiguration {
        let reader = ConfigNodeReader(file: path)
        var config = RampartConfiguration(path: path, packs: [], stacks: [], exemptions: [])
        guard let root else { return config }
        var selectionLists: [PolicySelection.Criterion: [String]] = [:]
        let directory = (path as NSString).deletingLastPathComponent
        for (key, value) in try reader.mapping(root, what: "the config file") {
            switch key.value {
            case "packs":
                for item in try reader.sequence(value, what: "packs") {
                    let reference = try reader.string(item, what: "a pack reference")
                    let resolved = reference.hasPrefix("builtin:") || reference.hasPrefix("/") || directory.isEmpty
                        ? reference : directory + "/" + reference
                    config.packs.append((resolved, reader.location(item)))
                }
            case "stacks":
                for (pattern, packs) in try reader.mapping(value, what: "stacks") {
                    try checkStackPattern(pattern.value, at: pattern.location)
                    for (pack, settings) in try reader.mapping(packs, what: "stacks.\"\(pattern.value)\"") {
                        config.stacks.append((pattern.value, try reader.packSettings(settings, pack: pack)))
                    }
                }
            case "exemptions":
                for item in try reader.sequence(value, what: "exemptions") {
                    config.exemptions.append(try reader.exemption(item))
                }
            case PolicySelection.Criterion.framework.rawValue, PolicySelection.Criterion.severity.rawValue,
                 PolicySelection.Criterion.service.rawValue:
                // A list, or one string that may hold several comma-separated names, as on the command line.
                let criterion = PolicySelection.Criterion(rawValue: key.value)!
                selectionLists[criterion] = try reader.sequence(value, what: key.value, allowSingle: true)
                    .map { node throws(RampartError) in try reader.string(node, what: "a \(key.value) name") }
                config.selectionLocations[criterion] = reader.location(value)
            default:
                let keys = ["exemptions", "framework", "packs", "service", "severity", "stacks"]
                throw key.location.error("unknown key '\(key.value)'" + Suggestion.hint(for: key.value, in: keys)
                    + "; expected one of: " + keys.joined(separator: ", "))
            }
        }
        config.selection = try PolicySelection.parse(
            frameworks: selectionLists[.framework] ?? [], severities: selectionLists[.severity] ?? [],
            services: selectionLists[.service] ?? [], locations: config.selectionLocations)
        return config
    }

    static func checkStackPattern(_ pattern: String, at location: SourceLocation) throws(RampartError) {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw location.error("stack pattern '\(pattern)': expected a glob over ORG/PROJECT/STACK (1 to 3 non-empty parts)")
        }
    }
}
