import Foundation
import Rampart
import RampartInputs
import RampartModel
import RampartReports
import Testing
@testable import RampartRemote

/// gs:// backends against gcp-storage-emulator (PyPI), started on a free loopback port for each test.
@Suite("GCS against gcp-storage-emulator", .serialized, .enabled(if: GCSTestTools.emulatorEnabled, GCSTestTools.emulatorSkipReason))
struct GCSEmulatorTests {
    private static let transport = HTTPTransport(retry: RetryPolicy(attempts: 2))

    /// Sends one set-up request to the emulator, failing the test on a non-success answer.
    private static func call(_ method: String, _ url: String, json: String? = nil, body: [UInt8] = []) throws {
        var request = HTTPRequest(method: method, url: url, body: json.map { Array($0.utf8) } ?? body)
        if json != nil { request.headers.append((name: "Content-Type", value: "application/json")) }
        let prepared = request
        let response = try Blocking.wait { () async throws(RemoteError) -> HTTPResponse in
            try await transport.send(prepared, location: url)
        }
        guard response.isSuccess else {
            throw ServerStartError(reason: "\(method) \(url): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    private static func createBucket(_ name: String, on emulator: LocalServerProcess) throws {
        try call("POST", emulator.base + "/storage/v1/b", json: #"{"name":"\#(name)"}"#)
    }

    private static func upload(_ name: String, _ bytes: [UInt8], bucket: String, on emulator: LocalServerProcess) throws {
        try call("POST", emulator.base + "/upload/storage/v1/b/\(bucket)/o?uploadType=media&name=" + URLComponentEncoding.escape(name), body: bytes)
    }

    private static func jsonReport(_ input: String, remote: RemoteBackends) throws -> (report: String, stacks: Int, failures: Int) {
        let options = RunOptions(failOn: .none, reports: [ReportTarget(format: .json, path: nil)], jobs: 2,
                                 today: "2026-12-01", timestamp: "2026-12-01T00:00:00Z")
        let result = try Pipeline(remote: remote).run(.inputs([input]), options: options)
        return (String(decoding: try #require(result.stdout), as: UTF8.self), result.report.stacks.count, result.report.inputFailures.count)
    }

    @Test("a scan of gs://bucket/prefix equals the scan of the same backend on disk, byte for byte apart from locations")
    func remoteScanEqualsLocalScan() throws {
        let emulator = try LocalServerProcess(emulator: ())
        defer { emulator.stop() }
        try Self.createBucket("pulumi-state", on: emulator)
        let local = try GCSTestTools.scratch("backend")
        for object in try GCSTestTools.backendObjects(prefix: "team") {
            try Self.upload(object.name, object.bytes, bucket: "pulumi-state", on: emulator)
            try GCSTestTools.write(object.bytes, to: local + "/" + object.name)
        }
        let remote = RemoteBackends(environment: RemoteEnvironment(variables: ["STORAGE_EMULATOR_HOST": "127.0.0.1:\(emulator.port)"],
                                                                   homeDirectory: "/nonexistent-home"))
        let fromBucket = try Self.jsonReport("gs://pulumi-state/team", remote: remote)
        let fromDisk = try Self.jsonReport(local + "/team", remote: remote)
        #expect(fromBucket.stacks == 3)
        #expect(fromBucket.failures == 0)
        #expect(fromDisk.stacks == 3)
        #expect(fromBucket.report.contains("gs://pulumi-state/team/.pulumi/stacks/web/prod.json.gz"))
        // The input location and every stack's path under it are the only differences (slashes escaped or not).
        let localised = fromDisk.report.replacingOccurrences(of: local + "/team", with: "gs://pulumi-state/team")
            .replacingOccurrences(of: (local + "/team").replacingOccurrences(of: "/", with: "\\/"), with: "gs:\\/\\/pulumi-state\\/team")
        #expect(localised == fromBucket.report)
    }

    @Test("an emulator bucket that does not exist is an input failure naming it; the other inputs are still scanned")
    func missingBucketCostsOnlyItsInput() throws {
        let emulator = try LocalServerProcess(emulator: ())
        defer { emulator.stop() }
        let remote = RemoteBackends(environment: RemoteEnvironment(variables: ["STORAGE_EMULATOR_HOST": "127.0.0.1:\(emulator.port)"],
                                                                   homeDirectory: "/nonexistent-home", retry: RetryPolicy(attempts: 1)))
        let options = RunOptions(failOn: .none, jobs: 1, today: "2026-12-01", timestamp: "2026-12-01T00:00:00Z")
        let sample = GCSTestTools.checkpoints + "/checkpoint-v4-features.json"
        let report = try Pipeline(remote: remote).run(.inputs(["gs://no-such-bucket/team", sample]), options: options).report
        #expect(report.stacks.count == 1)
        let failure = try #require(report.inputFailures.first)
        #expect(failure.file.hasPrefix("gs://no-such-bucket"))
        #expect(failure.message.contains("404"))
    }

    @Test("audit of a gs:// backend reports the state-bucket items from the bucket's settings")
    func auditReportsStateBucketItems() throws {
        let emulator = try LocalServerProcess(emulator: ())
        defer { emulator.stop() }
        try Self.createBucket("bare", on: emulator)
        for object in try GCSTestTools.backendObjects(prefix: "team") {
            try Self.upload(object.name, object.bytes, bucket: "bare", on: emulator)
        }
        try Self.call("PUT", emulator.base + "/storage/v1/b/bare/iam", json: #"{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"]}]}"#)
        let remote = RemoteBackends(environment: RemoteEnvironment(variables: ["STORAGE_EMULATOR_HOST": "127.0.0.1:\(emulator.port)"],
                                                                   homeDirectory: "/nonexistent-home"))
        let options = RunOptions(failOn: .none, jobs: 2, today: "2026-12-01", timestamp: "2026-12-01T00:00:00Z")
        let report = try Pipeline(remote: remote).run(.audit(inputs: ["gs://bare/team"], projects: [], organization: nil), options: options).report
        var outcomes: [String: Set<String>] = [:]
        for finding in report.findings where finding.policy.hasPrefix("state-bucket-") {
            outcomes[finding.policy, default: []].insert("\(finding.outcome)")
        }
        // GCS always encrypts (Google-managed keys): that item passes, so it has no finding; the other three fail.
        #expect(outcomes["state-bucket-encrypted"] == nil)
        for item in ["state-bucket-versioned", "state-bucket-public-access-blocked", "state-bucket-access-logging"] {
            #expect(outcomes[item] == ["violation"], "\(item): \(outcomes[item] ?? [])")
        }
        let publicFinding = report.findings.first { $0.policy == "state-bucket-public-access-blocked" }
        #expect(publicFinding?.message.contains("allUsers") == true)
    }

    @Test("bucket settings: a bare bucket and a hardened one, as far as the emulator stores them")
    func bucketSettings() throws {
        let emulator = try LocalServerProcess(emulator: ())
        defer { emulator.stop() }
        try Self.createBucket("bare", on: emulator)
        try Self.createBucket("hardened", on: emulator)
        try Self.call("PATCH", emulator.base + "/storage/v1/b/hardened", json: """
            {"versioning":{"enabled":true},"encryption":{"defaultKmsKeyName":"projects/p/locations/eu/keyRings/r/cryptoKeys/state"},
             "iamConfiguration":{"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},
             "logging":{"logBucket":"audit-logs"}}
            """)
        try Self.call("PATCH", emulator.base + "/storage/v1/b/bare", json: """
            {"acl":[{"entity":"allUsers","role":"READER"}]}
            """)
        try Self.call("PUT", emulator.base + "/storage/v1/b/bare/iam", json: """
            {"bindings":[{"role":"roles/storage.objectViewer","members":["allAuthenticatedUsers"]}]}
            """)
        let remote = RemoteBackends(environment: RemoteEnvironment(variables: ["STORAGE_EMULATOR_HOST": "127.0.0.1:\(emulator.port)"],
                                                                   homeDirectory: "/nonexistent-home"))
        let bare = try #require(try remote.stateBucket("gs://bare/team"))
        #expect(bare == StateBucket(
            location: "gs://bare/team", service: .gcs, name: "bare", encryption: .known(.init(algorithm: "google-managed")),
            versioning: .known(false),
            publicAccess: .known(.init(blocked: false, publicGrants: ["IAM binding grants roles/storage.objectViewer to allAuthenticatedUsers",
                                                                      "bucket ACL grants READER to allUsers"])),
            accessLogging: .known(nil)))
        let hardened = try #require(try remote.stateBucket("gs://hardened"))
        #expect(hardened == StateBucket(
            location: "gs://hardened", service: .gcs, name: "hardened",
            encryption: .known(.init(algorithm: "cloud-kms", customerManagedKey: "projects/p/locations/eu/keyRings/r/cryptoKeys/state")),
            versioning: .known(true), publicAccess: .known(.init(blocked: true)), accessLogging: .known("gs://audit-logs")))
        #expect(throws: InputError.self) { try remote.stateBucket("gs://absent") }
    }
}
