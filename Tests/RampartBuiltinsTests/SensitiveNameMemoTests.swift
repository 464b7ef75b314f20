@testable import RampartBuiltins
import RampartInputs
import RampartModel
import RampartPolicy
import Testing

/// The per-worker memo of key-name classifications gives exactly the uncached answers, cold or warm, when keys
/// collide, and once it is full.
@Suite struct SensitiveNameMemoTests {
    /// Names of every class: strong, weak, metadata, public, AWS-related, namespaced, non-ASCII, empty, long.
    static let names: [String] = [
        "password", "dbPassword", "DB_PASSWORD", "myproj:smtpPassword", "apiKey", "secretName", "tokenUrl",
        "encryptionKeyArn", "sshKey", "basicAuth", "publishableKey", "recaptchaSiteKey", "", ":", "ns:", "naïvePassword",
        "パスワード", "k8s:kubeconfig", "accessKeyId", "aws_secret", "AWS_KEY", "myAwsThing", "law", "tags", "arn", "name",
        "bucket", "clientSecret", "passwordLength", "signingKey", "keys", "auth",
        String(repeating: "x", count: 63) + "password", String(repeating: "y", count: 200) + "token",
    ]

    static func uncached(_ name: String) -> SensitiveNameMemo.Answer {
        var copy = name
        return copy.withUTF8 { SensitiveNameMemo.classify($0) }
    }

    static func memoised(_ name: String, _ memo: SensitiveNameMemo) -> SensitiveNameMemo.Answer {
        var copy = name
        return copy.withUTF8 { memo.answer($0) }
    }

    @Test func givesTheUncachedAnswerColdAndWarm() {
        let memo = SensitiveNameMemo()
        for round in 0..<3 {
            for name in Self.names {
                #expect(Self.memoised(name, memo) == Self.uncached(name), "\(name), round \(round)")
            }
        }
    }

    @Test func theUncachedAnswerIsTheClassifiersAnswer() {
        for name in Self.names {
            let answer = Self.uncached(name)
            #expect(answer.sensitivity == SensitiveName.classify(name))
            #expect(answer.mentionsAWS == SensitiveName.mentionsAWS(name))
        }
    }

    /// Names of every length near a secret one, differing from it in one byte, each get their own answer (a match
    /// compares the bytes, whatever the hash; `ByteHash`'s own test checks it tells such keys apart).
    @Test func namesDifferingInOneByteGetTheirOwnAnswers() {
        let memo = SensitiveNameMemo()
        for filler in 0...12 {
            let padding = String(repeating: "x", count: filler)
            for name in [padding + "password", padding + "passwore", padding + "Password", "password" + padding] {
                #expect(Self.memoised(name, memo) == Self.uncached(name), "\(name)")
            }
        }
    }

    /// More distinct keys than the memo keeps: the ones it cannot remember are still classified right.
    @Test func staysRightWhenFull() {
        let memo = SensitiveNameMemo()
        let many = (0..<6_000).map { i in ["field\(i)", "secret\(i)Value", "aws\(i)", "key\(i)Length", "db\(i)Password"][i % 5] }
        for name in many + many {
            #expect(Self.memoised(name, memo) == Self.uncached(name), "\(name)")
        }
    }

    /// The policy gives the same message with a worker's memo (the engine's path) as without (a bare context).
    @Test func thePolicyFindsTheSameWithAndWithoutAWorkersMemo() throws {
        let outputs = [
            #"{"dbPassword": "Tr0ub4dor-and-3", "tags": {"env": "prod"}, "apiToken": "s3cr3t-value-42", "nested": {"clientSecret": "abc-def-ghi-jkl"}}"#,
            #"{"tags": {"env": "prod"}, "id": "AKIAIOSFODNN7EXAMPLF", "awsKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ"}"#,
            #"{"password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}, "pin": 123456789}"#,
        ]
        let resources = (outputs + outputs).enumerated().map { i, body in
            #"{"urn":"urn:pulumi:dev::p::aws:rds/instance:Instance::r\#(i)","custom":true,"id":"r-\#(i)","type":"aws:rds/instance:Instance","outputs":"# + body + "}"
        }
        let export = Array((#"{"version":3,"deployment":{"resources":["# + resources.joined(separator: ",") + "]}}").utf8)
        let stack = try InputReader().read(bytes: export, source: InputSource(path: "memo.json"))
        let policy = PlaintextSecretsInStatePolicy()
        let handle = try #require(DocumentHandle(stack: stack))
        let first = try policy.evaluate(ResourceContext(stack: stack, index: 0), config: PolicyConfig())
        #expect(String(describing: first).contains("dbPassword"))
        for index in stack.graph.resources.indices {
            let bare = try policy.evaluate(ResourceContext(stack: stack, index: index), config: PolicyConfig())
            for _ in 0..<2 {
                let memoised = try policy.evaluate(ResourceContext(stack: stack, index: index, evidence: .none, handle: handle),
                                                   config: PolicyConfig())
                #expect(String(describing: memoised) == String(describing: bare))
            }
        }
    }
}
