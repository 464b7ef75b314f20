import Foundation
import Rampart
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy
import RampartReports
import Testing
@testable import RampartRemote

/// A recognisable fake token: no output or error may ever hold it.
private let secretToken = "pul-FAKE0SECRET0TOKEN0d3adb33f"

@Suite("Pulumi Cloud account")
struct PulumiCloudAccountTests {
    private func home(credentials: String?) throws -> String {
        let home = try Scratch.directory()
        if let credentials {
            try FileManager.default.createDirectory(atPath: home + "/.pulumi", withIntermediateDirectories: true)
            try Data(credentials.utf8).write(to: URL(fileURLWithPath: home + "/.pulumi/credentials.json"))
        }
        return home
    }

    private let credentials = """
        {"current": "https://pulumi.example.test/",
         "accessTokens": {"https://legacy.example.test": "pul-legacy"},
         "accounts": {"https://pulumi.example.test": {"accessToken": "pul-file", "username": "alice"},
                      "https://other.example.test": {"accessToken": "pul-other"}}}
        """

    @Test("the current account of credentials.json gives the API base and its token")
    func readsTheCurrentAccount() throws {
        let account = try PulumiCloudAccount(environment: RemoteEnvironment(variables: [:], homeDirectory: home(credentials: credentials)),
                                             location: "pulumi://acme")
        #expect(account.baseURL == "https://pulumi.example.test")
        #expect(account.token == "pul-file")
    }

    @Test("--cloud-url beats PULUMI_BACKEND_URL, which beats the credentials file; the token is the file's for that URL")
    func ordersTheSourcesOfTheBase() throws {
        let home = try home(credentials: credentials)
        let fromVariable = try PulumiCloudAccount(environment: RemoteEnvironment(
            variables: ["PULUMI_BACKEND_URL": "https://other.example.test"], homeDirectory: home), location: "pulumi://acme")
        #expect(fromVariable.baseURL == "https://other.example.test")
        #expect(fromVariable.token == "pul-other")
        let fromFlag = try PulumiCloudAccount(environment: RemoteEnvironment(
            variables: ["PULUMI_BACKEND_URL": "https://other.example.test"], homeDirectory: home,
            cloudURL: "https://legacy.example.test"), location: "pulumi://acme")
        #expect(fromFlag.baseURL == "https://legacy.example.test")
        #expect(fromFlag.token == "pul-legacy")
    }

    @Test("a self-managed PULUMI_BACKEND_URL is not an API base; PULUMI_ACCESS_TOKEN beats the file's token")
    func ignoresSelfManagedBackendURLs() throws {
        let account = try PulumiCloudAccount(environment: RemoteEnvironment(
            variables: ["PULUMI_BACKEND_URL": "s3://state-bucket", "PULUMI_ACCESS_TOKEN": "pul-env"],
            homeDirectory: home(credentials: nil)), location: "pulumi://acme")
        #expect(account.baseURL == "https://api.pulumi.com")
        #expect(account.token == "pul-env")
    }

    @Test("no token anywhere is a noCredentials error naming both places")
    func reportsMissingCredentials() throws {
        let home = try home(credentials: nil)
        let error = #expect(throws: RemoteError.self) {
            try PulumiCloudAccount(environment: RemoteEnvironment(variables: [:], homeDirectory: home), location: "pulumi://acme")
        }
        guard case .noCredentials(let location, let hint)? = error else { Issue.record("expected noCredentials, got \(String(describing: error))"); return }
        #expect(location == "pulumi://acme")
        #expect(hint.contains("PULUMI_ACCESS_TOKEN") && hint.contains(home + "/.pulumi/credentials.json"))
    }

    @Test("an unreadable credentials file is an error that quotes none of it")
    func rejectsMalformedCredentials() throws {
        let home = try home(credentials: "{\"accounts\": {\"https://api.pulumi.com\": {\"accessToken\": \"\(secretToken)\" ")
        let error = #expect(throws: RemoteError.self) {
            try PulumiCloudAccount(environment: RemoteEnvironment(variables: [:], homeDirectory: home), location: "pulumi://acme")
        }
        let text = String(describing: error)
        #expect(text.contains("credentials.json") && text.contains("line 1"))
        #expect(!text.contains(secretToken))
    }
}

