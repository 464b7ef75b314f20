import Foundation
import Testing
@testable import RampartRemote

/// SigV4 against AWS's published examples: the Signature Version 4 test suite (service `service`) and the S3 API
/// reference's "Signature Calculations for the Authorization Header" examples.
@Suite("SigV4 signing")
struct SigV4Tests {
    static let suite = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let s3Docs = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func signature(_ authorization: String) -> String { String(authorization.split(separator: "=").last ?? "") }

    static func suiteAuthorization(_ request: AWSRequest) -> String {
        let signer = SigV4(credentials: suite, region: "us-east-1", service: "service")
        return signer.authorization(request, headers: [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")],
                                    payloadHash: emptyHash, timestamp: "20150830T123600Z")
    }

    @Test("get-vanilla: the test suite's header and signature")
    func getVanilla() {
        #expect(Self.suiteAuthorization(AWSRequest(host: "example.amazonaws.com"))
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test("get-vanilla-query-order-key-case: query parameters are sorted before signing")
    func queryOrder() {
        let request = AWSRequest(host: "example.amazonaws.com", query: [("Param2", "value2"), ("Param1", "value1")])
        #expect(request.canonicalQuery == "Param1=value1&Param2=value2")
        #expect(Self.signature(Self.suiteAuthorization(request)) == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    static func s3DocsSignature(_ request: AWSRequest, extra: [(name: String, value: String)] = []) -> String {
        let signer = SigV4(credentials: s3Docs, region: "us-east-1", service: "s3")
        let headers: [(name: String, value: String)] = [(name: "host", value: "examplebucket.s3.amazonaws.com")] + extra
            + [(name: "x-amz-content-sha256", value: emptyHash), (name: "x-amz-date", value: "20130524T000000Z")]
        return signature(signer.authorization(request, headers: headers, payloadHash: emptyHash, timestamp: "20130524T000000Z"))
    }

    @Test("S3 GetObject example: a Range header is signed with the others")
    func s3GetObject() {
        let request = AWSRequest(host: "examplebucket.s3.amazonaws.com", path: "/test.txt")
        #expect(Self.s3DocsSignature(request, extra: [("Range", "bytes=0-9")]) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("S3 ListObjects example: sorted query; a valueless sub-resource signs as name=")
    func s3Queries() {
        let list = AWSRequest(host: "examplebucket.s3.amazonaws.com", query: [("prefix", "J"), ("max-keys", "2")])
        #expect(Self.s3DocsSignature(list) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
        let lifecycle = AWSRequest(host: "examplebucket.s3.amazonaws.com", query: [("lifecycle", "")])
        #expect(lifecycle.canonicalQuery == "lifecycle=")
        #expect(Self.s3DocsSignature(lifecycle) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test("paths and queries are encoded with the RFC 3986 unreserved set, once, and sent as signed")
    func encoding() {
        #expect(SigV4.encode("a-b_c.d~e") == "a-b_c.d~e")
        #expect(SigV4.encode("a b/c+d=é*") == "a%20b%2Fc%2Bd%3D%C3%A9%2A")
        let request = AWSRequest(host: "h", path: "/bucket/team a/.pulumi/stacks/app+1/dev.json", query: [("prefix", "team a/"), ("list-type", "2")])
        #expect(request.encodedPath == "/bucket/team%20a/.pulumi/stacks/app%2B1/dev.json")
        #expect(request.url == "https://h/bucket/team%20a/.pulumi/stacks/app%2B1/dev.json?list-type=2&prefix=team%20a%2F")
    }

    @Test("a signed S3 request carries the date, content hash and session token, and only the signature shows the key")
    func signedHeaders() {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "SECRET-KEY-0123", sessionToken: "SESSION-TOKEN-0123")
        let signed = SigV4(credentials: credentials, region: "eu-west-1", service: "s3")
            .sign(AWSRequest(host: "b.s3.eu-west-1.amazonaws.com", path: "/k"), date: Date(timeIntervalSince1970: 1_369_353_600))
        let names = signed.headers.map { $0.name.lowercased() }
        #expect(names.contains("x-amz-content-sha256") && names.contains("x-amz-security-token"))
        #expect(signed.headers.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(authorization.contains("Credential=AKIDEXAMPLE/20130524/eu-west-1/s3/aws4_request"))
        #expect(!authorization.contains("SECRET-KEY-0123"))
        #expect(!"\(credentials)".contains("SECRET") && !"\(credentials)".contains("SESSION-TOKEN"))
    }
}

@Suite("AWS credentials and settings")
struct AWSCredentialChainTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "rampart-aws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        return path
    }

    static func chain(_ variables: [String: String], home: String) -> AWSCredentialChain {
        AWSCredentialChain(environment: RemoteEnvironment(variables: variables, homeDirectory: home), transport: HTTPTransport())
    }

    @Test("the environment's keys come first when no profile is named")
    func environmentKeys() async throws {
        let home = try Self.directory()
        let credentials = try await Self.chain(["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"], home: home)
            .credentials(profile: nil, location: "s3://b")
        #expect(credentials.accessKeyID == "AKENV" && credentials.sessionToken == "t")
    }

    @Test("a named profile is read from ~/.aws/credentials, or [profile name] of ~/.aws/config, with its region")
    func profiles() async throws {
        let home = try Self.directory()
        try "[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key = d\n\n[ci]\n# comment\naws_access_key_id=AKCI\naws_secret_access_key=c\n"
            .write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
        try "[profile ci]\nregion = eu-central-1\ns3 =\n  addressing_style = path\n[profile other]\naws_access_key_id = AKOTHER\naws_secret_access_key = o\n"
            .write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        let environment = ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s"]
        #expect(try await Self.chain(environment, home: home).credentials(profile: "ci", location: "s3://b").accessKeyID == "AKCI")
        #expect(try await Self.chain(["AWS_PROFILE": "other"], home: home).credentials(profile: nil, location: "s3://b").accessKeyID == "AKOTHER")
        #expect(try await Self.chain([:], home: home).credentials(profile: nil, location: "s3://b").accessKeyID == "AKDEFAULT")
        #expect(Self.chain([:], home: home).region(profile: "ci") == "eu-central-1")
        #expect(Self.chain(["AWS_REGION": "ap-south-1"], home: home).region(profile: "ci") == "ap-south-1")
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files")
    func movedFiles() async throws {
        let home = try Self.directory()
        try "[x]\naws_access_key_id = AKMOVED\naws_secret_access_key = m\n".write(toFile: home + "/creds", atomically: true, encoding: .utf8)
        let chain = Self.chain(["AWS_SHARED_CREDENTIALS_FILE": home + "/creds", "AWS_CONFIG_FILE": home + "/none"], home: home)
        #expect(try await chain.credentials(profile: "x", location: "s3://b").accessKeyID == "AKMOVED")
    }

    @Test("without credentials the error says where they are looked for, and a missing profile is named")
    func noCredentials() async throws {
        let home = try Self.directory()
        await #expect(throws: RemoteError.noCredentials(location: "s3://b", hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE (~/.aws/credentials), or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN")) {
            try await Self.chain([:], home: home).credentials(profile: nil, location: "s3://b")
        }
        do {
            _ = try await Self.chain([:], home: home).credentials(profile: "nope", location: "s3://b")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("profile 'nope'"))
        }
    }

    @Test("XML answers: elements by tag, entities decoded")
    func xml() {
        let xml = XMLText(Array("<R xmlns=\"x\"><Contents><Key>a&amp;b &#x41;</Key></Contents><Contents><Key>c</Key></Contents><Empty/><IsTruncated>false</IsTruncated></R>".utf8))
        #expect(xml.all("Contents").map { XMLText($0).first("Key") } == ["a&b A", "c"])
        #expect(xml.first("IsTruncated") == "false")
        #expect(xml.first("Empty") == "")
        #expect(xml.first("Missing") == nil)
        #expect(XMLText.decode("x & y") == "x & y")
    }

    @Test("a bucket policy is public when it allows anyone without a condition")
    func publicPolicies() {
        #expect(S3BucketSettings.policyAllowsAnyone(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}"#))
        #expect(S3BucketSettings.policyAllowsAnyone(#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["*"]}}}"#))
        #expect(!S3BucketSettings.policyAllowsAnyone(#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "v"}}}]}"#))
        #expect(!S3BucketSettings.policyAllowsAnyone(#"{"Statement": [{"Effect": "Deny", "Principal": "*"}]}"#))
        #expect(!S3BucketSettings.policyAllowsAnyone("not json"))
    }
}
