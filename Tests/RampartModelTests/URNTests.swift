import RampartJSON
import RampartModel
import Testing

@Suite struct URNTests {
    /// A URN and the parts cut from it: stack, project, qualified type, type, name. The second keeps characters of
    /// several bytes on both sides of every separator: the parts are cut from the URN's bytes at its ASCII
    /// separators, and such characters stay whole.
    @Test(arguments: [
        ["urn:pulumi:dev::web::aws:s3/bucket:Bucket::logs", "dev", "web", "aws:s3/bucket:Bucket", "aws:s3/bucket:Bucket", "logs"],
        ["urn:pulumi:d\u{e9}v::caf\u{e9}::a:b$\u{1F512}:c:D::n\u{e9}::\u{1F468}\u{200D}\u{1F469}", "d\u{e9}v", "caf\u{e9}",
         "a:b$\u{1F512}:c:D", "\u{1F512}:c:D", "n\u{e9}::\u{1F468}\u{200D}\u{1F469}"],
    ])
    func cutsItsParts(_ expected: [String]) throws {
        let urn = try #require(URN(expected[0]))
        #expect([urn.stack, urn.project, urn.qualifiedType, urn.type, urn.name] == Array(expected.dropFirst()))
    }

    @Test func namesMayContainDoubleColons() throws {
        let urn = try #require(URN("urn:pulumi:dev::web::a:b:C::name::with::colons"))
        #expect(urn.name == "name::with::colons")
    }

    @Test func parentTypesAreDollarChained() throws {
        let urn = try #require(URN("urn:pulumi:test::p::eks:index:Cluster$aws:eks/cluster:Cluster::c"))
        #expect(urn.type == "aws:eks/cluster:Cluster")
        #expect(urn.ancestorTypes == ["eks:index:Cluster"])
    }

    @Test func aRunOfThreeColonsSplitsAtItsFirstPair() throws {
        let urn = try #require(URN("urn:pulumi:s:::p::t::n"))
        #expect(urn.stack == "s")
        #expect(urn.project == ":p")
        #expect(urn.type == "t")
        #expect(urn.name == "n")
    }

    @Test func aURNMayEndRightAfterItsThirdSeparator() throws {
        let urn = try #require(URN("urn:pulumi:s::p::t::"))
        #expect(urn.type == "t")
        #expect(urn.name == "")
        #expect(URN("urn:pulumi:s::p::t:") == nil)
    }

    @Test func carriesTheHashOfItsBytesThatGraphsKeyTheirTablesBy() throws {
        for raw in ["urn:pulumi:dev::web::aws:s3/bucket:Bucket::logs", "urn:pulumi:s::p::t::", "urn:pulumi:dev::web::a:b:C::n\u{e9}"] {
            let urn = try #require(URN(raw))
            #expect(urn.byteHash == ByteHash.hash(raw))
            #expect(urn.byteHash == URN(String(raw.reversed().reversed()))?.byteHash)
        }
        #expect(URN("urn:pulumi:s::p::t::a")?.byteHash != URN("urn:pulumi:s::p::t::b")?.byteHash)
    }

    @Test func rejectsStringsThatAreNotURNs() {
        #expect(URN("urn-1") == nil)
        #expect(URN("urn:pulumi:dev::web") == nil)
        #expect(URN("arn:aws:s3:::bucket") == nil)
        #expect(URN("urn:pulumi") == nil)
        #expect(URN("") == nil)
    }

