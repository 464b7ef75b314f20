import Foundation
import RampartInputs
import RampartModel

/// Paths of test fixtures (copied from ../shared/samples/pulumi with their SOURCES.md).
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static func path(_ relative: String) -> String { root + "/" + relative }
    static func sample(_ relative: String) -> String { root + "/samples/" + relative }

    static func read(_ relative: String) throws -> Stack {
        try InputReader().read(InputSource(path: sample(relative)))
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String = "input.json") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }
}

extension InputReader {
    /// Reads bytes as if from a file of the given name; returns the error description on failure.
    func failure(_ text: String, name: String = "bad.json") -> String? {
        failure(Array(text.utf8), name: name)
    }

    func failure(_ bytes: [UInt8], name: String = "bad.json") -> String? {
        do {
            _ = try read(bytes: bytes, source: InputSource(path: name))
            return nil
        } catch {
            return error.description
        }
    }
}
