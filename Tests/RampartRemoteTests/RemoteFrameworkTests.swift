import Foundation
import RampartInputs
import Testing
@testable import RampartRemote

@Suite("Remote locations")
struct RemoteLocationTests {
    @Test("pulumi://, s3:// and gs:// parse into their parts")
    func parsesTheThreeForms() throws {
        #expect(try RemoteLocation(parsing: "pulumi://acme") == .pulumiCloud(organization: "acme", project: nil, stack: nil))
        #expect(try RemoteLocation(parsing: "pulumi://acme/web/prod") == .pulumiCloud(organization: "acme", project: "web", stack: "prod"))
        #expect(try RemoteLocation(parsing: "s3://state/team/a?region=eu-west-1&s3ForcePathStyle=true")
                == .s3(bucket: "state", prefix: "team/a", options: ["region": "eu-west-1", "s3ForcePathStyle": "true"]))
        #expect(try RemoteLocation(parsing: "gs://state") == .gcs(bucket: "state", prefix: ""))
    }

    @Test("a malformed location says what was expected")
    func rejectsMalformedLocations() {
        for input in ["pulumi://", "pulumi://a/b/c/d", "s3://", "s3://b?colour=red", "gs://b?x=1", "ftp://x"] {
            #expect(throws: RemoteError.self) { try RemoteLocation(parsing: input) }
        }
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("Retry-After in seconds or as an HTTP date is honoured, capped at the longest wait")
    func honoursRetryAfter() {
        let policy = RetryPolicy(maxDelay: .seconds(10))
        #expect(policy.delay(afterAttempt: 0, retryAfter: "2") == .seconds(2))
        #expect(policy.delay(afterAttempt: 0, retryAfter: "3600") == .seconds(10))
        let now = Date(timeIntervalSince1970: 1_000_000)
        let later = "Mon, 12 Jan 1970 13:46:43 GMT"  // now + 3 s
        #expect(policy.delay(afterAttempt: 0, retryAfter: later, now: now) == .seconds(3))
    }

    @Test("without Retry-After the back-off doubles per attempt, with full jitter")
    func backsOffExponentially() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: 0, retryAfter: nil, random: { $0.upperBound }) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2, retryAfter: nil, random: { $0.upperBound }) == .milliseconds(400))
        #expect(policy.delay(afterAttempt: 9, retryAfter: nil, random: { $0.upperBound }) == .seconds(1))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: { $0.lowerBound }) == .zero)
    }

    @Test("throttling and server errors are retried, client errors are not")
    func retryableStatuses() {
        #expect(RetryPolicy.isRetryable(status: 429))
        #expect(RetryPolicy.isRetryable(status: 503))
        #expect(!RetryPolicy.isRetryable(status: 501))
        #expect(!RetryPolicy.isRetryable(status: 403))
        #expect(!RetryPolicy.isRetryable(status: 404))
    }
}

/// A bucket in memory, for the layout and the fetcher.
private struct MemoryStore: ObjectStore {
    var bucketURL: String { "mem://bucket" }
    var objects: [String: (bytes: [UInt8], modified: Date)]
    var failing: Set<String> = []

    func list(prefix: String) async throws(RemoteError) -> [StoredObject] {
        objects.filter { $0.key.hasPrefix(prefix) }.map { StoredObject(key: $0.key, modified: $0.value.modified) }
    }

    func get(key: String) async throws(RemoteError) -> [UInt8] {
        if failing.contains(key) { throw .status(location: bucketURL + "/" + key, code: 500, message: "boom") }
        guard let object = objects[key] else { throw .status(location: bucketURL + "/" + key, code: 404, message: "NoSuchKey") }
        return object.bytes
    }
}

@Suite("Buckets read like backend directories")
struct ObjectStoreCatalogTests {
    private let old = Date(timeIntervalSince1970: 1_000)
    private let new = Date(timeIntervalSince1970: 2_000)

    private func store() -> MemoryStore {
        MemoryStore(objects: [
            "team/.pulumi/meta.yaml": (Array("version: 1".utf8), old),
            "team/.pulumi/stacks/web/prod.json": (Array("{\"a\":1}".utf8), old),
            "team/.pulumi/stacks/web/prod.json.gz": (Array("{\"a\":2}".utf8), new),
            "team/.pulumi/stacks/web/dev.json.bak": (Array("{}".utf8), new),
            "team/.pulumi/stacks/legacy.json": (Array("{\"a\":3}".utf8), old),
            "team/.pulumi/history/web/prod/prod-1.checkpoint.json": (Array("{}".utf8), old),
            "team/.pulumi/backups/web/prod/prod.1.json": (Array("{}".utf8), old),
            "team/.pulumi/locks/web/prod/x.json": (Array("{}".utf8), old),
            "other/.pulumi/stacks/web/prod.json": (Array("{}".utf8), old),
        ])
    }

    @Test("project and legacy layouts, newest checkpoint per stack; history, backups, locks and .bak skipped")
    func listsCurrentCheckpoints() async throws {
        let sources = try await ObjectStoreCatalog(store: store(), prefix: "/team/").list()
        #expect(sources.map(\.path) == ["mem://bucket/team/.pulumi/stacks/legacy.json",
                                        "mem://bucket/team/.pulumi/stacks/web/prod.json.gz"])
        #expect(sources[1].impliedIdentity?.description == "organization/web/prod")
        #expect(sources[0].impliedIdentity == nil)
    }

    @Test("the fetcher returns stacks in list order and a failed fetch costs only its stack")
    func fetchesInOrder() throws {
        var store = store()
        store.failing = ["team/.pulumi/stacks/legacy.json"]
        let catalog = ObjectStoreCatalog(store: store, prefix: "team")
        let sources = [InputSource(path: "mem://bucket/team/.pulumi/stacks/legacy.json"),
                       InputSource(path: "mem://bucket/team/.pulumi/stacks/web/prod.json"),
                       InputSource(path: "mem://bucket/team/.pulumi/stacks/web/prod.json.gz")]
        let fetcher = RemoteStackFetcher(catalog: catalog, sources: sources, window: 2)
        var seen: [String] = []
        while let next = fetcher.next() {
            switch next.bytes {
            case .success(let bytes): seen.append(String(decoding: bytes, as: UTF8.self))
            case .failure(let error): seen.append("failed: \(error)")
            }
        }
        #expect(seen == ["failed: mem://bucket/team/.pulumi/stacks/legacy.json: cannot read: the server answered HTTP 500: boom",
                         "{\"a\":1}", "{\"a\":2}"])
    }
}

@Suite("The remote environment")
struct RemoteEnvironmentTests {
    @Test("the home directory is $HOME when it is set, as the Pulumi and AWS CLIs read it")
    func homeDirectoryIsHOME() throws {
        let home = try #require(ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 })
        #expect(RemoteEnvironment().homeDirectory == home)
        #expect(RemoteEnvironment(variables: ["HOME": "/home/someone"]).homeDirectory == "/home/someone")
        #expect(RemoteEnvironment(variables: ["HOME": "/home/someone"], homeDirectory: "/given").homeDirectory == "/given")
        // No HOME: the user database's entry, whatever the process's own HOME says.
        #expect(RemoteEnvironment(variables: [:]).homeDirectory == FileManager.default.homeDirectoryForCurrentUser.path)
    }
}
