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

    /// An indented state export of `count` S3 buckets, with the byte offset of each resource's object: the shape
    /// `pulumi stack export` writes, large enough with a few thousand resources to be compacted and with some
    /// forty thousand to be read through a mapping.
    static func indentedState(count: Int) -> (text: String, offsets: [Int]) {
        var text = "{\n    \"version\": 3,\n    \"deployment\": {\n        \"resources\": [\n"
        var offsets: [Int] = []
        for k in 0..<count {
            if k > 0 { text += ",\n" }
            text += "            "
            offsets.append(text.utf8.count)
            text += "{\n                \"urn\": \"urn:pulumi:prod::bench::aws:s3/bucket:Bucket::b\(k)\",\n"
                + "                \"custom\": true,\n                \"id\": \"b\(k)\",\n"
                + "                \"type\": \"aws:s3/bucket:Bucket\",\n"
                + "                \"outputs\": {\n                    \"size\": \(k), \"ratio\": \(Double(k) / 8),\n"
                + "                    \"tags\": {\n                        \"name\": \"b\\u00e9\(k)\"\n                    }\n"
                + "                }\n            }"
        }
        text += "\n        ]\n    }\n}\n"
        return (text, offsets)
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
