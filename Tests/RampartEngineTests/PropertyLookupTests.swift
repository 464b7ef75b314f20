import RampartJSON
import RampartModel
import RampartPolicy
import Testing

/// `PropertyLookup`'s `require…` helpers: unknown and encrypted values stop a policy as indeterminate, named by
/// a path that is spelled out only then.
@Suite struct PropertyLookupTests {
    static let unknown = PulumiSignature.unknown

    @Test func aKnownValueIsReturnedWithoutSpellingOutItsPath() throws {
        let value = PropertyLookup(try PropertyValue.parse(json: #"{"spec": {"replicas": 2, "on": true}}"#))
        var spelled = 0
        func path() -> String { spelled += 1; return "spec.replicas" }
        #expect(try value.at("spec.replicas").requireNumber(path()) == 2)
        #expect(try value.at("spec.on").requireBool(path()) == true)
        #expect(try value.at("spec.absent").require(path()).isAbsent)
        #expect(spelled == 0)
    }

    @Test func aDottedPathReadsWhatChainedSubscriptsRead() throws {
        let json = #"""
        {"a": {"b": [10, {"c": "x"}, [true]], "0": "zero", "k\u00e9y": 1, "d": 1, "d": 2},
         "s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "{\"p\": [5]}"},
         "e": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"},
         "u": "\#(Self.unknown)", "n": null, "arr": [[1, 2], {"1": "key one"}],
         "asset": {"4dabf18193072939515e22adb298388d": "\#(PulumiSignature.asset)", "path": "./f"},
         "o": {"v": {"4dabf18193072939515e22adb298388d": "\#(PulumiSignature.outputValue)", "value": {"k": 1}}}}
        """#
        // Parsed marking Pulumi's signature key, as every reader does, and without it (a value made some other
        // way): `at` follows plain objects on the tape, the signature objects by their own rules, either way.
        for value in [PropertyLookup(try PropertyValue.parse(json: json)),
                      PropertyLookup(PropertyValue(node: try JSONDocument.parse(json).root))] {
            try Self.expectAtReadsAsChainedSubscripts(value)
        }
        let preview = PropertyLookup(PropertyValue(node: try JSONDocument.parse(#"{"a": {"b": "[secret]", "c": "[secreT]"}}"#).root,
                                                   dialect: .preview))
        func isEncrypted(_ lookup: PropertyLookup) -> Bool { if case .encrypted = lookup { return true } else { return false } }
        #expect(isEncrypted(preview.at("a.b")))
        #expect(preview.at("a.c").string == "[secreT]")
        #expect(isEncrypted(preview.at("a.b.x")))
    }

    static func expectAtReadsAsChainedSubscripts(_ value: PropertyLookup) throws {
        // The reading `at` stands for: each non-empty segment an index when the value is an array and the segment
        // a number, else a key.
        func chained(_ path: String) -> PropertyLookup {
            var current = value
            for segment in path.split(separator: ".", omittingEmptySubsequences: true).map(String.init) {
                if current.value?.kind == .array, let i = Int(segment) { current = current[i] } else { current = current[segment] }
            }
            return current
        }
        func describe(_ lookup: PropertyLookup) -> String {
            switch lookup {
            case .absent: return "absent"
            case .unknown: return "unknown"
            case .encrypted: return "encrypted"
            case .value(let v): return "\(v.kind) \(v.node.byteOffset)"
            }
        }
        let paths = ["a", "a.b", "a.b.0", "a.b.1.c", "a.b.2.0", "a.b.3", "a.b.-1", "a.b.c", "a.b.+1", "a.0", "a.kéy", "a.d",
                     "a..b.1", ".a.b", "a.b.", "", "s", "s.p", "s.p.0", "e", "e.x", "u", "u.x", "n", "n.x", "arr.0.1",
                     "arr.1.1", "arr.1.x", "missing.x", "a.b.1.c.x", "asset", "asset.path", "asset.x.y", "o.v", "o.v.k",
                     "s.4dabf18193072939515e22adb298388d"]
        for path in paths {
            #expect(describe(value.at(path)) == describe(chained(path)), "\(path)")
        }
        #expect(value.at("a.d").number == 2)
        #expect(value.at("s.p.0").number == 5)
        #expect(value.at("arr.1.1").string == "key one")
    }

    @Test func anUnknownOrEncryptedValueIsIndeterminateNamedByItsPath() throws {
        let json = #"{"a": "\#(Self.unknown)", "s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "x"}}"#
        let value = PropertyLookup(try PropertyValue.parse(json: json))
        #expect(throws: PolicyControl.self) { try value["a"].requireBool("spec.a") }
        do {
            _ = try value["a"].requireString("spec.a")
            Issue.record("an unknown value must not read as known")
        } catch {
            #expect(error.outcome == .indeterminate("spec.a is not known until the resource is deployed (preview unknown)"))
        }
        do {
            _ = try value["s"].requireElements("spec.s")
            Issue.record("an encrypted value must not read as known")
        } catch {
            #expect(error.outcome == .indeterminate("spec.s is an encrypted secret"))
        }
    }
}
