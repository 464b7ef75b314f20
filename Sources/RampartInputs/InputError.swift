import RampartJSON
import RampartYAML

/// Why an input could not be read. Every case names the file and where in it; none ever carries a value
/// from the input that could be a secret.
public enum InputError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case malformedJSON(file: String, JSONError)
    /// A value of the wrong shape at a JSON path.
    case unexpectedShape(file: String, path: String, expected: String, found: String)
    case invalidURN(file: String, path: String)
    case unrecognisedFormat(file: String, expected: String)
    case noStacksFound(directory: String)
    case decompression(file: String, reason: String)
    case yaml(file: String, line: Int, column: Int, message: String)
    case tooLarge(file: String, limit: Int)
    /// A state, checkpoint or preview input over `InputSizeLimit.maxBytes` (`--max-input-size`), as stored or once
    /// decompressed.
    case inputTooLarge(file: String, limit: Int, decompressed: Bool)
    /// A compressed input that inflated past `ratio` × its size (and past its ratio floor).
    case compressionRatio(file: String, compressedBytes: Int, inflatedPast: Int, ratio: Int)
    case stackMismatch(file: String, reason: String)
    /// More resources than `InputReader.maxResources`.
    case tooManyResources(file: String, count: Int, limit: Int)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .empty(let file): return "\(file): file is empty, expected a Pulumi state export, checkpoint or preview JSON document"
        case .malformedJSON(let file, let error): return "\(file): \(error.description)"
        case .unexpectedShape(let file, let path, let expected, let found): return "\(file): at \(path): expected \(expected), found \(found)"
        case .invalidURN(let file, let path): return "\(file): at \(path): expected a URN starting with 'urn:pulumi:' and holding <stack>::<project>::<type>::<name>, found a string that is not one"
        case .unrecognisedFormat(let file, let expected): return "\(file): at $: unrecognised document, expected \(expected)"
        case .noStacksFound(let directory): return "\(directory): no Pulumi checkpoints found (expected .pulumi/stacks/<project>/<stack>.json or state/preview JSON files)"
        case .decompression(let file, let reason): return "\(file): cannot decompress: \(reason)"
        case .yaml(let file, let line, let column, let message): return "\(file):\(line):\(column): \(message)"
        case .tooLarge(let file, let limit): return "\(file): larger than the limit of \(limit) bytes"
        case .inputTooLarge(let file, let limit, let decompressed):
            let what = decompressed ? "decompresses to" : "holds"
            return "\(file): \(what) more than \(limit) bytes, the input size limit (\(InputSizeLimit.describe(limit))); "
                + "expected at most \(limit) bytes (raise it with --max-input-size)"
        case .compressionRatio(let file, let compressed, let inflatedPast, let ratio):
            return "\(file): decompresses to more than \(inflatedPast) bytes from \(compressed) compressed bytes, "
                + "more than \(ratio)× its size (a decompression bomb?); expected at most \(ratio)× "
                + "(raise it with --max-compression-ratio)"
        case .stackMismatch(let file, let reason): return "\(file): \(reason)"
        case .tooManyResources(let file, let count, let limit):
            return "\(file): at $: holds \(count) resources, more than the limit of \(limit); expected at most \(limit) (raise it with --max-resources)"
        }
    }
}

extension InputError {
    /// The file (or directory) the error is about.
    public var file: String {
        switch self {
        case .unreadable(let file, _), .empty(let file), .malformedJSON(let file, _), .unexpectedShape(let file, _, _, _),
             .invalidURN(let file, _), .unrecognisedFormat(let file, _), .decompression(let file, _), .yaml(let file, _, _, _),
             .tooLarge(let file, _), .stackMismatch(let file, _), .tooManyResources(let file, _, _),
             .inputTooLarge(let file, _, _), .compressionRatio(let file, _, _, _):
            return file
        case .noStacksFound(let directory): return directory
        }
    }

    /// Line and column in the file, when the error has them.
    public var position: (line: Int, column: Int)? {
        switch self {
        case .malformedJSON(_, let error): return (error.line, error.column)
        case .yaml(_, let line, let column, _): return (line, column)
        default: return nil
        }
    }

    /// A YAML read error of an input file: every located problem is a `.yaml` error.
    init(_ error: YAMLReadError) {
        switch error {
        case .unreadable(let file, let reason): self = .unreadable(file: file, reason: reason)
        case .tooLarge(let file, _, let limit): self = .tooLarge(file: file, limit: limit)
        case .malformed(let at, let message), .rejected(let at, let message):
            self = .yaml(file: at.file, line: at.line ?? 1, column: at.column ?? 1, message: message)
        }
    }
}

/// Describes a JSON node's kind for "found …" messages without printing its content.
func describeKind(_ node: JSONNode?) -> String {
    guard let node else { return "nothing (missing)" }
    switch node.kind {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
}
