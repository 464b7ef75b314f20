import Foundation
import RampartEngine
import RampartJSON

/// Reading a baseline file: the engine owns the value and its matching; the file is read at the facade, where a
/// shape error becomes a located configuration error.
extension Baseline {
    /// Reads a baseline file; every shape error names the file and JSON path.
    public static func read(_ path: String) throws(RampartError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(file: path, line: nil, column: nil, message: "cannot read baseline file")
        }
        return try decode([UInt8](data), file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(RampartError) -> Baseline {
        let document: JSONDocument
        do { document = try JSONDocument.parse(bytes) } catch {
            throw .configuration(file: file, line: error.line, column: error.column, message: error.reasonDescription + " (at \(error.path))")
        }
        let root = document.root
        func shape(_ path: String, _ expected: String) -> RampartError {
            .configuration(file: file, line: nil, column: nil, message: "at \(path): expected \(expected)")
        }
        guard root.kind == .object else { throw shape("$", "a baseline object {version, created, findings}") }
        guard let version = root["version"]?.int else { throw shape("$.version", "the format version number") }
        guard version == formatVersion else {
            throw .configuration(file: file, line: nil, column: nil,
                                 message: "at $.version: baseline format \(version) is not supported, expected \(formatVersion)")
        }
        guard let created = root["created"]?.string else { throw shape("$.created", "a date string") }
        guard let findings = root["findings"], findings.kind == .array else { throw shape("$.findings", "an array of findings") }
        var entries: [Entry] = []
        var index = 0
        for item in findings.elements {
            let path = "$.findings[\(index)]"
            guard item.kind == .object else { throw shape(path, "a finding object") }
            func field(_ key: String) throws(RampartError) -> String {
                guard let value = item[key]?.string else { throw shape("\(path).\(key)", "a string") }
                return value
            }
            entries.append(Entry(fingerprint: try field("fingerprint"), stack: try field("stack"), pack: try field("pack"),
                                 policy: try field("policy"), urn: item["urn"]?.string, detail: item["detail"]?.string,
                                 message: item["message"]?.string ?? "", recorded: item["recorded"]?.string ?? created))
            index += 1
        }
        return Baseline(created: created, tool: root["tool"]?.string ?? "", entries: entries)
    }
}
