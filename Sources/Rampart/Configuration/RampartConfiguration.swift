import Foundation
import RampartEngine
import RampartPolicy
import Yams

/// A `rampart.yaml` as written (PRODUCT.md §4): packs, per-stack settings and exemptions, each with its
/// position in the file. Checked against the loaded packs by `ConfigurationResolver`.
public struct RampartConfiguration: Sendable {
    /// The file's path as given.
    public var path: String
    /// Pack references; paths already resolved against the file's directory.
    public var packs: [(reference: String, location: ConfigLocation)]
    /// Stack pattern → one pack's settings, in file order.
    public var stacks: [(pattern: String, settings: PackSettingsDraft)]
    public var exemptions: [(exemption: Exemption, policyLocation: ConfigLocation)]
    /// The policies to keep (`framework:`, `severity:`, `service:`); flags given on the command line replace a
    /// criterion set here.
    public var selection = PolicySelection()
    /// Where each selection key is, for errors about its names.
    public var selectionLocations: [PolicySelection.Criterion: ConfigLocation] = [:]

    public static let fileNames = ["rampart.yaml", "rampart.yml"]

    /// The config file in `directory`, if there is one.
    public static func find(in directory: String) -> String? {
        fileNames.map { directory + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Reads and parses a config file.
    public static func load(path: String) throws(RampartError) -> RampartConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(file: path, line: nil, column: nil, message: "cannot read the config file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .configuration(file: path, line: nil, column: nil, message: "not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses config text; `path` names it in errors and anchors relative pack paths.
    public static func parse(_ text: String, path: String) throws(RampartError) -> RampartConfiguration {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            if let yaml = error as? YamlError, let (line, column, problem) = YAMLErrorLocation.of(yaml) {
                throw .configuration(file: path, line: line, column: column, message: "invalid YAML: \(problem)")
            }
            throw .configuration(file: path, line: nil, column: nil, message: "invalid YAML")
        }
        var reader = ConfigNodeReader(file: path)
        var config = RampartConfiguration(path: path, packs: [], stacks: [], exemptions: [])
        guard let root else { return config }
        var selectionLists: [PolicySelection.Criterion: [String]] = [:]
        let directory = (path as NSString).deletingLastPathComponent
        for (key, value) in try reader.mapping(root, what: "the config file") {
            switch key.text {
            case "packs":
                for item in try reader.sequence(value, what: "packs") {
                    let reference = try reader.string(item, what: "a pack reference")
                    let resolved = reference.hasPrefix("builtin:") || reference.hasPrefix("/") || directory.isEmpty
                        ? reference : directory + "/" + reference
                    config.packs.append((resolved, reader.location(item)))
                }
            case "stacks":
                for (pattern, packs) in try reader.mapping(value, what: "stacks") {
                    try checkStackPattern(pattern.text, at: pattern.location)
                    for (pack, settings) in try reader.mapping(packs, what: "stacks.\"\(pattern.text)\"") {
                        config.stacks.append((pattern.text, try reader.packSettings(settings, pack: pack)))
                    }
                }
            case "exemptions":
                for item in try reader.sequence(value, what: "exemptions") {
                    config.exemptions.append(try reader.exemption(item))
                }
            case PolicySelection.Criterion.framework.rawValue, PolicySelection.Criterion.severity.rawValue,
                 PolicySelection.Criterion.service.rawValue:
                // A list, or one string that may hold several comma-separated names, as on the command line.
                let criterion = PolicySelection.Criterion(rawValue: key.text)!
                selectionLists[criterion] = try reader.sequence(value, what: key.text, allowSingle: true)
                    .map { node throws(RampartError) in try reader.string(node, what: "a \(key.text) name") }
                config.selectionLocations[criterion] = reader.location(value)
            default:
                let keys = ["exemptions", "framework", "packs", "service", "severity", "stacks"]
                throw key.location.error("unknown key '\(key.text)'" + Suggestion.didYouMean(key.text, among: keys)
                    + "; expected one of: " + keys.joined(separator: ", "))
            }
        }
        config.selection = try PolicySelection.parse(
            frameworks: selectionLists[.framework] ?? [], severities: selectionLists[.severity] ?? [],
            services: selectionLists[.service] ?? [], locations: config.selectionLocations)
        return config
    }

    static func checkStackPattern(_ pattern: String, at location: ConfigLocation) throws(RampartError) {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw location.error("stack pattern '\(pattern)': expected a glob over ORG/PROJECT/STACK (1 to 3 non-empty parts)")
        }
    }
}

/// Line, column and problem of a Yams error, when it has a mark.
enum YAMLErrorLocation {
    static func of(_ error: YamlError) -> (Int, Int, String)? {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return (mark.line, mark.column, problem)
        default:
            return nil
        }
    }
}
