import PulumiRPC
import RampartEngine
import RampartModel
import RampartPolicy
import SwiftProtobuf

/// `GetAnalyzerInfo`: the served pack, every policy with its description, level, severity and config schema.
struct AnalyzerInfoBuilder {
    let pack: AnalyzerPack

    /// Levels are those of the stack `ConfigureStack` named, rampart.yaml included; per-stack properties from
    /// rampart.yaml go out as `initialConfig`, so Pulumi layers `--policy-pack-config` over them.
    func info(stack: StackIdentity, resolver: SettingsResolver) -> Pulumirpc_AnalyzerInfo {
        let settings = resolver.settings(for: pack.packs, stack: stack)
        var info = Pulumirpc_AnalyzerInfo()
        info.name = pack.name
        info.displayName = pack.name
        info.version = pack.version
        info.description_p = pack.description
        // Pulumi injects `enforcementLevel` into every schema and validates config files only when this is set.
        info.supportsConfig = true
        info.policies = pack.entries.map { entry in
            policyInfo(entry, level: settings.levels[entry.key] ?? entry.policy.descriptor.enforcementLevel ?? .advisory)
        }
        for entry in pack.entries {
            let defaults = entry.policy.descriptor.configSchema.defaults
            guard let config = settings.configs[entry.key], config != defaults else { continue }
            var initial = Pulumirpc_PolicyConfig()
            initial.enforcementLevel = ConfigMapping.wire(settings.levels[entry.key] ?? .advisory)
            for (key, value) in config.values { initial.properties.fields[key] = WireValues.wireValue(value) }
            info.initialConfig[entry.wireName] = initial
        }
        return info
    }

    private func policyInfo(_ entry: AnalyzerPack.Entry, level: EnforcementLevel) -> Pulumirpc_PolicyInfo {
        let d = entry.policy.descriptor
        var info = Pulumirpc_PolicyInfo()
        info.name = entry.wireName
        info.displayName = d.name
        info.description_p = d.description
        info.enforcementLevel = ConfigMapping.wire(level)
        info.severity = ConfigMapping.wire(d.severity)
        info.policyType = entry.isStackPolicy ? .stack : .resource
        if let remediation = d.remediation { info.remediationSteps = remediation }
        if let framework = d.frameworks.first {
            var f = Pulumirpc_PolicyComplianceFramework()
            f.name = framework.name
            f.version = framework.version ?? ""
            f.reference = framework.control ?? ""
            info.framework = f
        }
        info.tags = d.frameworks.map { [$0.name, $0.version, $0.control].compactMap { $0 }.joined(separator: " ") }
        if !d.configSchema.isEmpty { info.configSchema = Self.schema(d.configSchema) }
        return info
    }

    /// A Rampart config schema as Pulumi's `{properties: {name: JSON Schema}, required}`.
    static func schema(_ schema: ConfigSchema) -> Pulumirpc_PolicyConfigSchema {
        var result = Pulumirpc_PolicyConfigSchema()
        for name in schema.properties.keys.sorted() {
            result.properties.fields[name] = Google_Protobuf_Value(structValue: (jsonSchema(schema.properties[name]!)))
        }
        result.required = schema.required.sorted()
        return result
    }

    static func jsonSchema(_ property: ConfigProperty) -> Google_Protobuf_Struct {
        var s = typeSchema(property.type)
        if let description = property.description { s.fields["description"] = Google_Protobuf_Value(stringValue: description) }
        if let value = property.defaultValue { s.fields["default"] = WireValues.wireValue(value) }
        if let allowed = property.allowed {
            s.fields["enum"] = Google_Protobuf_Value(listValue: (Google_Protobuf_ListValue(values: allowed.map(WireValues.wireValue))))
        }
        if let minimum = property.minimum { s.fields["minimum"] = Google_Protobuf_Value(numberValue: minimum) }
        if let maximum = property.maximum { s.fields["maximum"] = Google_Protobuf_Value(numberValue: maximum) }
        return s
    }

    static func typeSchema(_ type: ConfigType) -> Google_Protobuf_Struct {
        var s = Google_Protobuf_Struct()
        switch type {
        case .any: break  // `{}` accepts anything
        case .array(let items):
            s.fields["type"] = Google_Protobuf_Value(stringValue: "array")
            if let items { s.fields["items"] = Google_Protobuf_Value(structValue: (typeSchema(items))) }
        default:
            s.fields["type"] = Google_Protobuf_Value(stringValue: type.name)
        }
        return s
    }
}
