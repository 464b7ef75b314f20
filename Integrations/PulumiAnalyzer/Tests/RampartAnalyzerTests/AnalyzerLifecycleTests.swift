import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// How the analyzer process starts and ends, whatever state its launcher leaves it in.
@Suite struct AnalyzerLifecycleTests {
    #if canImport(Glibc)
    /// A launcher may start the plugin from a thread that blocks every signal, and the child inherits that mask (Swift's
    /// `Process` on Linux does so). The analyzer unblocks the termination signals, so SIGTERM still ends it while its
    /// threads sleep in `accept` and `read`, rather than the launcher's wait for it hanging.
    @Test func sigtermEndsTheAnalyzerEvenWhenItWasStartedWithEverySignalBlocked() async throws {
        let executable = AnalyzerHarness.executable("rampart-analyzer-fixture")
        let directory = AnalyzerHarness.fixtures.appendingPathComponent("packs/combined").path
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
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        posix_spawnattr_setsigmask(&attributes, &everySignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let arguments = [executable, "127.0.0.1:1", directory]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, executable, &actions, &attributes, &argv, environ) == 0)
        close(pipe[1])

        // Serving: the port is printed once the listener is up, and a connection's thread waits in `read`.
        var printed: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(pipe[0], &byte, 1) == 1, byte != UInt8(ascii: "\n") { printed.append(byte) }
        let port = try #require(Int(String(decoding: printed, as: UTF8.self)), "the analyzer printed no port")
        let client = try await RawHTTP2Client.connect(port: port)

        kill(pid, SIGTERM)
        var status: Int32 = 0
        var exited = false
        for _ in 0..<200 where !exited {  // up to 10 s
            exited = waitpid(pid, &status, WNOHANG) == pid
            if !exited { usleep(50_000) }
        }
        if !exited {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        #expect(exited, "the analyzer was still running 10 s after SIGTERM")
        #expect(status & 0x7F == SIGTERM, "the analyzer did not end by SIGTERM (wait status \(status))")
        await client.close()
    }
    #endif
}
