import Foundation
import Testing

/// Paths of the test target's fixtures and snapshots, and of the repository.
enum Paths {
    static let testDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testDirectory.appendingPathComponent("Fixtures").path
    static let snapshots = testDirectory.appendingPathComponent("Snapshots").path
    static let repository = testDirectory.deletingLastPathComponent().deletingLastPathComponent().path
    static let samples = testDirectory.deletingLastPathComponent().appendingPathComponent("RampartInputsTests/Fixtures/samples").path
    static let junitSchema = fixtures + "/schemas/junit.xsd"
    static let sarifSchema = fixtures + "/schemas/sarif-schema-2.1.0.json"
    static let reportSchema = repository + "/docs/report.schema.json"

    /// Writes bytes to a fresh temporary file.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// Snapshot files under Snapshots/: compared byte for byte; rewritten only when RAMPART_RECORD_SNAPSHOTS=1.
enum Snapshot {
    static var recording: Bool { ProcessInfo.processInfo.environment["RAMPART_RECORD_SNAPSHOTS"] == "1" }

    static func assertMatches(_ bytes: [UInt8], named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = Paths.snapshots + "/" + name
        if recording {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("no snapshot \(name); record it with RAMPART_RECORD_SNAPSHOTS=1 swift test --filter RampartReportsTests",
                         sourceLocation: sourceLocation)
            return
        }
        if Array(expected) != bytes {
            let actual = try Paths.temporaryFile(bytes, name: name)
            Issue.record("""
                output differs from snapshot \(name); actual output written to \(actual)
                (diff \(path) \(actual); re-record on purpose with RAMPART_RECORD_SNAPSHOTS=1)
                """, sourceLocation: sourceLocation)
        }
    }
}

/// Schema validation through the command-line validators CI installs (see Fixtures/schemas/README.md).
enum SchemaValidator {
    /// nil when `bytes` is valid against the Ant JUnit XSD, else xmllint's complaint.
    static func junitErrors(_ bytes: [UInt8]) throws -> String? {
        let file = try Paths.temporaryFile(bytes, name: "report.xml")
        let (status, output) = try run(["xmllint", "--noout", "--nonet", "--schema", Paths.junitSchema, file])
        return status == 0 ? nil : output
    }

    /// nil when the JSON document is valid against the JSON Schema at `schema` (its own draft, formats checked).
    static func jsonSchemaErrors(_ bytes: [UInt8], schema: String) throws -> String? {
        let file = try Paths.temporaryFile(bytes, name: "report.json")
        let script = """
            import json,sys,jsonschema as j
            s=json.load(open(sys.argv[1])); V=j.validators.validator_for(s)
            es=sorted(V(s, format_checker=V.FORMAT_CHECKER).iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(map(str, e.absolute_path)))
            [print("/" + "/".join(map(str, e.absolute_path)), e.message) for e in es]
            sys.exit(1 if es else 0)
            """
        let (status, output) = try run(["python3", "-c", script, schema, file])
        return status == 0 ? nil : output
    }

    static func sarifErrors(_ bytes: [UInt8]) throws -> String? { try jsonSchemaErrors(bytes, schema: Paths.sarifSchema) }

    private static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if process.terminationStatus == 127 || output.contains("No module named 'jsonschema'") {
            Issue.record("\(arguments[0]) is not available: install libxml2-utils and python3 jsonschema (.ci/run does)")
        }
        return (process.terminationStatus, output)
    }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
