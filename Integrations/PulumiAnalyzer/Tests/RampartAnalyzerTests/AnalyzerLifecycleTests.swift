import Foundation
import NIOHTTP2
import PulumiRPC
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// How the analyzer process starts, survives running short and ends, whatever state its launcher leaves it in.
@Suite struct AnalyzerLifecycleTests {
    #if canImport(Glibc)
    /// A launcher may start the plugin from a thread that blocks every signal, and the child inherits that mask (Swift's
    /// `Process` on Linux does so). The analyzer unblocks the termination signals, so SIGTERM still ends it while its
    /// threads sleep in `accept` and `read`, rather than the launcher's wait for it hanging.
    @Test func sigtermEndsTheAnalyzerEvenWhenItWasStartedWithEverySignalBlocked() async throws {
        let analyzer = try SpawnedAnalyzer(blockingEverySignal: true)
        // Serving: a connection's thread waits in `read`.
        let client = try await RawHTTP2Client.connect(port: analyzer.port)
        kill(analyzer.pid, SIGTERM)
        let status = analyzer.waitForExit(seconds: 10)
        if status == nil { analyzer.stop() }
        #expect(status != nil, "the analyzer was still running 10 s after SIGTERM")
        #expect(status.map { $0 & 0x7F } == SIGTERM, "the analyzer did not end by SIGTERM (wait status \(status ?? -1))")
        await client.close()
    }

    /// Out of file descriptors, `accept` fails (EMFILE) while clients wait in the backlog. The analyzer keeps its
    /// listener and takes them once connections close, rather than ending the plugin for every connection.
    @Test func runningOutOfDescriptorsDelaysConnectionsAndDoesNotEndTheAnalyzer() async throws {
        let analyzer = try SpawnedAnalyzer(openFileLimit: 24)
        defer { analyzer.stop() }
        // More connections than the descriptors left: the ones past the limit wait in the backlog.
        var idle: [RawHTTP2Client] = []
        for _ in 0..<40 { idle.append(try await RawHTTP2Client.connect(port: analyzer.port)) }
        for client in idle { await client.close() }
        let client = try await RawHTTP2Client.connect(port: analyzer.port)
        let reply = try await client.call("/pulumirpc.Analyzer/Handshake", Pulumirpc_AnalyzerHandshakeRequest(), on: 1)
        #expect(reply.status == 0)
        await client.close()
        #expect(analyzer.waitForExit(seconds: 0) == nil, "the analyzer ended")
    }
    #endif
}

#if canImport(Glibc)
/// The fixture analyzer started with `posix_spawn`, as a launcher that sets the child's signal mask or limits
/// would start it, with the port it printed.
private struct SpawnedAnalyzer {
    let pid: pid_t
    let port: Int

    /// - Parameters:
    ///   - blockingEverySignal: the child starts with every signal blocked.
    ///   - openFileLimit: the child's RLIMIT_NOFILE, set by `sh`'s `ulimit -n` before it runs the analyzer.
    init(blockingEverySignal: Bool = false, openFileLimit: Int? = nil) throws {
        let executable = AnalyzerHarness.executable("rampart-analyzer-fixture")
        let directory = AnalyzerHarness.fixtures.appendingPathComponent("packs/combined").path
        var arguments = [executable, "127.0.0.1:1", directory]
        if let openFileLimit {
            arguments = ["/bin/sh", "-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\""] + arguments
        }
        var pipe: [Int32] = [0, 0]
        try #require(Glibc.pipe(&pipe) == 0)
        defer { close(pipe[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if blockingEverySignal {
            var everySignal = sigset_t()
            sigfillset(&everySignal)
            posix_spawnattr_setsigmask(&attributes, &everySignal)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0)
        close(pipe[1])
        self.pid = pid
        // The port is printed once the listener is up.
        var printed: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(pipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { printed.append(byte) }
        guard let port = Int(String(decoding: printed, as: UTF8.self)) else {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw SpawnError.noPort(String(decoding: printed, as: UTF8.self))
        }
        self.port = port
    }

    enum SpawnError: Error { case noPort(String) }

    /// The wait status once the process has ended, waiting up to `seconds`; nil while it runs.
    func waitForExit(seconds: Int) -> Int32? {
        var status: Int32 = 0
        for attempt in 0...(seconds * 20) {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            if attempt < seconds * 20 { usleep(50_000) }
        }
        return nil
    }

    /// Ends the process (SIGKILL, which no mask holds back) and reaps it.
    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
#endif