/// Runs the pipeline against the local Pulumi Cloud server, and the same exports read from the local directory.
private struct CloudRun {
    static let today = "2026-06-01"
    static let timestamp = "2026-06-01T00:00:00Z"

    static func environment(_ server: CloudServer, token: String = secretToken, filters: [String] = [],
                            timeout: Duration = .seconds(5)) throws -> RemoteEnvironment {
        RemoteEnvironment(variables: ["PULUMI_ACCESS_TOKEN": token], homeDirectory: try Scratch.directory(),
                          cloudURL: server.url, stackFilters: filters,
                          retry: RetryPolicy(attempts: 4, baseDelay: .milliseconds(20), maxDelay: .seconds(2), timeout: timeout))
    }

    static func options(_ reports: [ReportTarget] = [ReportTarget(format: .json, path: nil)]) -> RunOptions {
        var options = RunOptions(reports: reports, jobs: 2)
        options.today = today
        options.timestamp = timestamp
        return options
    }

    static func scan(_ inputs: [String], remote: RemoteBackends?) async throws -> (report: ScanReport, json: String) {
        let result = try await offPool { try Pipeline(remote: remote).run(.inputs(inputs), options: options()) }
        return (result.report, String(decoding: result.stdout ?? [], as: UTF8.self))
    }

    /// Runs the synchronous pipeline on a thread of its own: it blocks while remote stacks are fetched by tasks of the
    /// cooperative pool, which tests running in parallel on a small machine would otherwise use up.
    static func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}

@Suite("Pulumi Cloud inputs", .serialized, .enabled(if: CloudServer.enabled, CloudServer.skipReason))
struct PulumiCloudScanTests {
    @Test("a scan of pulumi://ORG equals the scan of the same exports locally, apart from input locations")
    func remoteScanEqualsLocalScan() async throws {
        let root = try Scratch.sampleBackend()
        // The organisation is called `organization`, the name a self-managed backend gives every stack, so the
        // identities (and with them fingerprints) are the same on both sides. Paging, throttling and a transient
        // server error are all on the way.
        let server = try CloudServer(root: root, org: "organization", token: secretToken,
                                     options: ["--page-size", "2", "--throttle", "/api/user/stacks",
                                               "--fail-once", "/api/stacks/organization/web/prod/export"])
        let remote = try await CloudRun.scan(["pulumi://organization"], remote: RemoteBackends(environment: CloudRun.environment(server)))
        let local = try await CloudRun.scan([root], remote: nil)

        #expect(remote.report.stacks.map(\.source) == ["pulumi://organization/api/dev", "pulumi://organization/api/prod",
                                                       "pulumi://organization/web/dev", "pulumi://organization/web/prod",
                                                       "pulumi://organization/web/staging"])
        #expect(remote.report.inputFailures.isEmpty)
        var normalised = remote.json.replacingOccurrences(of: "\"pulumi://organization\"", with: try jsonString(root))
        for stack in remote.report.stacks {
            let file = root + "/.pulumi/stacks/" + stack.source.dropFirst("pulumi://organization/".count) + ".json"
            normalised = normalised.replacingOccurrences(of: try jsonString(stack.source), with: try jsonString(file))
        }
        #expect(!local.report.findings.isEmpty)
        #expect(normalised == local.json)

        let requests = server.requests
        #expect(requests.filter { $0.contains("/api/user/stacks") && $0.hasSuffix(" 200") }.count == 3, "5 stacks, 2 a page")
        #expect(requests.contains { $0.contains("/api/user/stacks") && $0.hasSuffix(" 429") })
        #expect(requests.filter { $0.contains("/web/prod/export") }.map { $0.suffix(3) } == ["500", "200"])
    }

    @Test("a stack's identity comes from the API; a stack URL is fetched without listing")
    func identityFromTheAPI() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken)
        let run = try await CloudRun.scan(["pulumi://acme/web/prod"], remote: RemoteBackends(environment: CloudRun.environment(server)))
        #expect(run.report.stacks.map(\.name) == ["acme/web/prod"])
        #expect(run.report.stacks.map(\.source) == ["pulumi://acme/web/prod"])
        #expect(run.report.findings.allSatisfy { $0.stack == "acme/web/prod" })
        #expect(!server.requests.contains { $0.contains("/api/user/stacks") })
    }

    @Test("pulumi://ORG/PROJECT and --stack-filter narrow the stacks read")
    func narrowsTheList() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken, options: ["--page-size", "1"])
        let project = try await CloudRun.scan(["pulumi://acme/web"], remote: RemoteBackends(environment: CloudRun.environment(server)))
        #expect(project.report.stacks.map(\.name) == ["acme/web/dev", "acme/web/prod", "acme/web/staging"])
        let filtered = try await CloudRun.scan(["pulumi://acme"], remote: RemoteBackends(environment: CloudRun.environment(
            server, filters: ["acme/*/prod", "api/dev"])))
        #expect(filtered.report.stacks.map(\.name) == ["acme/api/dev", "acme/api/prod", "acme/web/prod"])
    }

    @Test("a slow stack is retried after the per-request timeout; a stack that always fails is listed, the others scanned, exit 2")
    func faultsCostOnlyTheirStack() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken,
                                     options: ["--slow-once", "/api/stacks/acme/api/dev/export=3",
                                               "--broken", "/api/stacks/acme/web/staging/export"])
        let run = try await CloudRun.scan(["pulumi://acme"], remote: RemoteBackends(environment: CloudRun.environment(server, timeout: .seconds(1))))
        #expect(run.report.stacks.map(\.name) == ["acme/api/dev", "acme/api/prod", "acme/web/dev", "acme/web/prod"])
        #expect(run.report.inputFailures.map(\.file) == ["pulumi://acme/web/staging"])
        #expect(run.report.inputFailures.first?.message.contains("HTTP 500") == true)
        #expect(run.report.verdict.exitCode == 2)
        #expect(server.requests.filter { $0.contains("/api/dev/export") }.prefix(2).map { $0.suffix(4) } == [" 200", "slow"].reversed(),
                "the first attempt was slow (and timed out), the retry served")
        #expect(server.requests.filter { $0.contains("/web/staging/export") }.count == 4, "every attempt of the retry policy")
    }

    @Test("a wrong token is refused with a clear error that does not hold it")
    func wrongTokenIsRefused() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: "pul-the-right-one")
        let error = await #expect(throws: RampartError.self) {
            try await CloudRun.scan(["pulumi://acme"], remote: RemoteBackends(environment: CloudRun.environment(server)))
        }
        let text = String(describing: error)
        #expect(text.contains("pulumi://acme") && text.contains("HTTP 401"))
        #expect(!text.contains(secretToken))
    }
}

