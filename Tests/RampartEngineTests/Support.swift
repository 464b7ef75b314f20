import RampartEngine
import RampartModel
import RampartPolicy

/// A small pack for engine tests: three resource policies over `test:index:Thing`, one of which proposes a fix.
enum TestPack {
    static let type = "test:index:Thing"

    static func policy(_ name: String, level: EnforcementLevel? = nil, fix: String? = nil,
                       schema: ConfigSchema = ConfigSchema()) -> SwiftResourcePolicy {
        SwiftResourcePolicy(PolicyDescriptor(name: name, description: "\(name) holds", enforcementLevel: level, configSchema: schema),
                            types: [type]) { thing, config in
            if try thing.truthy("ok") { return .pass }
            let limit = config.number("limit").map { " (limit \(Int($0)))" } ?? ""
            return .violation(Violation("\(thing.name) is not ok\(limit)", proposedFix: fix))
        }
    }

    static let limitSchema = ConfigSchema(properties: [
        "limit": ConfigProperty(type: .integer, description: "A limit.", default: .number(3), minimum: 1, maximum: 10),
        "mode": ConfigProperty(type: .string, default: .string("strict"), allowed: [.string("strict"), .string("lax")]),
    ])

    static var pack: PolicyPack {
        PolicyPack(name: "test-pack", version: "1.0.0", description: "engine tests", enforcementLevel: .advisory,
                   policies: [policy("alpha"), policy("beta", level: .mandatory), policy("gamma", schema: limitSchema),
                              policy("fixable", level: .remediate, fix: "set ok: true"), policy("unfixable", level: .remediate)],
                   origin: "test")
    }

    /// A stack of `Thing`s named after `names`, each not ok unless listed in `ok`.
    static func stack(_ names: [String], ok: Set<String> = [], identity: String = "acme/web/prod") throws -> Stack {
        let resources = names.map { ExampleResource($0, type: type, properties: ok.contains($0) ? #"{"ok": true}"# : #"{"ok": false}"#) }
        var stack = try PolicyExampleRunner.makeStack(PolicyExample(resources: resources, expect: .pass))
        stack.identity = StackIdentity(parsing: identity)!
        return stack
    }

    static func engine(resolver: SettingsResolver = SettingsResolver(), exemptions: [Exemption] = [],
                       jobs: Int = 1) -> Engine {
        Engine(packs: [pack], resolver: resolver, exemptions: exemptions, options: EngineOptions(jobs: jobs, today: "2026-11-26"))
    }

    static let identity = StackIdentity(parsing: "acme/web/prod")!
}