    @Test func providerReferencesSplitOnTheLastDoubleColon() throws {
        let ref = try #require(ProviderReference("urn:pulumi:dev::p::pulumi:providers:aws::default_6_63_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9"))
        #expect(ref.urn == "urn:pulumi:dev::p::pulumi:providers:aws::default_6_63_0")
        #expect(ref.isUnknownID)
        #expect(ProviderReference("urn:x::a:::b").map { [$0.urn, $0.id] } == ["urn:x::a:", "b"])
        #expect(ProviderReference("urn:pulumi:dév::p::pulumi:providers:aws::dé::ïd").map { [$0.urn, $0.id] }
                == ["urn:pulumi:dév::p::pulumi:providers:aws::dé", "ïd"])
        #expect(ProviderReference("u::")?.id == "")
        #expect(ProviderReference("::id") == nil)
        #expect(ProviderReference("no-separator:") == nil)
    }

    @Test func aProviderReferenceEqualsOnlyTheBytesItWasWrittenAs() throws {
        let written = "urn:pulumi:dev::p::pulumi:providers:aws::default::abc"
        let ref = try #require(ProviderReference(written))
        func equals(_ raw: String) -> Bool { Array(raw.utf8).withUnsafeBufferPointer { ProviderReference.equals(ref, $0) } }
        #expect(equals(written))
        #expect(!equals("urn:pulumi:dev::p::pulumi:providers:aws::default::abd"))
        #expect(!equals("urn:pulumi:dew::p::pulumi:providers:aws::default::abc"))
        #expect(!equals("urn:pulumi:dev::p::pulumi:providers:aws::default::ab"))
        #expect(!equals("urn:pulumi:dev::p::pulumi:providers:aws::default:.abc"))
        let empty = try #require(ProviderReference("u::"))
        #expect(Array("u::".utf8).withUnsafeBufferPointer { ProviderReference.equals(empty, $0) })
        #expect(!Array("v::".utf8).withUnsafeBufferPointer { ProviderReference.equals(empty, $0) })
    }

    @Test func stackIdentityParsesOneToThreeParts() {
        #expect(StackIdentity(parsing: "acme/web/prod")?.description == "acme/web/prod")
        #expect(StackIdentity(parsing: "web/prod")?.project == "web")
        #expect(StackIdentity(parsing: "prod")?.stack == "prod")
        #expect(StackIdentity(parsing: "a/b/c/d") == nil)
        #expect(StackIdentity(parsing: "a//c") == nil)
    }

    @Test func sourcePositionsParseLineAndColumn() throws {
        let position = try #require(SourcePosition("project:///index.ts#12,5"))
        #expect(position.path == "index.ts")
        #expect(position.line == 12)
        #expect(position.column == 5)
    }
}

/// `containsBytes`, the byte search policies use instead of Foundation's `contains`.
@Suite struct ContainsBytesTests {
    @Test func findsWhatAPlainSearchOfTheBytesFinds() {
        // Every needle of up to three letters from a small alphabet, against texts built from it: the answer is
        // whether some run of the text's bytes equals the needle's.
        let alphabet = ["a", "b", "%", "{", "é"]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            let hay = (0..<next(12)).map { _ in alphabet[next(alphabet.count)] }.joined()
            let needle = (0..<next(4)).map { _ in alphabet[next(alphabet.count)] }.joined()
            let (h, n) = (Array(hay.utf8), Array(needle.utf8))
            let expected = n.isEmpty || (h.count >= n.count && (0...(h.count - n.count)).contains { Array(h[$0..<($0 + n.count)]) == n })
            #expect(hay.containsBytes(needle) == expected, "\(hay) \(needle)")
        }
        #expect("registry:5000/app@sha256:abc".containsBytes("@"))
        #expect(!"changem".containsBytes("changeme"))
        #expect("<%= token %>".containsBytes("%>"))
    }
}

/// `String(concatenating:)`, which policies use to make per-container messages in one allocation.
@Suite struct StringConcatenatingTests {
    @Test func equalsThePartsJoined() {
        let pieces = ["", "a", "Deployment", " ", "web-ñ", ", container ", "🔒", String(repeating: "x", count: 40), "é\u{301}"]
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<300 {
            let parts = (0..<next(8)).map { _ in pieces[next(pieces.count)] }
            let made: String
            switch parts.count {
            case 0: made = String(concatenating: "")
            case 1: made = String(concatenating: parts[0])
            case 2: made = String(concatenating: parts[0], parts[1])
            case 3: made = String(concatenating: parts[0], parts[1], parts[2])
            default: made = String(concatenating: parts[0], parts[1], parts[2], parts[3..<parts.count].joined())
            }
            #expect(made == parts.joined())
            #expect(Array(made.utf8) == Array(parts.joined().utf8))
        }
    }
}
