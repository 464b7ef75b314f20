import Foundation
import Rampart
import RampartInputs
import RampartModel
import RampartPolicy
import RampartReports
import Testing
@testable import RampartRemote

/// moto's S3/STS/KMS server (PyPI `moto[server]`), started by each test on a free loopback port and stopped at its
/// end. Without moto the tests are skipped with that reason, except in CI (`CI` set), where they run and fail.
final class MotoServer: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only terminated in deinit.
    static let required = ProcessInfo.processInfo.environment["CI"] != nil
    static let available: Bool = (try? LocalProcesses.run(["python3", "-c", "import moto.server, boto3"]).status) == 0
    static let enabled = required || available
    static let skipReason: Comment = "moto is not installed (pip install 'moto[server]'); CI always runs this"
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/moto/s3_backend.py"

    let port: Int
    private let process: Process

    var endpoint: String { "http://127.0.0.1:\(port)" }

    init() throws {
        try #require(Self.available, "the moto tests need python3 with moto[server] (pip install 'moto[server]')")
        port = try LocalProcesses.freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it answers (a bounded number of polls; the test fails rather than hangs).
        for _ in 0..<300 {
            if (try? LocalProcesses.run(["python3", "-c", "import urllib.request; urllib.request.urlopen('\(endpoint)/moto-api/data.json', timeout=1)"]).status) == 0 { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        LocalProcesses.stop(process)
        Issue.record("moto did not start on \(endpoint)")
        throw CancellationError()
    }

    deinit { LocalProcesses.stop(process) }

    /// Runs the fixture script (`backend`, `harden`, `bare`) against this server.
    @discardableResult
    func setUp(_ arguments: String...) throws -> String {
        let (status, output) = try LocalProcesses.run(["python3", Self.script] + arguments.prefix(1) + [endpoint] + arguments.dropFirst())
        try #require(status == 0, "s3_backend.py failed:\n\(output.suffix(3000))")
        return output
    }
}

// moto's server is started per test on a free loopback port; without moto the suite skips with its reason, except
// under CI. (It once hung: the server ignored SIGTERM, inherited blocked from the test process; deinit kills it.)
@Suite("S3 backends against moto", .serialized, .enabled(if: MotoServer.enabled, MotoServer.skipReason))
struct MotoS3Tests {
    /// Recognisable fake credentials: none of them may appear in any report or error.
    static let secretKey = "RAMPARTFAKESECRETKEY0123456789abcdefXYZ"
    static let sessionToken = "RAMPARTFAKESESSIONTOKEN9876543210zyxw"
    static let webToken = "RAMPARTFAKEWEBIDENTITYTOKEN5555"
    static let today = "2026-06-01"

    /// Runs `body` on a thread of its own: the pipeline blocks its caller while remote stacks arrive
    /// (`Blocking.wait`), which must never happen on a thread of the cooperative pool that runs the tests.
    static func offPool(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "rampart-moto-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func environment(_ extra: [String: String] = [:], home: String) -> RemoteEnvironment {
        var variables = ["AWS_ACCESS_KEY_ID": "AKIARAMPARTTEST", "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": sessionToken]
        variables.merge(extra) { _, new in new }
        return RemoteEnvironment(variables: variables, homeDirectory: home, retry: RetryPolicy(attempts: 2, baseDelay: .milliseconds(10)))
    }

    static func location(_ server: MotoServer, _ bucket: String, _ prefix: String = "", extra: String = "") -> String {
        "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix)?endpoint=\(server.endpoint)&s3ForcePathStyle=true&region=us-east-1\(extra)"
    }

    /// Runs the pipeline writing every report format into `reports`; returns the report and the files' text.
    static func run(_ subjects: Subjects, environment: RemoteEnvironment, reports directory: String? = nil) throws -> (ScanReport, [String: String]) {
        var options = RunOptions()
        options.today = today
        options.timestamp = "2026-06-01T00:00:00Z"
        options.jobs = 2
        options.failOn = .none
        if let directory {
            options.reports = ReportFormat.allCases.map { ReportTarget(format: $0, path: "\(directory)/report.\($0.rawValue)") }
        }
        let result = try Pipeline(remote: RemoteBackends(environment: environment)).run(subjects, options: options)
        var files: [String: String] = [:]
        if let directory {
            for format in ReportFormat.allCases {
                files[format.rawValue] = try String(contentsOfFile: "\(directory)/report.\(format.rawValue)", encoding: .utf8)
            }
        }
        return (result.report, files)
    }

    static func json(_ report: ScanReport) throws -> String {
        String(decoding: try JSONReporter().render(report), as: UTF8.self)
    }

    @Test("a bucket backend scans exactly like the same files in a directory, apart from the locations")
    func scanEqualsLocalScan() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let local = try Self.directory() + "/backend"
            try server.setUp("backend", "state", "team/prod", local, "12", "state")
            let input = Self.location(server, "state", "team/prod")
            let home = try Self.directory()
            let (remote, _) = try Self.run(.inputs([input]), environment: Self.environment(home: home))
            let (files, _) = try Self.run(.inputs([local]), environment: Self.environment(home: home))
            #expect(remote.inputFailures.isEmpty, "\(remote.inputFailures)")
            #expect(remote.stacks.count == 12)
            #expect(remote.stacks.allSatisfy { $0.name.hasPrefix("organization/app") || $0.name.contains("/app") })
            let remoteJSON = try Self.json(remote).replacingOccurrences(of: input, with: "<backend>")
                .replacingOccurrences(of: "s3://state/team/prod", with: "<backend>")
            let localJSON = try Self.json(files).replacingOccurrences(of: local, with: "<backend>")
            #expect(remoteJSON == localJSON)
            #expect(!remoteJSON.contains(Self.secretKey) && !remoteJSON.contains(Self.sessionToken))
        }
    }

    @Test("web identity: the OIDC token is exchanged at moto's STS (AWS_ENDPOINT_URL_STS) and never shown")
    func webIdentity() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let local = try Self.directory() + "/backend"
            try server.setUp("backend", "oidc", "", local, "3")
            let home = try Self.directory()
            try Self.webToken.write(toFile: home + "/token", atomically: true, encoding: .utf8)
            let environment = RemoteEnvironment(variables: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": home + "/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
                "AWS_ROLE_SESSION_NAME": "nightly", "AWS_ENDPOINT_URL_STS": server.endpoint,
            ], homeDirectory: home)
            let reports = try Self.directory()
            let (report, files) = try Self.run(.inputs([Self.location(server, "oidc")]), environment: environment, reports: reports)
            #expect(report.inputFailures.isEmpty, "\(report.inputFailures)")
            #expect(report.stacks.count == 3)
            for (format, text) in files { #expect(!text.contains(Self.webToken), "the web identity token is in the \(format) report") }

            // The credentials STS gave are the ones used.
            let chain = AWSCredentialChain(environment: environment, transport: HTTPTransport())
            let credentials = try Blocking.wait { () async throws(RemoteError) -> AWSCredentials in try await chain.credentials(profile: nil, location: "s3://oidc") }
            #expect(credentials.source == "web identity (arn:aws:iam::123456789012:role/ci)")
            #expect(credentials.sessionToken?.isEmpty == false)
        }
    }

    @Test("?profile= reads the named profile of ~/.aws/credentials")
    func profileCredentials() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let local = try Self.directory() + "/backend"
            try server.setUp("backend", "profiled", "p", local, "2")
            let home = try Self.directory()
            try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
            try "[ci]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = \(Self.secretKey)\n".write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8)
            let environment = RemoteEnvironment(variables: [:], homeDirectory: home)
            let reports = try Self.directory()
            let (report, files) = try Self.run(.inputs([Self.location(server, "profiled", "p", extra: "&profile=ci")]), environment: environment, reports: reports)
            #expect(report.inputFailures.isEmpty, "\(report.inputFailures)")
            #expect(report.stacks.count == 2)
            for (format, text) in files { #expect(!text.contains(Self.secretKey), "the secret key is in the \(format) report") }
            // Without the profile there are no credentials at all, and the error says where they are looked for.
            do {
                _ = try Self.run(.inputs([Self.location(server, "profiled", "p", extra: "&profile=missing")]), environment: environment)
                Issue.record("a missing profile must fail the only input")
            } catch {
                #expect("\(error)".contains("profile 'missing'"), "\(error)")
                #expect(!"\(error)".contains(Self.secretKey))
            }
        }
    }

    static func checklist(_ report: ScanReport) -> [String: ChecklistItem.Status] {
        var statuses: [String: ChecklistItem.Status] = [:]
        for (_, items) in Checklist.items(report) {
            for item in items where item.policy.hasPrefix("state-bucket-") { statuses[item.policy] = item.status }
        }
        return statuses
    }

    static let items = ["state-bucket-encrypted", "state-bucket-versioned", "state-bucket-public-access-blocked", "state-bucket-access-logging"]

    @Test("audit: a hardened bucket passes the state-bucket items, a bare one violates them, and no report shows a credential")
    func hardenedAndBareBuckets() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let home = try Self.directory()
            try server.setUp("harden", "hardened")
            try server.setUp("backend", "hardened", "", try Self.directory(), "2")
            try server.setUp("bare", "bare")
            try server.setUp("backend", "bare", "", try Self.directory(), "2")

            let reports = try Self.directory()
            let (hardened, files) = try Self.run(.audit(inputs: [Self.location(server, "hardened")], projects: [], organization: nil),
                                                 environment: Self.environment(home: home), reports: reports)
            #expect(hardened.inputFailures.isEmpty, "\(hardened.inputFailures)")
            #expect(Self.checklist(hardened) == Dictionary(uniqueKeysWithValues: Self.items.map { ($0, .pass) }))
            for (format, text) in files {
                #expect(!text.contains(Self.secretKey) && !text.contains(Self.sessionToken), "a credential is in the \(format) report")
            }

            let (bare, _) = try Self.run(.audit(inputs: [Self.location(server, "bare")], projects: [], organization: nil),
                                         environment: Self.environment(home: home))
            #expect(Self.checklist(bare) == Dictionary(uniqueKeysWithValues: Self.items.map { ($0, .violation) }))
            let messages = bare.findings.filter { $0.policy.hasPrefix("state-bucket-") }.map(\.message).sorted()
            #expect(messages.contains("state bucket s3://bare does not block public access and is granted to the public: the ACL grants READ to AllUsers"))
            #expect(messages.contains("state bucket s3://bare has no default encryption"))
        }
    }

    @Test("the settings of the bucket are read through the S3 API, with the customer-managed key")
    func bucketSettings() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let key = try server.setUp("harden", "settings").trimmingCharacters(in: .whitespacesAndNewlines)
            let input = Self.location(server, "settings")
            let bucket = try #require(try RemoteBackends(environment: Self.environment(home: try Self.directory())).stateBucket(input))
            #expect(bucket.name == "settings" && bucket.service == .s3 && bucket.location == input)
            #expect(bucket.encryption == .known(.init(algorithm: "aws:kms", customerManagedKey: key)))
            #expect(bucket.versioning == .known(true))
            #expect(bucket.publicAccess == .known(.init(blocked: true)))
            #expect(bucket.accessLogging == .known("s3://settings-logs/state/"))
        }
    }

    @Test("a bucket that does not exist is one failed input, its error free of credentials")
    func missingBucket() async throws {
        try await Self.offPool {
            let server = try MotoServer()
            let local = try Self.directory() + "/backend"
            try server.setUp("backend", "present", "", local, "1")
            let (report, _) = try Self.run(.inputs([Self.location(server, "absent"), Self.location(server, "present")]),
                                           environment: Self.environment(home: try Self.directory()))
            #expect(report.stacks.count == 1)
            #expect(report.inputFailures.count == 1)
            let message = report.inputFailures.map { "\($0.file) \($0.message)" }.joined()
            #expect(message.contains("404") && message.contains("NoSuchBucket"), "\(message)")
            #expect(!message.contains(Self.secretKey) && !message.contains(Self.sessionToken))
        }
    }
}
