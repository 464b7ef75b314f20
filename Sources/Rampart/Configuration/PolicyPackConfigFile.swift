import Foundation
import RampartJSON
import RampartModel
import RampartPolicy

/// Pulumi's `--policy-pack-config` JSON, accepted as is so AWSGuard users keep their files:
/// `{"all": "mandatory", "<policy>": "advisory" | {"enforcementLevel": "...", "<property>": ...}}`.
/// The reserved key `environments` (ESC imports) is skipped; empty or blank content is an empty config.
public enum PolicyPackConfigFile {
    /// Parses `PACK=FILE` and reads the file.
    public static func load(argument: String) throws(RampartError) -> PackSettingsDraft {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .usage("--policy-pack-config '\(argument)': expected PACK=FILE")
        }
        guard let data = FileManager.default.contents(atPath: parts[1]) else {
            throw .configuration(file: parts[1], line: nil, column: nil, message: "cannot read the policy pack config file")
        }
        let pack = parts[0].hasPrefix("builtin:") ? String(parts[0].dropFirst("builtin:".count)) : parts[0]
        return try parse(Array(data), pack: pack, path: parts[1])
    }

    public static func parse(_ bytes: [UInt8], pack: String, path: String) throws(RampartError) -> PackSettingsDraft {
        var draft = PackSettingsDraft(pack: pack, location: SourceLocation(file: path), all: nil, policies: [])
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return draft }
        let document: JSONDocument
        do { document = try JSONDocument.parse(bytes) } catch {
            throw .configuration(file: path, line: error.line, column: error.column, message: error.reasonDescription)
        }
        func at(_ node: JSONNode) -> SourceLocation {
            let (line, column) = document.location(ofByteOffset: node.byteOffset)
            return SourceLocation(file: path, line: line, column: column)
        }
        let root = document.root
        guard root.kind == .object else { throw at(root).error("expected a JSON object of policy names") }
        for (keyNode, value) in root.members {
            let key = keyNode.string ?? ""
            if key == "environments" { continue }
            if key == "all" {
                guard let text = value.string else { throw at(value).error("\"all\": expected an enforcement level string") }
                draft.all = try LevelParser.parse(text, at: at(value), what: "\"all\"")
                continue
            }
            var policy = PolicySettingsDraft(policy: key, location: at(keyNode), level: nil, properties: [])
            switch value.kind {
            case .string:
                policy.level = try LevelParser.parse(value.string ?? "", at: at(value), what: "enforcement level for \"\(key)\"")
            case .object:
                for (propertyKey, propertyValue) in value.members {
                    let name = propertyKey.string ?? ""
                    if name == "enforcementLevel" {
                        guard let text = propertyValue.string else {
                            throw at(propertyValue).error("\"\(key)\".enforcementLevel: expected a string")
                        }
                        policy.level = try LevelParser.parse(text, at: at(propertyValue), what: "enforcement level for \"\(key)\"")
                    } else {
                        policy.properties.append((name, configValue(propertyValue), at(propertyValue)))
                    }
                }
                // CrossGuard drops entries with neither a level nor properties; they still name a policy to check.
            default:
                throw at(value).error("\"\(key)\": must be a string or object")
            }
            draft.policies.append(policy)
        }
        return draft
    }

    static func configValue(_ node: JSONNode) -> ConfigValue {
        switch node.kind {
        case .null: return .null
        case .bool: return .bool(node.bool ?? false)
        case .number: return .number(node.number ?? 0)
        case .string: return .string(node.string ?? "")
        case .array: return .array(node.elements.map(configValue))
        case .object:
            var members: [String: ConfigValue] = [:]
            for (key, value) in node.members { members[key.string ?? ""] = configValue(value) }
            return .object(members)
        }
    }
}
