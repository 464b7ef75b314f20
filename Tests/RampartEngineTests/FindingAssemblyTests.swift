import RampartModel
import RampartPolicy
import Testing
@testable import RampartEngine

/// The pieces the assembler uses to make findings cheaply must give what the plain versions give.
@Suite struct FindingAssemblyTests {
    @Test func urnSortKeysOrderLikeStrings() {
        let urns = [
            "urn:pulumi:prod::p::aws:s3/bucket:Bucket::b", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::a",
            "urn:pulumi:prod::p::aws:s3/bucket:Bucket::a-longer", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::",
            "", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::caf\u{E9}", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::cafe\u{301}",
            "urn:pulumi:prod::p::aws:s3/bucket:Bucket::cafz", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::Z",
            "urn:pulumi:prod::p::aws:s3/bucket:Bucket::\u{1F600}", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::a",
        ]
        let keys = URNSortKeys(urns)
        for a in urns.indices {
            for b in urns.indices {
                #expect(keys.less(a, b) == (urns[a] < urns[b]), "\(urns[a]) < \(urns[b])")
            }
        }
    }

    @Test func fingerprintFromASeedEqualsTheWholeHash() {
        let seed = Fingerprint.seed(stack: "org/project/prod", pack: "pack", policy: "policy")
        for (urn, detail) in [(String?.none, String?.none), ("urn:pulumi:prod::p::t::n", nil), (nil, "key"), ("u", "d")] {
            #expect(seed.finish(urn: urn, detail: detail)
                    == Fingerprint.of(stack: "org/project/prod", pack: "pack", policy: "policy", urn: urn, detail: detail))
        }
        #expect(Fingerprint.of(stack: "s", pack: "p", policy: "q", urn: nil, detail: nil).count == 32)
    }

    @Test func changingACopiedFindingLeavesTheOriginal() {
        let original = Finding(stack: "s", resource: ResourceRef(urn: "u", type: "t", name: "n"), pack: "p", policy: "q",
                               enforcementLevel: .mandatory, severity: .high, outcome: .violation, message: "m",
                               fingerprint: "f")
        var copy = original
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        copy.baselined = true
        copy.message = "changed"
        copy.exemption = ExemptionRecord(policy: "p/q", reason: "r")
        #expect(!original.baselined && original.message == "m" && original.exemption == nil && original.isActive)
        #expect(copy.baselined && copy.message == "changed" && copy.exemption?.reason == "r" && !copy.isActive)
        #expect(copy != original)
        let rebuilt = Finding(stack: "s", resource: ResourceRef(urn: "u", type: "t", name: "n"), pack: "p", policy: "q",
                              enforcementLevel: .mandatory, severity: .high, outcome: .violation, message: "m",
                              fingerprint: "f")
        #expect(rebuilt == original && rebuilt.hashValue == original.hashValue)
    }
}
