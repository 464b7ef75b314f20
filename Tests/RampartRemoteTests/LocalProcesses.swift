import Foundation

/// The process plumbing every local test server (moto, the GCS emulator and stub, our Pulumi Cloud server) shares.
enum LocalProcesses {
    /// Runs a short command to completion, stdout and stderr together.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A loopback port nothing listens on right now (the OS picks it; the server binds it a moment later).
    static func freeLoopbackPort() throws -> Int {
        let result = try run(["python3", "-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
        guard result.status == 0, let port = Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ServerStartError(reason: "no free port: \(result.output)")
        }
        return port
    }

    /// Ends a server with SIGKILL and reaps it. Not `terminate()`: a child started from the test process can inherit
    /// a mask that blocks SIGTERM, and waiting for it to exit would then never return.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

}
