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

    @Test func urnSortKeysJoinedFromPartsEqualOneList() {
        let urns = ["urn:b", "urn:caf\u{E9}", "urn:a", "", "urn:a", "urn:cafe\u{301}", "urn:z"]
        var parts = [URNSortKeys.Part(), URNSortKeys.Part(), URNSortKeys.Part()]
        for (position, urn) in urns.enumerated() { parts[position < 2 ? 0 : position < 5 ? 1 : 2].append(urn, at: position) }
        let joined = URNSortKeys(parts: parts), whole = URNSortKeys(urns)
        for a in urns.indices {
            for b in urns.indices { #expect(joined.less(a, b) == whole.less(a, b) && whole.less(a, b) == (urns[a] < urns[b])) }
        }
    }

    /// URNs out of order, two equal ones, some not ASCII, and a resource no outcome names.
    @Test(arguments: [1, 2, 3, 8])
    func evaluatedResourcesAreRankedAndNamedAlikeOnAnyNumberOfWorkers(_ jobs: Int) throws {
        let names = ["m", "b", "z\u{E9}", "a", "b", "ze\u{301}", "k", "c", "y", "d", "idle", "e"]
        let stack = try TestPack.stack(names)
        let graph = stack.graph
        let idle = try #require(graph.resources.firstIndex { $0.name == "idle" })
        let evaluated = graph.resources.indices.filter { $0 != idle }
        // Two runs naming the evaluated resources (some twice), in no particular order.
        let runs = [evaluated.reversed().map { RawOutcome(entry: 0, resource: $0, outcome: .pass) },
                    evaluated.map { RawOutcome(entry: 1, resource: $0, outcome: .pass) } + [RawOutcome(entry: 1, resource: -1, outcome: .pass)]]
        let raw = RawOutcomes(runs: runs, tallies: [OutcomeCounts(), OutcomeCounts()])
        let (rank, refs) = ResultAssembler.evaluatedResources(graph, raw, jobs: jobs, minimumPerTask: 2)
        // Expected: a stable sort of the evaluated resources by URN as strings.
        let order = evaluated.enumerated().sorted { lhs, rhs in
            let (a, b) = (graph.resources[lhs.element].urn.rawValue, graph.resources[rhs.element].urn.rawValue)
            return a != b ? a < b : lhs.offset < rhs.offset
        }.map(\.element)
        #expect(refs.map(\.urn) == order.map { graph.resources[$0].urn.rawValue })
        #expect(refs.map(\.name) == order.map { graph.resources[$0].name })
        #expect(refs.allSatisfy { $0.type == TestPack.type })
        for (place, index) in order.enumerated() { #expect(rank[index] == place) }
        #expect(rank[idle] == -1)
    }

    /// Enough outcomes for several runs (`ResultAssembler.outcomesPerChunk`), resources whose URN order is not their
    /// graph order, passes among the violations, and exemptions: the runs are assembled in evaluation order and
    /// each finding, record and exemption must still land in its place in report order.
    @Test func findingsRecordsAndExemptionsAreInReportOrderOnAnyNumberOfWorkers() throws {
        let names = (0..<5_003).map { "r\(($0 &* 7_919) % 5_003)" }
        let stack = try TestPack.stack(names, ok: Set(names.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)))
        let exemptions = [Exemption(policy: "test-pack/beta", resources: ["*::r1*"], reason: "r1 family"),
                          Exemption(policy: "test-pack/alpha", resources: ["*::r2*"], reason: "r2 family")]
        let results = [1, 2, 3].map { TestPack.engine(exemptions: exemptions, jobs: $0).evaluate(stack) }
        let result = results[0]
        #expect(result.evaluations.count == 5 * names.count && result.evaluations.count >= 3 * ResultAssembler.outcomesPerChunk)
        for other in results.dropFirst() {
            #expect(other.findings == result.findings)
            #expect(other.evaluations == result.evaluations)
            #expect(other.appliedExemptions == result.appliedExemptions)
        }
        // Findings by policy, then URN; exemptions in the order of the findings they waive.
        let keys = result.findings.map { ($0.policy, $0.resource!.urn) }
        #expect(result.findings.count == 5 * (names.count - names.count / 3 - 1))
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
        #expect(result.appliedExemptions == result.findings.compactMap(\.exemption))
        #expect(result.appliedExemptions.count > 0 && result.appliedExemptions.count < result.findings.count)
        // Each record names the finding of its own policy and resource.
        let recorded = result.evaluations.filter { $0.finding >= 0 }.map { (record: $0, place: Int($0.finding)) }
        #expect(recorded.count == result.findings.count)
        #expect(Set(recorded.map(\.place)).count == result.findings.count)
        for (record, place) in recorded {
            let finding = result.findings[place]
            #expect(TestPack.pack.policies[Int(record.policy)].descriptor.name == finding.policy)
            #expect(result.summary.resources[Int(record.resource)].urn == finding.resource?.urn)
        }
    }

    @Test(arguments: [1, 2, 3])
    func outcomesSortedByEntryOnWorkersEqualOneSort(_ jobs: Int) {
        // Entries of very different sizes, one without outcomes, repeated ranks (a policy's several outcomes on one
        // resource) and stack-level outcomes (rank 0); positions in evaluation order.
        var generator = SystemRandomNumberGenerator()
        let entryCount = 7
        let keyed = (0..<3 * ResultAssembler.outcomesPerChunk + 17).map { position -> (UInt64, Int) in
            let entry = UInt64([0, 0, 0, 1, 2, 2, 4, 6].randomElement(using: &generator)!)
            let rank = UInt64.random(in: 0...500, using: &generator)
            return (entry << 40 | rank, position)
        }
        #expect(ResultAssembler.sortedByEntry(keyed, entryCount: entryCount, jobs: jobs).elementsEqual(keyed.sorted { $0 < $1 }) { $0 == $1 })
        #expect(ResultAssembler.sortedByEntry([], entryCount: entryCount, jobs: jobs).isEmpty)
    }

    @Test func fingerprintFromASeedEqualsTheWholeHash() {
        let seed = Fingerprint.seed(stack: "org/project/prod", pack: "pack", policy: "policy")
        for (urn, detail) in [(String?.none, String?.none), ("urn:pulumi:prod::p::t::n", nil), (nil, "key"), ("u", "d")] {
            #expect(seed.lanes(urn: urn, detail: detail).hex
                    == Fingerprint.of(stack: "org/project/prod", pack: "pack", policy: "policy", urn: urn, detail: detail))
        }
        #expect(Fingerprint.of(stack: "s", pack: "p", policy: "q", urn: nil, detail: nil).count == 32)
    }

    @Test func fingerprintLanesReadBackTheirHex() {
        let lanes = FingerprintLanes(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        #expect(lanes.hex == "0123456789abcdeffedcba9876543210")
        #expect(FingerprintLanes(hex: lanes.hex) == lanes)
        #expect(lanes.withHex { String(decoding: $0, as: UTF8.self) } == lanes.hex)
        // Only exactly 32 lowercase hex digits are lanes; anything else stays text.
        for text in ["", "f", "0123456789ABCDEFfedcba9876543210", "0123456789abcdeffedcba987654321", "0123456789abcdeffedcba98765432100",
                     "0123456789abcdegfedcba9876543210"] {
            #expect(FingerprintLanes(hex: text) == nil, "\(text)")
        }
    }

    /// The digits are made a word at a time; each is checked against a digit-by-digit spelling, for lanes with every
    /// nibble value in every position and for random ones.
    @Test func fingerprintLanesSpellEveryNibbleInEveryPosition() {
        func spelled(_ value: UInt64) -> String {
            String((0..<16).map { i in Array("0123456789abcdef")[Int((value >> UInt64(60 - 4 * i)) & 0xF)] })
        }
        var generator = SystemRandomNumberGenerator()
        var values: [UInt64] = [0, .max, 0x0123_4567_89ab_cdef, 0xa9a9_a9a9_9a9a_9a9a]
        for nibble in UInt64(0)...15 { for position in 0..<16 { values.append(nibble << UInt64(4 * position)) } }
        for _ in 0..<200 { values.append(generator.next()) }
        for (high, low) in zip(values, values.reversed()) {
            let lanes = FingerprintLanes(high: high, low: low)
            #expect(lanes.withHex { String(decoding: $0, as: UTF8.self) } == spelled(high) + spelled(low))
            #expect(FingerprintLanes(hex: lanes.hex) == lanes)
        }
    }

    @Test func findingsSharingAnOriginEqualTheSameFindingsMadeFromStrings() {
        let origin = Finding.Origin(stack: "org/p/prod", pack: "aws", policy: "s3-encrypted", severity: .high, remediation: "Encrypt.")
        let resource = ResourceRef(urn: "urn:pulumi:prod::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", name: "b")
        let lanes = Fingerprint.seed(stack: "org/p/prod", pack: "aws", policy: "s3-encrypted").lanes(urn: resource.urn, detail: nil)
        let shared = Finding(origin: origin, resource: resource, enforcementLevel: .mandatory, outcome: .violation,
                             message: "not encrypted", fingerprint: lanes)
        let plain = Finding(stack: "org/p/prod", resource: resource, pack: "aws", policy: "s3-encrypted", enforcementLevel: .mandatory,
                            severity: .high, outcome: .violation, message: "not encrypted", remediation: "Encrypt.",
                            fingerprint: lanes.hex)
        #expect(shared == plain && shared.hashValue == plain.hashValue)
        #expect(shared.fingerprint == lanes.hex && shared.withFingerprintUTF8 { Array($0) } == Array(lanes.hex.utf8))
        #expect(shared.stack == "org/p/prod" && shared.pack == "aws" && shared.policy == "s3-encrypted")
        #expect(shared.severity == .high && shared.remediation == "Encrypt." && shared.origin === origin)
        #expect(shared.proposedFix == nil && shared.location == nil && shared.detailKey == nil && shared.exemption == nil)

        // A change to a shared field makes the finding its own origin; the others keep theirs.
        var changed = shared
        changed.policy = "other"
        changed.detailKey = "k"
        #expect(changed.policy == "other" && changed.detailKey == "k" && changed.pack == "aws" && changed.origin !== origin)
        #expect(shared.policy == "s3-encrypted" && shared.detailKey == nil && shared.origin === origin)
        // Unsetting the only detail gives a finding equal to one that never had it.
        changed.policy = "s3-encrypted"
        changed.detailKey = nil
        #expect(changed == shared && changed.hashValue == shared.hashValue)
    }

    @Test func findingsOfOnePolicyOnOneStackShareOneOrigin() throws {
        let result = TestPack.engine(jobs: 2).evaluate(try TestPack.stack(["a", "b", "c"]))
        let alpha = result.findings.filter { $0.policy == "alpha" }
        #expect(alpha.count == 3)
        #expect(alpha.allSatisfy { $0.origin === alpha[0].origin })
        #expect(result.findings.first { $0.policy == "beta" }?.origin !== alpha[0].origin)
        #expect(alpha.map(\.fingerprint) == alpha.map {
            Fingerprint.of(stack: "acme/web/prod", pack: "test-pack", policy: "alpha", urn: $0.resource?.urn, detail: nil)
        })
    }

    @Test func aFindingIsOneReferenceSoItsStorageCanBeHintedAtInPlace() throws {
        #expect(MemoryLayout<Finding>.size == MemoryLayout<UnsafeRawPointer>.size)
        let findings = TestPack.engine().evaluate(try TestPack.stack(["a", "b"])).findings
        #expect(!findings.isEmpty)
        findings.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                Finding.prefetchAhead(of: i, in: buffer)
                Finding.prefetchStorage(at: i, in: buffer)
                Finding.prefetchTexts(at: i, in: buffer)
            }
        }
        #expect(findings.allSatisfy { $0.message.contains("is not ok") })
        #expect(findings.containsReadingAhead { $0.resource?.name == "b" })
        #expect(!findings.containsReadingAhead { $0.resource?.name == "c" })
    }

    @Test func aLongListOfFindingsIsSearchedInSlicesWithTheAnswerOfOneThread() {
        // Three slices' worth on three workers: a hit in any slice, at its edges, or none.
        let count = 3 * 16_384
        let findings = (0..<count).map { i in
            Finding(stack: "s", resource: ResourceRef(urn: "u\(i)", type: "t", name: "n\(i)"), pack: "p", policy: "q",
                    enforcementLevel: .advisory, severity: .low, outcome: i % 7 == 0 ? .violation : .pass, message: "m",
                    fingerprint: "f")
        }
        for hit in [nil, 0, 16_383, 16_384, 32_768, count - 1] as [Int?] {
            let name = hit.map { "n\($0)" }
            for workers in [1, 2, 3] {
                #expect(findings.containsReadingAhead(workers: workers) { $0.resource?.name == name } == (hit != nil),
                        "hit \(String(describing: hit)), workers \(workers)")
            }
        }
        #expect(findings.containsReadingAhead(workers: 2) { $0.outcome == .violation })
        #expect(!findings.containsReadingAhead(workers: 2) { $0.outcome == .error })
    }

    @Test func aFingerprintThatIsNotHexIsKeptAsWritten() {
        var finding = Finding(stack: "s", resource: nil, pack: "p", policy: "q", enforcementLevel: .advisory, severity: .low,
                              outcome: .violation, message: "m", fingerprint: "m7")
        #expect(finding.fingerprint == "m7" && finding.withFingerprintUTF8 { Array($0) } == Array("m7".utf8))
        finding.fingerprint = "00000000000000000000000000000abc"
        #expect(finding.fingerprint == "00000000000000000000000000000abc")
        #expect(finding == Finding(stack: "s", resource: nil, pack: "p", policy: "q", enforcementLevel: .advisory, severity: .low,
                                   outcome: .violation, message: "m", fingerprint: "00000000000000000000000000000abc"))
        finding.fingerprint = "ABC"
        #expect(finding.fingerprint == "ABC")
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
