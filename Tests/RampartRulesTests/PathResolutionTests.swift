import RampartJSON
import RampartModel
import RampartPolicy
import Testing
@testable import RampartRules

/// A compiled path resolves to the same value as stepping through `Item`s one segment at a time, whatever it meets on
/// the way: plain objects and arrays, nulls, unknowns, secrets (decrypted or not) and output values.
@Suite struct PathResolutionTests {
    static let properties = #"""
    {"plain": {"a": {"b": [1, {"c": "x"}]}},
     "nothing": null,
     "later": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
     "secret": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                "plaintext": "{\"user\": \"admin\", \"list\": [7]}"},
     "hidden": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "xyz"},
     "output": {"4dabf18193072939515e22adb298388d": "d0e6a833031e9bbcd3f4e8bde6ca49a4",
                "value": {"k": "v"}, "secret": false},
     "asset": {"4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", "text": "hi"},
     "list": [{"n": 1}, null, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]}
    """#

    static let paths = [
        "plain", "plain.a", "plain.a.b", "plain.a.b[0]", "plain.a.b[1].c", "plain.a.b[2]", "plain.a.b.c", "plain.missing",
        "nothing", "nothing.x", "later", "later.x", "later[0]", "secret", "secret.user", "secret.list[0]",
        "secret.missing", "hidden", "hidden.ciphertext", "output", "output.value", "output.k", "output.value.k",
        "asset", "asset.text", "list", "list[0].n", "list[1].n", "list[2].n", "list[3]", "list.n", "plain[0]",
        "[\"plain\"].a",
    ]

    @Test(arguments: paths)
    func aCompiledPathReachesWhatStepByStepReaches(_ text: String) throws {
        let root = Item(try PropertyValue.parse(json: Self.properties))
        let path = try PathParser.path(text, allowEmpty: false)
        #expect(path.keyPath != nil)
        var stepped = root
        for segment in path.segments {
            switch segment {
            case .key(let k): stepped = stepped[k]
            case .index(let i): stepped = stepped[i]
            case .everyElement, .everyMember: Issue.record("wildcard in \(text)")
            }
        }
        let stack = try RuleHarness.stack("- { type: \"test:index:Thing\", name: t, props: {} }")
        let scope = Scope(stack: stack, index: 0, config: PolicyConfig()).element(root)
        let resolved = Evaluator(policy: "p", defaults: PolicyConfig()).resolve(.props(path), scope)
        #expect(Self.describe(resolved) == Self.describe(stepped), "\(text)")
    }

    /// What an item is, down to the position of the value in its document (a decrypted secret's plaintext is parsed
    /// into a new document on every read, so documents are told apart by their size, not their identity).
    static func describe(_ item: Item) -> String {
        switch item {
        case .absent: return "absent"
        case .null: return "null"
        case .unknown: return "unknown"
        case .encrypted: return "encrypted"
        case .value(.property(let v, let kind), let secret):
            return "property \(kind) at \(v.node.byteOffset) of \(v.node.document.byteCount) bytes, secret \(secret)"
        case .value(.plain(let c), let secret): return "plain \(c) secret \(secret)"
        }
    }
}
