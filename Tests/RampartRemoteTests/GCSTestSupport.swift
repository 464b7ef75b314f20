import Foundation
import Testing
@testable import RampartRemote

/// The local servers the GCS tests start: our own stub of Google's token endpoint, metadata server and a slice of
/// the JSON API (python3, stdlib only), and `gcp-storage-emulator` (PyPI). Tests that need one are skipped with a
/// visible reason when it is absent, except in CI (`CI` set), where `.ci/run` installs it and they must run.
enum GCSTestTools {
    static let required = ProcessInfo.processInfo.environment["CI"] != nil
    static let pythonAvailable = (try? LocalProcesses.run(["python3", "-c", "pass"]).status) == 0
    static let emulatorAvailable = (try? LocalProcesses.run(["python3", "-c", "import gcp_storage_emulator"]).status) == 0

    static let stubEnabled = required || pythonAvailable
    static let emulatorEnabled = required || emulatorAvailable
    static let stubSkipReason: Comment = "python3 is not installed; CI always runs this"
    static let emulatorSkipReason: Comment =
        "the gcp-storage-emulator Python package is not installed (pip install gcp-storage-emulator); CI always runs this"

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gcs").path
    /// Real checkpoints of the shared sample corpus (RampartInputsTests' fixtures), read in place.
    static let checkpoints = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples/state/diy").path

    /// A fresh temporary directory.
    static func scratch(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-gcs-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func gzip(_ path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c", "-n", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// A self-managed backend below `prefix` in the project and legacy layouts, `.json` and `.gz`, with history,
    /// backups, locks and a `.bak` that are not stacks, and a stack outside the prefix: object name → bytes.
    static func backendObjects(prefix: String) throws -> [(name: String, bytes: [UInt8])] {
        func sample(_ file: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: checkpoints + "/" + file))) }
        let base = prefix.isEmpty ? "" : prefix + "/"
        return [
            (base + ".pulumi/meta.yaml", Array("version: 1\n".utf8)),
            (base + ".pulumi/stacks/web/dev.json", try sample("checkpoint-v4-features.json")),
            (base + ".pulumi/stacks/web/prod.json.gz", try gzip(checkpoints + "/checkpoint-v3-b64-secrets.json")),
            (base + ".pulumi/stacks/kloudlib.json", try sample("kloudlib-stacks-dev.json")),
            (base + ".pulumi/stacks/web/dev.json.bak", try sample("checkpoint-v0-legacy-delete-flag.json")),
            (base + ".pulumi/history/web/dev/dev-1553911124083274026.checkpoint.json", try sample("kloudlib-history-dev-1553911124083274026.checkpoint.json")),
            (base + ".pulumi/backups/web/dev/dev.1553911124083274026.json", try sample("checkpoint-v0-legacy-delete-flag.json")),
            (base + ".pulumi/locks/web/dev/f7c2.json", Array("{}".utf8)),
            ("elsewhere/.pulumi/stacks/other/dev.json", try sample("checkpoint-v0-legacy-delete-flag.json")),
        ]
    }

    /// A service-account key file for `tokenURI` with a fresh RSA key; returns the file's path.
    static func serviceAccountKeyFile(pem: String, tokenURI: String, in directory: String) throws -> String {
        let path = directory + "/key.json"
        let key: [String: String] = [
            "type": "service_account", "project_id": "rampart-test", "private_key_id": "0123456789abcdef",
            "private_key": pem, "client_email": "scanner@rampart-test.iam.gserviceaccount.com", "token_uri": tokenURI,
        ]
        try JSONSerialization.data(withJSONObject: key, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A server process the test started; stopped by `stop()` (and on deinit, so a failed expectation never leaves it
/// running).
final class LocalServerProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init and only terminated afterwards.
    let port: Int
    private let process: Process

    /// Starts our stub server, which prints `PORT <n>` once it listens.
    init(stubArguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", GCSTestTools.fixtures + "/google_stub_server.py"] + stubArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // A blocking read on another thread, bounded by a generous wait so a broken server fails the test.
        let line = LineBox()
        let done = DispatchSemaphore(value: 0)
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            var text = ""
            while !text.contains("\n") {
                let data = handle.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
            }
            line.value = text
            done.signal()
        }
        guard done.wait(timeout: .now() + 60) == .success, let value = line.value,
              let port = Int(value.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "PORT ", with: "")) else {
            LocalProcesses.stop(process)
            throw ServerStartError(reason: "the stub server did not report its port")
        }
        self.port = port
    }

    /// Starts gcp-storage-emulator in memory on a free loopback port and waits until it answers.
    init(emulator: Void) throws {
        let port = try LocalProcesses.freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // Run as a module so it needs no console script on the PATH.
        let launcher = "import runpy,sys; sys.argv=['gcp-storage-emulator']+sys.argv[1:]; "
            + "runpy.run_module('gcp_storage_emulator', run_name='__main__')"
        process.arguments = ["python3", "-c", launcher, "start", "--host=127.0.0.1", "--port=\(port)", "--in-memory", "-q"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.port = port
        let transport = HTTPTransport(retry: RetryPolicy(attempts: 1, timeout: .seconds(2)))
        for _ in 0..<300 {
            let answered = try? Blocking.wait { () async throws(RemoteError) -> Bool in
                try await transport.send(HTTPRequest(url: "http://127.0.0.1:\(port)/"), location: "emulator").isSuccess
            }
            if answered == true { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        LocalProcesses.stop(process)
        throw ServerStartError(reason: "gcp-storage-emulator did not answer on port \(port)")
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func stop() { LocalProcesses.stop(process) }

    deinit { stop() }

    private final class LineBox: @unchecked Sendable {
        // @unchecked: written by the reader thread before it signals, read after the wait.
        var value: String?
    }
}

struct ServerStartError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
