import Foundation
import Testing

/// The local Pulumi Cloud stand-in (Fixtures/pulumi_cloud_server.py, Python standard library only), started by a
/// test on a free loopback port and stopped when the value goes away. Where python3 is missing the tests that need
/// it are skipped with that reason, except in CI (`CI` set), where they run and fail.
final class CloudServer {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let script = fixtures + "/pulumi_cloud_server.py"
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Whether the tests that need the server run: always in CI, elsewhere when python3 is on the PATH.
    static let enabled: Bool = ProcessInfo.processInfo.environment["CI"] != nil || available
    static let skipReason: Comment = "python3 is not installed (the Pulumi Cloud test server needs only its standard library); CI always runs this"
    static let available: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }()

    let port: Int
    let logFile: String
    private let process: Process

    /// Starts the server over the backend directory `root` as organisation `org`, accepting only `token`; `options`
    /// are the server's fault flags (`--throttle GLOB`, `--page-size N`, …). Returns once it accepts connections.
    init(root: String, org: String, token: String, snapshot: String? = nil, options: [String] = []) throws {
        try #require(Self.available, "python3 is needed for the Pulumi Cloud test server")
        logFile = try Scratch.directory() + "/requests.log"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--root", root, "--org", org, "--token", token, "--log", logFile]
            + (snapshot.map { ["--snapshot", $0] } ?? []) + options
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The server prints `PORT n` after it listens, so once the line is read it answers.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            LocalProcesses.stop(process)
            throw ServerError(message: "the Pulumi Cloud test server did not start (printed '\(text)')")
        }
        self.port = port
    }

    deinit { LocalProcesses.stop(process) }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The requests served so far, one `METHOD PATH?QUERY STATUS` line each.
    var requests: [String] {
        ((try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// Temporary directories for a test, removed by the system's temporary-file cleaning.
enum Scratch {
    static func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-remote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// A self-managed backend directory: `stacks` maps `project/stack` to the export's bytes.
    static func backend(_ stacks: [String: [UInt8]]) throws -> String {
        let root = try directory()
        for (name, bytes) in stacks {
            let file = URL(fileURLWithPath: root + "/.pulumi/stacks/\(name).json")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }
        return root
    }

    /// The repository's sample exports, under `project/stack` names: two real exports, each served under several
    /// names, so an organisation has enough stacks to page through.
    static func sampleBackend() throws -> String {
        let lambda = try sample("aws-lambda-s3-passphrase.json"), sql = try sample("azure-sql-random-password.json")
        return try backend(["web/prod": lambda, "web/staging": lambda, "web/dev": sql, "api/prod": sql, "api/dev": lambda])
    }

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: CloudServer.repositoryRoot + "/Samples/state/" + name)))
    }
}
