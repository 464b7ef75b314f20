import CLibXML2
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

/// In-process XML checks with libxml2 (a declared build package): the Ant JUnit XSD, and XPath read-backs.
enum XMLChecker {
    /// libxml2 must be initialised once before it is used from several threads (tests run in parallel).
    private static let initialised: Bool = { xmlInitParser(); return true }()

    /// nil when `bytes` is valid against the Ant JUnit XSD, else every complaint as "line N: message".
    static func junitErrors(_ bytes: [UInt8]) throws -> String? {
        try schemaErrors(bytes, schema: Paths.junitSchema)
    }

    /// nil when `bytes` is valid against the XSD at `schema`, else the validation errors, one a line.
    static func schemaErrors(_ bytes: [UInt8], schema: String) throws -> String? {
        precondition(initialised)
        let errors = ErrorLog()
        let box = Unmanaged.passUnretained(errors).toOpaque()
        guard let parserContext = xmlSchemaNewParserCtxt(schema) else { throw XMLCheckError.schema(schema, "cannot open") }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        xmlSchemaSetParserStructuredErrors(parserContext, { errors, error in ErrorLog.collect(errors, error) }, box)
        guard let compiled = xmlSchemaParse(parserContext) else { throw XMLCheckError.schema(schema, errors.text) }
        defer { xmlSchemaFree(compiled) }
        let document = try parse(bytes)
        defer { xmlFreeDoc(document) }
        guard let validator = xmlSchemaNewValidCtxt(compiled) else { throw XMLCheckError.schema(schema, "no validation context") }
        defer { xmlSchemaFreeValidCtxt(validator) }
        xmlSchemaSetValidStructuredErrors(validator, { errors, error in ErrorLog.collect(errors, error) }, box)
        let status = xmlSchemaValidateDoc(validator, document)
        withExtendedLifetime(errors) {}
        if status == 0 { return nil }
        return errors.lines.isEmpty ? "validation failed (libxml2 status \(status))" : errors.text
    }

    /// The string value of an XPath expression evaluated over the document (libxml2's `string(...)` semantics).
    static func xpathString(_ bytes: [UInt8], _ expression: String) throws -> String {
        precondition(initialised)
        let document = try parse(bytes)
        defer { xmlFreeDoc(document) }
        guard let context = xmlXPathNewContext(document) else { throw XMLCheckError.xpath(expression) }
        defer { xmlXPathFreeContext(context) }
        guard let object = xmlXPathEvalExpression(expression, context) else { throw XMLCheckError.xpath(expression) }
        defer { xmlXPathFreeObject(object) }
        guard let value = xmlXPathCastToString(object) else { throw XMLCheckError.xpath(expression) }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }

    /// A well-formed document, or the parser's first complaint (never printed: NOERROR/NOWARNING).
    private static func parse(_ bytes: [UInt8]) throws -> xmlDocPtr {
        guard let context = xmlNewParserCtxt() else { throw XMLCheckError.notWellFormed("no parser context") }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlCtxtReadMemory(context, $0, Int32(buffer.count), "report.xml", nil, options)
            }
        }
        guard let document else {
            let error = context.pointee.lastError
            let message = error.message.map { String(cString: $0) } ?? "unknown error"
            throw XMLCheckError.notWellFormed("line \(error.line): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return document
    }

    /// Errors libxml2 hands to the structured-error callback, kept in order.
    private final class ErrorLog {
        var lines: [String] = []
        var text: String { lines.joined(separator: "\n") }

        static func collect(_ userData: UnsafeMutableRawPointer?, _ error: UnsafePointer<xmlError>?) {
            guard let userData, let error else { return }
            let log = Unmanaged<ErrorLog>.fromOpaque(userData).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            log.lines.append("line \(error.pointee.line): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        static func collect(_ userData: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<xmlError>?) {
            collect(userData, error.map { UnsafePointer($0) })
        }
    }
}

enum XMLCheckError: Error, CustomStringConvertible {
    case schema(String, String)
    case notWellFormed(String)
    case xpath(String)

    var description: String {
        switch self {
        case .schema(let path, let reason): return "\(path): cannot load the schema: \(reason)"
        case .notWellFormed(let reason): return "not well-formed XML: \(reason)"
        case .xpath(let expression): return "cannot evaluate XPath \(expression)"
        }
    }
}

/// JSON Schema validation through python3's `jsonschema`, an optional tool: tests that need it are skipped with a
/// visible reason when it is absent, except in CI (`CI` set), where `.ci/run` installs it and they must run.
enum JSONSchemaValidator {
    /// Whether the tests that need `jsonschema` run: always in CI (and fail there if it is missing), elsewhere only
    /// when python3 can import it.
    static let enabled: Bool = ProcessInfo.processInfo.environment["CI"] != nil || available

    static let skipReason: Comment = "python3 with the jsonschema module is not installed (pip install jsonschema); CI always runs this"

    /// Whether `python3 -c 'import jsonschema'` succeeds.
    static let available: Bool = (try? run(["python3", "-c", "import jsonschema"]).0) == 0

    /// nil when the JSON document is valid against the JSON Schema at `schema` (its own draft, formats checked).
    static func errors(_ bytes: [UInt8], schema: String) throws -> String? {
        let file = try Paths.temporaryFile(bytes, name: "report.json")
        let script = """
            import json,sys,jsonschema as j
            s=json.load(open(sys.argv[1])); V=j.validators.validator_for(s)
            es=sorted(V(s, format_checker=V.FORMAT_CHECKER).iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(map(str, e.absolute_path)))
            [print("/" + "/".join(map(str, e.absolute_path)), e.message) for e in es]
            sys.exit(1 if es else 0)
            """
        let (status, output) = try run(["python3", "-c", script, schema, file])
        if status == 127 || output.contains("No module named 'jsonschema'") {
            Issue.record("python3 jsonschema is not available: install it (pip install jsonschema; .ci/run does)")
        }
        return status == 0 ? nil : output
    }

    static func sarifErrors(_ bytes: [UInt8]) throws -> String? { try errors(bytes, schema: Paths.sarifSchema) }

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
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// Random texts for checking an escaper against its scalar-at-a-time rules: `perLength` texts of every length in
/// `lengths`, each scalar drawn from `alphabet` one time in `oneIn`, else a plain `x` (as real messages are mostly
/// plain, so runs long enough for a fast path's whole blocks occur).
enum RandomTexts {
    static func make(_ alphabet: [Unicode.Scalar], lengths: Range<Int>, perLength: Int, oneIn: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = []
        for length in lengths {
            for _ in 0..<perLength {
                var text = ""
                for _ in 0..<length {
                    text.unicodeScalars.append(Int.random(in: 0..<oneIn, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : "x")
                }
                texts.append(text)
            }
        }
        return texts
    }
}
