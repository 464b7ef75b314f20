import _CryptoExtras
import Foundation
import Rampart
import RampartInputs
import RampartJSON
import RampartModel
import RampartReports
import Testing
@testable import RampartRemote

/// GCS through our own stub of Google's token endpoint, metadata server and JSON API: authorisation, paging, the
/// token cache, and that no credential reaches any output.
@Suite("GCS against a local token and API stub", .serialized, .enabled(if: GCSTestTools.stubEnabled, GCSTestTools.stubSkipReason))
struct GCSStubServerTests {
    /// The backend's objects written as the stub serves them (object name = path below the returned root).
    private static func objectRoot() throws -> String {
        let root = try GCSTestTools.scratch("objects")
        for object in try GCSTestTools.backendObjects(prefix: "team") {
            try GCSTestTools.write(object.bytes, to: root + "/" + object.name)
        }
        return root
    }

    private static func stats(_ server: LocalServerProcess) async throws -> JSONNode {
        let body = try await HTTPTransport().send(HTTPRequest(url: server.base + "/stats"), location: "stats").body
        return try JSONDocument.parse(body).root
    }

    private static func base64URLDecode(_ text: Substring) -> Data? {
        var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }

    @Test("a service account's signed JWT buys one token, reused for every paged listing and read")
    func serviceAccountListsAndReads() async throws {
        let server = try LocalServerProcess(stubArguments: ["--root", try Self.objectRoot()])
        defer { server.stop() }
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = GoogleCredentials.ServiceAccountKey(clientEmail: "scanner@rampart-test.iam.gserviceaccount.com",
                                                      privateKeyPEM: privateKey.pkcs8PEMRepresentation, privateKeyID: "k1",
                                                      tokenURI: server.base + "/token")
        let transport = HTTPTransport(retry: RetryPolicy(attempts: 2))
        let store = GCSStore(bucket: "state", apiBase: server.base,
                             tokens: GoogleTokenProvider(credentials: .serviceAccount(key), transport: transport, location: "gs://state"),
                             transport: transport)
        let catalog = ObjectStoreCatalog(store: store, prefix: "team")
        // The stub pages two objects at a time: seven objects under the stacks prefix take four pages.
        let sources = try await catalog.list()
        #expect(sources.map(\.path) == ["gs://state/team/.pulumi/stacks/kloudlib.json",
                                        "gs://state/team/.pulumi/stacks/web/dev.json",
                                        "gs://state/team/.pulumi/stacks/web/prod.json.gz"])
        let bytes = try await catalog.fetch(sources[1])
        #expect(bytes == Array(try Data(contentsOf: URL(fileURLWithPath: GCSTestTools.checkpoints + "/checkpoint-v4-features.json"))))

        let stats = try await Self.stats(server)
        #expect(stats["tokenRequests"]?.int == 1)
        let assertion = try #require(stats["assertions"]?[0]?.string)
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try #require(Self.base64URLDecode(parts[2])))
        #expect(privateKey.publicKey.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8), padding: .insecurePKCS1v1_5))
        let claims = try JSONDocument.parse(Array(try #require(Self.base64URLDecode(parts[1])))).root
        #expect(claims["aud"]?.string == server.base + "/token")
    }

    @Test("the metadata server's token is used with the Metadata-Flavor header; no metadata server means no credentials")
    func metadataServer() async throws {
        let server = try LocalServerProcess(stubArguments: ["--root", try Self.objectRoot()])
        defer { server.stop() }
        let environment = RemoteEnvironment(variables: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)",
                                                        "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": server.base + "/storage/v1/"],
                                            homeDirectory: "/nonexistent-home")
        let store = try GCSStore(bucket: "state", environment: environment, transport: HTTPTransport(retry: RetryPolicy(attempts: 2)))
        let objects = try await store.list(prefix: "team/.pulumi/stacks/web/")
        #expect(objects.map(\.key) == ["team/.pulumi/stacks/web/dev.json", "team/.pulumi/stacks/web/dev.json.bak",
                                       "team/.pulumi/stacks/web/prod.json.gz"])
        #expect(try await Self.stats(server)["metadataRequests"]?.int == 1)

        let closed = try LocalProcesses.freeLoopbackPort()
        let nowhere = try GCSStore(bucket: "state", environment: RemoteEnvironment(variables: ["GCE_METADATA_HOST": "127.0.0.1:\(closed)"],
                                                                                   homeDirectory: "/nonexistent-home"),
                                   transport: HTTPTransport(retry: RetryPolicy(attempts: 1)))
        do {
            _ = try await nowhere.list(prefix: "")
            Issue.record("expected no credentials")
        } catch {
            guard case .noCredentials = error else { Issue.record("expected noCredentials, got \(error)"); return }
            #expect(error.description.contains("GOOGLE_APPLICATION_CREDENTIALS"))
            #expect(error.description.contains("STORAGE_EMULATOR_HOST"))
            #expect(error.description.contains("127.0.0.1:\(closed)"))
        }
    }

    @Test("an authorized_user login trades its refresh token for an access token")
    func authorizedUser() async throws {
        let server = try LocalServerProcess(stubArguments: ["--root", try Self.objectRoot()])
        defer { server.stop() }
        let login = GoogleCredentials.AuthorizedUser(clientID: "id", clientSecret: "RAMPART-FAKE-SECRET-client", refreshToken: "1//refresh",
                                                     tokenURI: server.base + "/token")
        let transport = HTTPTransport(retry: RetryPolicy(attempts: 1))
        let store = GCSStore(bucket: "state", apiBase: server.base,
                             tokens: GoogleTokenProvider(credentials: .authorizedUser(login), transport: transport, location: "gs://state"),
                             transport: transport)
        #expect(try await store.get(key: "team/.pulumi/meta.yaml") == Array("version: 1\n".utf8))
        #expect(try await Self.stats(server)["tokenRequests"]?.int == 1)
    }

    @Test("an external_account (workload identity federation) exchanges its subject token at STS, then impersonates")
    func externalAccount() async throws {
        let server = try LocalServerProcess(stubArguments: ["--root", try Self.objectRoot()])
        defer { server.stop() }
        let dir = try GCSTestTools.scratch("federation")
        try Data("file.subject.token\n".utf8).write(to: URL(fileURLWithPath: dir + "/subject"))
        let fromFile = #"{"type":"external_account","audience":"//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","token_url":"\#(server.base)/token","credential_source":{"file":"\#(dir)/subject"}}"#
        // The shape google-github-actions/auth writes: GitHub's OIDC endpoint with its request token, JSON format.
        let fromURL = #"{"type":"external_account","audience":"//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","token_url":"\#(server.base)/token","service_account_impersonation_url":"\#(server.base)/impersonate","credential_source":{"url":"\#(server.base)/oidc?audience=x","headers":{"Authorization":"Bearer RAMPART-FAKE-SECRET-request-token"},"format":{"type":"json","subject_token_field_name":"value"}}}"#
        for (index, content) in [fromFile, fromURL].enumerated() {
            let path = dir + "/credentials-\(index).json"
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            let environment = RemoteEnvironment(variables: ["GOOGLE_APPLICATION_CREDENTIALS": path,
                                                            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": server.base],
                                                homeDirectory: "/nonexistent-home", retry: RetryPolicy(attempts: 1))
            let store = try GCSStore(bucket: "state", environment: environment, transport: HTTPTransport(retry: environment.retry))
            #expect(try await store.get(key: "team/.pulumi/meta.yaml") == Array("version: 1\n".utf8))
        }
        let stats = try await Self.stats(server)
        #expect(stats["subjectTokens"].map { Array($0.elements).compactMap(\.string) } == ["file.subject.token", "oidc.subject.token"])
        #expect(stats["impersonations"]?.int == 1)
    }

    @Test("the service-account key and the access token appear in no report format, nor in the error when the token is refused")
    func credentialsNeverInOutput() async throws {
        let root = try Self.objectRoot()
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let pem = privateKey.pkcs8PEMRepresentation
        // A recognisable run of the key's base64 body: any leak of the key would contain it.
        let keyBody = pem.split(separator: "\n")[2]
        for reject in [false, true] {
            let server = try LocalServerProcess(stubArguments: ["--root", root] + (reject ? ["--reject-tokens"] : []))
            defer { server.stop() }
            let dir = try GCSTestTools.scratch("reports")
            let keyFile = try GCSTestTools.serviceAccountKeyFile(pem: pem, tokenURI: server.base + "/token", in: dir)
            let environment = RemoteEnvironment(variables: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile,
                                                            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": server.base],
                                                homeDirectory: "/nonexistent-home", retry: RetryPolicy(attempts: 1))
            let backends = RemoteBackends(environment: environment)
            var options = RunOptions(failOn: .none, jobs: 2, today: "2026-12-01", timestamp: "2026-12-01T00:00:00Z")
            options.reports = ReportFormat.allCases.map { ReportTarget(format: $0, path: dir + "/report." + $0.rawValue) }
            // With the token refused, a local file beside the bucket is still scanned and the reports are written.
            let inputs = ["gs://state/team"] + (reject ? [GCSTestTools.checkpoints + "/checkpoint-v4-features.json"] : [])
            let result = try Pipeline(remote: backends).run(.inputs(inputs), options: options)
            if reject {
                #expect(result.report.stacks.count == 1)
                let failure = try #require(result.report.inputFailures.first)
                #expect(failure.message.contains("invalid_grant"))
            } else {
                #expect(result.report.stacks.count == 3)
                #expect(result.report.inputFailures.isEmpty)
            }
            var texts = try ReportFormat.allCases.map { try String(contentsOfFile: dir + "/report." + $0.rawValue, encoding: .utf8) }
            texts += result.report.inputFailures.map(\.message)
            do { texts.append("\(String(describing: try backends.stateBucket("gs://state/team")))") } catch { texts.append("\(error)") }
            for text in texts {
                #expect(!text.contains(keyBody))
                #expect(!text.contains("ya29.stub-token"))
                #expect(!text.contains("PRIVATE KEY"))
            }
            let assertions = try await Self.stats(server)["assertions"].map { Array($0.elements).compactMap(\.string) } ?? []
            #expect(!assertions.isEmpty)
            for assertion in assertions { #expect(!texts.contains { $0.contains(assertion.prefix(60)) }) }
        }
    }

    @Test("bucket settings: a refused ACL read falls back to noAcl, a refused IAM policy leaves public access unreadable")
    func bucketSettingsWithRefusals() throws {
        let root = try Self.objectRoot()
        let resource = #"{"versioning":{"enabled":true},"encryption":{"defaultKmsKeyName":"projects/p/locations/eu/keyRings/r/cryptoKeys/state"},"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},"logging":{"logBucket":"audit-logs","logObjectPrefix":"state"}}"#
        let iam = #"{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers","user:a@example.com"]}]}"#
        for (deny, publicAccess) in [(#"["full"]"#, StateBucket.Reading<StateBucket.PublicAccess>.known(
                                        StateBucket.PublicAccess(blocked: true, publicGrants: ["IAM binding grants roles/storage.objectViewer to allUsers"]))),
                                     (#"["full","iam"]"#, .unreadable("IAM policy: HTTP 403 caller does not have storage.buckets.getIamPolicy access"))] {
            let settings = #"{"resource":\#(resource),"iam":\#(iam),"deny":\#(deny)}"#
            let server = try LocalServerProcess(stubArguments: ["--root", root, "--settings", settings])
            defer { server.stop() }
            let environment = RemoteEnvironment(variables: ["GCE_METADATA_HOST": "127.0.0.1:\(server.port)",
                                                            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE": server.base],
                                                homeDirectory: "/nonexistent-home", retry: RetryPolicy(attempts: 1))
            let bucket = try #require(try RemoteBackends(environment: environment).stateBucket("gs://state/team"))
            #expect(bucket == StateBucket(
                location: "gs://state/team", service: .gcs, name: "state",
                encryption: .known(.init(algorithm: "cloud-kms", customerManagedKey: "projects/p/locations/eu/keyRings/r/cryptoKeys/state")),
                versioning: .known(true), publicAccess: publicAccess, accessLogging: .known("gs://audit-logs/state")))
        }
    }
}
