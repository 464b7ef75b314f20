import Foundation
import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// The plaintext-secret walk over large and hostile string values (issue #21): every byte is still read, at any
/// offset, through escapes, and repeated token openings cost no more than once each.
@Suite struct SecretWalkTests {
    let policy = PlaintextSecretsInStatePolicy()
    let detector = SecretDetector(checksKeyLikeNames: false)

    /// `count` bytes of base64 in 76-character lines, as a JSON string body (lines joined by the `\n` escape).
    static func base64Lines(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var state: UInt64 = 21
        var out: [UInt8] = []
        out.reserveCapacity(count + count / 38)
        while out.count < count {
            for _ in 0..<76 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                out.append(alphabet[Int(state >> 58)])
            }
            out += Array(#"\n"#.utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON string body for `text`.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }

    /// A state export with one resource per value, each under the name `userData`.
    static func export(_ bodies: [String]) -> [UInt8] {
        let resources = bodies.enumerated().map { i, body in
            #"{"urn":"urn:pulumi:dev::big::aws:ec2/launchTemplate:LaunchTemplate::t\#(i)","custom":true,"id":"lt-\#(i)","#
                + #""type":"aws:ec2/launchTemplate:LaunchTemplate","outputs":{"userData":""# + body + #""}}"#
        }
        return Array((#"{"version":3,"deployment":{"resources":["# + resources.joined(separator: ",") + "]}}").utf8)
    }

    func messages(_ bytes: [UInt8]) throws -> [String] {
        let stack = try InputReader().read(bytes: bytes, source: InputSource(path: "big.json"))
        return try stack.graph.resources.indices.map { index in
            let outcome = try policy.evaluate(ResourceContext(stack: stack, index: index), config: PolicyConfig())
            guard case .violation(let v) = outcome else { return "pass" }
            return v.message
        }
    }

    @Test func findsATokenAtTheStartMiddleAndEndOfAHugeString() throws {
        let filler = Self.base64Lines(3 << 20)
        let middle = filler.index(filler.startIndex, offsetBy: filler.utf8.count / 2)
        let token = " " + Fake.githubPAT + " "
        let bodies = [token + filler, String(filler[..<middle]) + token + String(filler[middle...]), filler + token, filler]
        let found = try messages(Self.export(bodies))
        let expected = "1 unencrypted value looks like secrets: outputs.userData (GitHub token ("
        #expect(found[0].hasPrefix(expected) && found[1].hasPrefix(expected) && found[2].hasPrefix(expected), "\(found)")
        #expect(found[3] == "pass")
    }

    /// The scan steps two bytes at a time: every format is found at even and odd offsets, right after an escape,
    /// and as the whole value.
    @Test(arguments: SecretDetectorTests.knownFormats)
    func findsEveryFormatAtEveryOffset(value: String, kind: SecretKind) throws {
        for prefix in ["", " ", "  ", "   ", "\n", " \n", "\t\n\t", "é "] {
            let body = Self.escaped(prefix + value + " tail")
            let scanned = detector.scan(try PropertyValue.parse(json: #"{"userData": ""# + body + #""}"#))
            #expect(scanned.map(\.detection.kind) == [kind], "prefix \(prefix.debugDescription)")
            #expect(detector.detect(prefix + value)?.kind == kind, "prefix \(prefix.debugDescription)")
        }
    }

    /// Strings made of one token opening repeated (a run of the token's own characters each time) finish in one
    /// pass and hold no token; before the token-start rule each opening rescanned the rest of the string.
    @Test(arguments: ["glpat-", "eyJ-", "xoxb-", "AccountKey=", "ghp_", "AIza_", "sk_live_", "pul-", "-----BEGIN ", "a://b:"])
    func repeatedOpeningsAreReadOnce(opening: String) throws {
        let value = String(repeating: opening, count: 200_000)
        #expect(detector.detect(value) == nil)
        #expect(detector.scan(try PropertyValue.parse(json: #"{"userData": ""# + value + #""}"#)).isEmpty)
    }

    /// The rule that keeps the scan linear: a token does not continue a longer run of its own characters.
    @Test func aTokenGluedToARunOfItsOwnCharactersIsNotOne() {
        #expect(detector.detect("id-" + Fake.gitlabPAT)?.kind == nil)
        #expect(detector.detect("id " + Fake.gitlabPAT)?.kind == .gitlabToken)
        #expect(detector.detect("x_" + Fake.jwt)?.kind == nil)
        #expect(detector.detect("Bearer " + Fake.jwt)?.kind == .jwt)
    }
}
