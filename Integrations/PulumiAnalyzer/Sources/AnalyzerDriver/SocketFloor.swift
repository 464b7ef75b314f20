import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's share of one analyzer call on this machine, with no HTTP/2, protobuf or Rampart in the way.
///
/// A server thread makes for each request the system calls `rampart-analyzer`'s connection thread makes for each call
/// (`ServedConnection`): a blocking `read` that waits for the request and reads it, and one `send` of the answer, over
/// TCP on 127.0.0.1 with `TCP_NODELAY`. A client thread sends the next request only after the answer
/// has arrived and a think time has passed, as the Pulumi engine does between its calls. The server thread's CPU time
/// per round trip is the floor under any analyzer's CPU per call here: what a call costs when the analyzer itself
/// costs nothing.
public struct SocketFloor: Sendable {
    public var roundTrips = 20_000
    /// Request and answer sizes; `analyzer-load` passes the sequence's mean request and answer with their framing.
    public var requestBytes = 1_024
    public var responseBytes = 160
    /// The client's pause after each answer, spinning (the engine is busy, not asleep, between calls).
    public var thinkMicroseconds = 400

    public init() {}

    public struct Report: Sendable {
        public var roundTrips: Int
        /// CPU seconds of the server thread (user and system) over all round trips.
        public var serverCPU: Double
        public var cpuPerRoundTrip: Double { roundTrips == 0 ? 0 : serverCPU / Double(roundTrips) }
    }

    public func measure() throws(DriverError) -> Report {
        #if canImport(Glibc)
        guard roundTrips > 0, requestBytes > 0, responseBytes > 0, thinkMicroseconds >= 0 else {
            throw .usage("socket floor: round trips and sizes must be positive and the think time not negative (found "
                         + "\(roundTrips) round trips, \(requestBytes)/\(responseBytes) bytes, \(thinkMicroseconds) µs)")
        }
        // Connected and accepted here, before either side loops: a loopback connect completes into the listener's
        // backlog, so neither thread can wait for a peer that failed to start.
        let listener = try Self.listen()
        defer { close(listener.fd) }
        let clientSocket = try Self.connect(port: listener.port)
        let serverSocket = accept(listener.fd, nil, nil)
        if serverSocket < 0 { close(clientSocket) }
        try Self.check(serverSocket, "accept")
        defer { close(serverSocket) }
        let client = Client(socket: clientSocket, roundTrips: roundTrips, requestBytes: requestBytes,
                            responseBytes: responseBytes, thinkNanoseconds: UInt64(thinkMicroseconds) * 1_000)
        let thread = Thread { client.run() }
        thread.start()
        let served = try serve(serverSocket)
        client.finished.wait()
        if let failure = client.failure { throw failure }
        guard served.roundTrips == roundTrips else {
            throw .workload("socket floor: the server answered \(served.roundTrips) of \(roundTrips) requests")
        }
        return served
        #else
        throw .usage("socket floor: measuring needs Linux")
        #endif
    }

    #if canImport(Glibc)
    private static func check(_ result: Int32, _ call: String) throws(DriverError) {
        if result < 0 { throw .workload("socket floor: \(call) failed: \(String(cString: strerror(errno)))") }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func withSocketAddress<R>(_ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    private static func noDelay(_ fd: Int32) throws(DriverError) {
        var one: Int32 = 1
        try check(setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)), "setsockopt(TCP_NODELAY)")
    }

    /// A new TCP socket, set up by `setUp`; closed again when `setUp` fails.
    private static func tcpSocket(_ setUp: (Int32) throws(DriverError) -> Void) throws(DriverError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try check(fd, "socket")
        do {
            try setUp(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func listen() throws(DriverError) -> (fd: Int32, port: UInt16) {
        var address = loopback(port: 0)
        let fd = try tcpSocket { fd throws(DriverError) in
            try check(withSocketAddress(&address) { bind(fd, $0, $1) }, "bind(127.0.0.1)")
            try check(Glibc.listen(fd, 1), "listen")
            try check(withSocketAddress(&address) { pointer, size in
                var length = size
                return getsockname(fd, pointer, &length)
            }, "getsockname")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private static func connect(port: UInt16) throws(DriverError) -> Int32 {
        var address = loopback(port: port)
        return try tcpSocket { fd throws(DriverError) in
            try check(withSocketAddress(&address) { Glibc.connect(fd, $0, $1) }, "connect(127.0.0.1:\(port))")
            try noDelay(fd)
        }
    }

    private static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Answers every whole request on `fd` until the client closes; the CPU is this thread's from the first wait to
    /// the last answer.
    private func serve(_ fd: Int32) throws(DriverError) -> Report {
        try Self.noDelay(fd)
        var input = [UInt8](repeating: 0, count: 65_536)
        let answer = [UInt8](repeating: 0x2A, count: responseBytes)
        var pending = 0, answered = 0
        let start = Self.threadCPU()
        loop: while true {
            let count = input.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break loop }
            if count < 0, errno == EINTR { continue }
            try Self.check(Int32(clamping: count), "read")
            pending += count
            while pending >= requestBytes {
                pending -= requestBytes
                let written = answer.withUnsafeBytes { send(fd, $0.baseAddress, responseBytes, Int32(MSG_NOSIGNAL)) }
                try Self.check(Int32(clamping: written), "send")
                answered += 1
            }
        }
        return Report(roundTrips: answered, serverCPU: Self.threadCPU() - start)
    }
    #endif
}

#if canImport(Glibc)
/// The engine's side of the floor: one request at a time, the next after the answer and the think time. It owns its
/// connected socket and closes it when done, which ends the server's loop.
/// `@unchecked Sendable`: `failure` is written by the client thread before it signals `finished`, and read after.
private final class Client: @unchecked Sendable {
    let fd: Int32
    let roundTrips: Int, requestBytes: Int, responseBytes: Int
    let thinkNanoseconds: UInt64
    let finished = DispatchSemaphore(value: 0)
    var failure: DriverError?

    init(socket: Int32, roundTrips: Int, requestBytes: Int, responseBytes: Int, thinkNanoseconds: UInt64) {
        fd = socket
        self.roundTrips = roundTrips
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.thinkNanoseconds = thinkNanoseconds
    }

    func run() {
        defer { finished.signal() }
        do { try exchange() } catch { failure = error }
    }

    private func exchange() throws(DriverError) {
        defer { close(fd) }
        let request = [UInt8](repeating: 0x11, count: requestBytes)
        var input = [UInt8](repeating: 0, count: 65_536)
        for _ in 0..<roundTrips {
            var sent = 0
            while sent < requestBytes {
                let count = request.withUnsafeBytes { write(fd, $0.baseAddress! + sent, requestBytes - sent) }
                guard count > 0 else { throw .workload("socket floor: the client's write failed: \(String(cString: strerror(errno)))") }
                sent += count
            }
            var received = 0
            while received < responseBytes {
                let count = input.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { throw .workload("socket floor: the server closed after \(received) of \(responseBytes) answer bytes") }
                received += count
            }
            let until = DispatchTime.now().uptimeNanoseconds + thinkNanoseconds
            while DispatchTime.now().uptimeNanoseconds < until {}
        }
    }
}
#endif
