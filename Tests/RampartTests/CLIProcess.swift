import Foundation
import Testing

/// Runs the real `rampart` binary (built by `swift build`/`swift test` beside the tests) with a wall-clock bound.
struct CLIProcess {
    struct Result {
        var exitCode: Int32
        /// True when the child died of a signal (a crash) rather than exiting.
        var crashed: Bool
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `rampart` executable of the current build (debug or release, whichever is newer), or nil when none was
    /// built — callers fail rather than skip: the corpus must run in CI.
    static let binary: URL? = {
        let candidates = ["debug", "release"].map { repositoryRoot.appendingPathComponent(".build/\($0)/rampart") }
        return candidates
            .filter { FileManager.default.isExecutableFile(atPath: $0.path) }
            .max { modified($0) < modified($1) }
    }()

    private static func modified(_ url: URL) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
    }

    /// Runs `rampart arguments…`, killing it after `timeout` seconds (a correctness bound against hangs, not a
    /// performance assertion).
    static func run(_ arguments: [String], timeout: TimeInterval = 10, in directory: URL? = nil) throws -> Result {
        let binary = try #require(binary, "no rampart binary under .build/debug or .build/release; run swift build first")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Files rather than pipes: a child writing more than a pipe buffer while we wait would otherwise deadlock.
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 2) == .timedOut { kill(process.processIdentifier, SIGKILL); done.wait() }
        }
        try outHandle.close()
        try errHandle.close()
        return Result(exitCode: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal && !timedOut,
                      timedOut: timedOut,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}
