#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The analyzer's sockets, as POSIX file descriptors used with blocking calls: the listener on 127.0.0.1 and the
/// connections it accepts. Each connection is served by one thread of its own (`ServedConnection`), which sleeps in
/// `read` between calls: one system call to wait and read, one to answer.
struct LoopbackSocket: ~Copyable {
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// A listening socket on 127.0.0.1:`port` (0: the system chooses; `port()` tells which).
    static func listen(port: Int, backlog: Int32) throws(AnalyzerError) -> LoopbackSocket {
        guard (0...65_535).contains(port) else { throw .usage("port \(port) is not between 0 and 65535") }
        let descriptor = socket(AF_INET, Self.stream, 0)
        guard descriptor >= 0 else { throw Self.failure("socket") }
        let listener = LoopbackSocket(descriptor: descriptor)
        var one: Int32 = 1
        guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw Self.failure("setsockopt(SO_REUSEADDR)")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Self.failure("bind(127.0.0.1:\(port))") }
        #if canImport(Glibc)
        let listening = Glibc.listen(descriptor, backlog)
        #elseif canImport(Darwin)
        let listening = Darwin.listen(descriptor, backlog)
        #endif
        guard listening == 0 else { throw Self.failure("listen") }
        return listener
    }

    /// The port the socket is bound to.
    func port() throws(AnalyzerError) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw Self.failure("getsockname") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The next connection, with Nagle's algorithm off (a call's answer goes out at once) and, on Darwin, no
    /// SIGPIPE when its client has gone (Linux sockets get `MSG_NOSIGNAL` on every send instead).
    func accept() throws(AnalyzerError) -> LoopbackSocket {
        while true {
            #if canImport(Glibc)
            let accepted = Glibc.accept(descriptor, nil, nil)
            #elseif canImport(Darwin)
            let accepted = Darwin.accept(descriptor, nil, nil)
            #endif
            if accepted < 0 {
                switch errno {
                // A connection reset before it was accepted, or a signal: take the next one.
                case EINTR, ECONNABORTED: continue
                // The listener itself is unusable: nothing later can be accepted either.
                case EBADF, EINVAL, ENOTSOCK, EOPNOTSUPP, EFAULT: throw Self.failure("accept")
                // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) or refused by the system: the
                // connection waits in the backlog while those being served go on, and is taken once one closes.
                default:
                    usleep(Self.acceptRetryMicroseconds)
                    continue
                }
            }
            let connection = LoopbackSocket(descriptor: accepted)
            var one: Int32 = 1
            _ = setsockopt(accepted, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            _ = setsockopt(accepted, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            return connection
        }
    }

    /// Reads what has arrived into `buffer`, waiting for at least one byte: the count read, 0 when the client has
    /// closed its side, nil when the connection failed (reset).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            #elseif canImport(Darwin)
            let count = Darwin.read(descriptor, buffer.baseAddress, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno != EINTR { return nil }
        }
    }

    /// Sends all of `bytes`; false when the connection failed (the client has gone).
    func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let count = Glibc.send(descriptor, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            #elseif canImport(Darwin)
            let count = Darwin.send(descriptor, bytes.baseAddress! + sent, bytes.count - sent, 0)
            #endif
            if count > 0 {
                sent += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// The pause before accepting again after a failure the system may recover from (out of descriptors).
    static let acceptRetryMicroseconds: UInt32 = 10_000

    #if canImport(Glibc)
    private static let stream = Int32(SOCK_STREAM.rawValue)
    #elseif canImport(Darwin)
    private static let stream = SOCK_STREAM
    #endif

    private static func failure(_ call: String) -> AnalyzerError {
        .socket(call: call, reason: String(cString: strerror(errno)))
    }
}
