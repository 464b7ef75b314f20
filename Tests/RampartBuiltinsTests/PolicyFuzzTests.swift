import Foundation
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// Built-in policies cannot trap (docs/robustness.md): they read properties only through total accessors
/// (`PropertyLookup` answers absent/unknown/encrypted/value, never traps on a wrong type). This property test backs
/// the claim: every resource policy of every built-in pack meets seeded random and mutated property values of its own
/// types — wrong types at every key it might read, unknowns, secrets, huge and odd numbers, deep nesting, empty
/// containers — and stack policies meet the whole generated graph. A trap would kill the test process; an `error`
/// outcome would mean a policy threw on a value, which is reported here too.
@Suite struct PolicyFuzzTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let unknown = "\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\""
    static let signature = #""4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270""#
    /// Keys policies commonly read, so random values land where policies look.
    static let keys = ["acl", "tags", "versioning", "enabled", "encrypted", "kmsKeyId", "ingress", "egress", "cidrBlocks",
                       "fromPort", "toPort", "protocol", "publiclyAccessible", "storageEncrypted", "policy", "logging",
                       "serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm",
                       "spec", "template", "containers", "securityContext", "privileged", "image", "metadata", "properties",
                       "networkAcls", "minimumTlsVersion", "enableHttpsTrafficOnly", "settings", "ipConfiguration",
                       "requireSsl", "authorizedNetworks", "value", "kind", "name", "port", "ports", "rules", "statement",
                       "Effect", "Principal", "Action", "Resource", "engine", "multiAz", "backupRetentionPeriod", "deletionProtection"]

    static func value(_ rng: inout SeededGenerator, depth: Int) -> String {
        let choice = Int.random(in: 0..<(depth > 4 ? 12 : 16), using: &rng)
        switch choice {
        case 0: return "null"
        case 1: return Bool.random(using: &rng) ? "true" : "false"
        case 2: return ["0", "-1", "1e308", "-1e308", "0.5", "65535", "65536", "-0", "9007199254740993", "22", "3389"].randomElement(using: &rng)!
        case 3: return ["\"\"", "\"*\"", "\"0.0.0.0/0\"", "\"::/0\"", "\"private\"", "\"public-read\"", "\"aws:kms\"", "\"AES256\"",
                        "\"-1\"", "\"true\"", "\"{\\\"Statement\\\": 3}\"", "\"\\u0000\"", "\"é中🔑\"", "\"22\"", "\"tcp\""].randomElement(using: &rng)!
        case 4: return unknown
        case 5: return "{\(signature), \"ciphertext\": \"v1:abc\"}"
        case 6: return "{\(signature), \"plaintext\": \"\\\"0.0.0.0/0\\\"\"}"
        case 7: return "{\(signature), \"plaintext\": \"{\\\"enabled\\\": false}\"}"
        case 8: return "[]"
        case 9: return "{}"
        case 10: return "\"" + String(repeating: "x", count: Int.random(in: 0...3000, using: &rng)) + "\""
        case 11: return "{\"4dabf18193072939515e22adb298388d\": \"0def7320c3a5731c473e5ecbe6d01bc7\", \"path\": \"x\"}"
        case 12, 13: return object(&rng, depth: depth + 1)
        default:
            let count = Int.random(in: 0...4, using: &rng)
            return "[" + (0..<count).map { _ in value(&rng, depth: depth + 1) }.joined(separator: ", ") + "]"
        }
    }

    static func object(_ rng: inout SeededGenerator, depth: Int) -> String {
        let count = Int.random(in: 0...6, using: &rng)
        var members: [String: String] = [:]
        for _ in 0..<count { members[keys.randomElement(using: &rng)!] = value(&rng, depth: depth) }
        return "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// Every resource type some built-in resource policy selects by name.
    static let types: [String] = {
        var set = Set<String>()
        for pack in BuiltinPacks.all {
            for case let policy as any ResourcePolicy in pack.policies { set.formUnion(policy.types.exact) }
        }
        return set.sorted()
    }()

    static func state(seed: UInt64) -> String {
        var rng = SeededGenerator(state: seed)
        let stack = "urn:pulumi:prod::fuzz::pulumi:pulumi:Stack::fuzz-prod"
        var resources = [#"{"urn": "\#(stack)", "custom": false, "type": "pulumi:pulumi:Stack"}"#]
        for (i, type) in types.enumerated() {
            let props = Bool.random(using: &rng) ? object(&rng, depth: 0) : value(&rng, depth: 0).replacingOccurrences(of: "^[^{].*", with: "{}", options: .regularExpression)
            let inputs = object(&rng, depth: 1)
            let deps = i > 1 && Bool.random(using: &rng) ? #", "dependencies": ["urn:pulumi:prod::fuzz::\#(types[i - 1])::r\#(i - 1)"]"# : ""
            resources.append(#"{"urn": "urn:pulumi:prod::fuzz::\#(type)::r\#(i)", "custom": true, "id": "r\#(i)", "type": "\#(type)", "parent": "\#(stack)", "inputs": \#(inputs), "outputs": \#(props)\#(deps)}"#)
        }
        return #"{"version": 3, "deployment": {"manifest": {}, "resources": [\#(resources.joined(separator: ",\n"))]}}"#
    }

    @Test(arguments: Array(UInt64(1)...UInt64(40)))
    func builtinPoliciesNeitherTrapNorThrowOnRandomValues(seed: UInt64) throws {
        #expect(Self.types.count > 20)
        let text = Self.state(seed: seed)
        for source in [PropertySourceChoice.state, .preview] {
            var stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "fuzz-\(seed).json"))
            if source == .preview { stack.propertySource = .inputs }
            let engine = Engine(packs: BuiltinPacks.all, options: EngineOptions(jobs: 1, today: "2026-01-01"))
            let result = engine.evaluate(stack)
            let errors = result.findings.filter { $0.outcome == .error }
            #expect(errors.isEmpty, "seed \(seed): \(errors.prefix(3).map { "\($0.policy): \($0.message)" })")
            #expect(result.summary.resourceCount == Self.types.count + 1)
            #expect(result.evaluations.count > Self.types.count, "policies ran")
        }
    }

    enum PropertySourceChoice { case state, preview }
}
