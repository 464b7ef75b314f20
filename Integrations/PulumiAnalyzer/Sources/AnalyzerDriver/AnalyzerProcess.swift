import Foundation

/// An analyzer executable started the way Pulumi starts a policy-pack plugin: `<engine address> <pack directory>`,
/// then the port read from the first line of its stdout. Also reads the process's CPU time and memory from /proc, so
/// a driver can measure what the analyzer itself spends.
public final class AnalyzerProcess {
    public let port: Int
    public let pid: Int32
    private let process: Process

    public init(executable: String, directory: String, arguments: [String] = []) throws(DriverError) {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["127.0.0.1:1", directory] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        do { try process.run() } catch { throw .launch(executable: executable, reason: "\(error)") }
        pid = process.processIdentifier
        let line = Self.readLine(stdout.fileHandleForReading)
        guard let port = Int(line) else {
            process.terminate()
            process.waitUntilExit()
            throw .noPort(executable: executable, printed: line)
        }
        self.port = port
    }

    deinit { stop() }

    /// Ends the analyzer (Pulumi kills the plugin when it is done) and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The first line a process writes, without its newline.
    static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(contentsOf: chunk)
            if bytes.contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    // MARK: - Measurements (Linux /proc)

    /// User + system CPU time the analyzer has used so far, in seconds (/proc/<pid>/stat, clock-tick resolution).
    public func cpuSeconds() throws(DriverError) -> Double {
        let text = try procFile("stat")
        // Fields after the command name, which is in parentheses and may itself hold spaces.
        guard let close = text.lastIndex(of: ")") else { throw .proc(pid: pid, file: "stat", reason: "no ')' after the command name") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw .proc(pid: pid, file: "stat", reason: "expected utime and stime in fields 14 and 15")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory now and at its peak, in bytes (/proc/<pid>/status `VmRSS`, `VmHWM`).
    public func memory() throws(DriverError) -> (resident: Int, peak: Int) {
        let text = try procFile("status")
        func kilobytes(_ key: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        guard let rss = kilobytes("VmRSS"), let hwm = kilobytes("VmHWM") else {
            throw .proc(pid: pid, file: "status", reason: "expected VmRSS and VmHWM lines")
        }
        return (rss * 1024, hwm * 1024)
    }

    private func procFile(_ name: String) throws(DriverError) -> String {
        #if os(Linux)
        let path = "/proc/\(pid)/\(name)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .proc(pid: pid, file: name, reason: "cannot read \(path) (has the analyzer exited?)")
        }
        return String(decoding: data, as: UTF8.self)
        #else
        throw .proc(pid: pid, file: name, reason: "measuring the analyzer needs Linux's /proc")
        #endif
    }
}

/// What can go wrong while driving an analyzer.
public enum DriverError: Error, CustomStringConvertible {
    case launch(executable: String, reason: String)
    case noPort(executable: String, printed: String)
    case proc(pid: Int32, file: String, reason: String)
    case workload(String)
    case usage(String)

    public var description: String {
        switch self {
        case .launch(let executable, let reason): return "cannot start \(executable): \(reason)"
        case .noPort(let executable, let printed):
            return "\(executable) printed no port on its first line of stdout (found '\(printed)', expected a number)"
        case .proc(let pid, let file, let reason): return "analyzer process \(pid), /proc/\(pid)/\(file): \(reason)"
        case .workload(let message): return message
        case .usage(let message): return message
        }
    }
}