@Suite("Organisation snapshot from the API", .serialized, .enabled(if: CloudServer.enabled, CloudServer.skipReason))
struct OrganizationSnapshotFetchTests {
    static let sample = CloudServer.repositoryRoot + "/Samples/org-snapshot.json"

    private func audit(_ server: CloudServer, save: String? = nil) async throws -> ScanReport {
        var options = CloudRun.options([])
        options.saveOrganizationPath = save
        let remote = RemoteBackends(environment: try CloudRun.environment(server))
        let run = options
        return try await CloudRun.offPool {
            try Pipeline(remote: remote).run(.audit(inputs: [], projects: [], organization: "pulumi://acme"), options: run).report
        }
    }

    @Test("--save-org writes the assembled snapshot; it reads back with the same parts as the file it was served from")
    func savesASnapshotThatReadsBack() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken, snapshot: Self.sample,
                                     options: ["--page-size", "2"])
        let saved = try Scratch.directory() + "/org.json"
        let fromAPI = try await audit(server, save: saved)
        let reread = try OrgSnapshotReader().read(saved)
        let original = try OrgSnapshotReader().read(Self.sample)
        #expect(reread.organization == "acme")
        #expect(reread.members == original.members)
        #expect(reread.teams == original.teams)
        #expect(reread.tokens?.count == original.tokens?.count)
        #expect(Set(reread.tokens ?? []) == Set(original.tokens ?? []))
        #expect(reread.policyGroups == original.policyGroups)
        #expect(reread.auditLogs?.events == original.auditLogs?.events)
        #expect(reread.auditLogs?.exportConfigured == original.auditLogs?.exportConfigured)
        #expect(reread.sso == original.sso)

        // The audit of the API's snapshot says what the audit of the file says.
        var options = CloudRun.options([])
        options.today = CloudRun.today
        let fromFile = try Pipeline().run(.audit(inputs: [], projects: [], organization: Self.sample), options: options).report
        #expect(outcomes(fromAPI) == outcomes(fromFile))
        #expect(!outcomes(fromAPI).isEmpty)
    }

    @Test("a part the token may not read is left out: its items are not evaluable, never a pass")
    func forbiddenPartIsNotEvaluable() async throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken, snapshot: Self.sample,
                                     options: ["--forbid", "/api/orgs/acme/tokens"])
        let saved = try Scratch.directory() + "/org.json"
        let report = try await audit(server, save: saved)
        let snapshot = try OrgSnapshotReader().read(saved)
        #expect(snapshot.tokens == nil)
        #expect(snapshot.members != nil)
        let rotation = outcomes(report).filter { $0.key.hasSuffix("/token-rotation") }
        #expect(!rotation.isEmpty)
        #expect(rotation.values.allSatisfy { $0 == ChecklistItem.Status.notEvaluable.rawValue })
    }

    /// Each checklist item's status in a report, keyed `pack/policy`.
    private func outcomes(_ report: ScanReport) -> [String: String] {
        var result: [String: String] = [:]
        for (pack, items) in Checklist.items(report) {
            for item in items { result["\(pack.name)/\(item.policy)"] = item.status.rawValue }
        }
        return result
    }
}

