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
