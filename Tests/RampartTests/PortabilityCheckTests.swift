import Foundation
import Testing

/// `.ci/check-portability.sh` keeps Linux-only imports and calls behind platform guards (no macOS machine builds
/// in CI); these tests plant cases in a temporary directory and check it catches them and passes guarded code.
@Suite struct PortabilityCheckTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs the script over a fresh directory holding `source` as `Planted.swift`.
    func check(_ source: String) throws -> (status: Int32, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-portability-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(source.utf8).write(to: URL(fileURLWithPath: dir + "/Planted.swift"))
        return try run([dir])
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.repository + "/.ci/check-portability.sh"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func catchesAnUnguardedGlibcImportAndCall() throws {
        let result = try check("""
            import Foundation
            import Glibc

            func f(_ fd: Int32, _ p: UnsafeMutableRawPointer) -> Int { Glibc.read(fd, p, 1) }
            """)
        #expect(result.status == 1)
        #expect(result.output.contains("Planted.swift:2: Linux-only import"))
        #expect(result.output.contains("Planted.swift:4: Linux C module call"))
    }

    @Test func catchesLinuxOnlyCallsAndPaths() throws {
        let result = try check("""
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let status = try String(contentsOfFile: "/proc/self/status")
            let fd = epoll_create1(0)
            """)
        #expect(result.status == 1)
        for line in 2...4 { #expect(result.output.contains("Planted.swift:\(line):"), "line \(line) not reported") }
    }

    @Test func passesGuardedCodeAndComments() throws {
        let result = try check("""
            #if canImport(Glibc)
            import Glibc
            #elseif canImport(Darwin)
            import Darwin
            #endif

            // Glibc.read is shadowed by FileLoader.read, hence the module name.
            func f(_ fd: Int32, _ p: UnsafeMutableRawPointer) -> Int {
                #if canImport(Glibc)
                #if DEBUG
                return Glibc.read(fd, p, 1)
                #else
                return Glibc.read(fd, p, 1)
                #endif
                #else
                return Darwin.read(fd, p, 1)
                #endif
            }
            """)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func theRepositoryPasses() throws {
        let result = try run([])
        #expect(result.status == 0, "\(result.output)")
    }
}