private func jsonString(_ text: String) throws -> String {
    var writer = JSONWriter()
    writer.string(text)
    return writer.string
}

@Suite("Pulumi Cloud tokens stay secret", .serialized, .enabled(if: CloudServer.enabled, CloudServer.skipReason))
struct PulumiCloudSecrecyTests {
    @Test("the token appears in no report format, saved snapshot or stderr of the binary, on success and on failure")
    func tokenNeverAppears() throws {
        let server = try CloudServer(root: try Scratch.sampleBackend(), org: "acme", token: secretToken,
                                     snapshot: OrganizationSnapshotFetchTests.sample,
                                     options: ["--broken", "/api/stacks/acme/web/dev/export", "--forbid", "/api/orgs/acme/tokens"])
        let out = try Scratch.directory()
        let formats = ["text", "json", "sarif", "junit", "markdown", "html", "github"]
        let reports = formats.flatMap { ["--report", "\($0)=\(out)/scan.\($0)"] }
        let scan = try RampartBinary.run(["scan", "pulumi://acme", "--cloud-url", server.url] + reports, token: secretToken)
        #expect(scan.exitCode == 2, "a stack that cannot be fetched makes the run incomplete")
        #expect(try String(contentsOfFile: "\(out)/scan.text", encoding: .utf8).contains("pulumi://acme/web/dev"),
                "the stack that could not be fetched is listed in the report")
        let audit = try RampartBinary.run(["audit", "pulumi://acme", "--org", "pulumi://acme", "--save-org", "\(out)/org.json",
                                           "--cloud-url", server.url, "--report", "json=\(out)/audit.json", "--report", "markdown=\(out)/audit.md"],
                                          token: secretToken)
        #expect(FileManager.default.fileExists(atPath: "\(out)/org.json"))
        let refused = try RampartBinary.run(["scan", "pulumi://acme", "--cloud-url", server.url], token: secretToken + "-wrong")
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("HTTP 401"))

        var texts = [scan.stdout, scan.stderr, audit.stdout, audit.stderr, refused.stdout, refused.stderr]
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            texts.append(String(decoding: try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(name)")), as: UTF8.self))
        }
        #expect(texts.count == 6 + formats.count + 3)
        for text in texts { #expect(!text.contains(secretToken) && !text.contains("FAKE0SECRET")) }
    }
}

/// Runs the `rampart` binary of this build with a Pulumi token in its environment and a home directory of its own.
enum RampartBinary {
    static let binary: String? = ["debug", "release"].map { CloudServer.repositoryRoot + "/.build/\($0)/rampart" }
        .filter { FileManager.default.isExecutableFile(atPath: $0) }
        .max { modified($0) < modified($1) }

    private static func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }

    static func run(_ arguments: [String], token: String) throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let binary = try #require(binary, "no rampart binary under .build/debug or .build/release; run swift build first")
        let scratch = try Scratch.directory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": scratch, "PULUMI_ACCESS_TOKEN": token, "NO_COLOR": "1"]
        // Files rather than pipes: a child writing more than a pipe buffer while we wait would otherwise deadlock.
        let out = scratch + "/stdout", err = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self),
                String(decoding: try Data(contentsOf: URL(fileURLWithPath: err)), as: UTF8.self))
    }
}
