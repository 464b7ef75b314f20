import RampartInputs
import RampartRules
import RampartYAML

/// Why a run could not go as asked (exit 2). Each case says which file and where.
public enum RampartError: Error, Sendable, CustomStringConvertible {
    case input(InputError)
    case usage(String)
    case packNotFound(String, available: [String])
    case configuration(file: String, line: Int?, column: Int?, message: String)
    case output(file: String, reason: String)

    public var description: String {
        switch self {
        case .input(let error): return error.description
        case .usage(let message): return message
        case .packNotFound(let name, let available):
            return "unknown policy pack '\(name)': not a built-in pack (\(available.joined(separator: ", "))) nor a readable pack directory or rule file"
        case .configuration(let file, let line, let column, let message):
            let position = [line, column].compactMap { $0 }.map(String.init).joined(separator: ":")
            return position.isEmpty ? "\(file): \(message)" : "\(file):\(position): \(message)"
        case .output(let file, let reason): return "\(file): cannot write report: \(reason)"
        }
    }
}

extension RampartError {
    /// A rule-language error, located in its file.
    public init(_ error: RulesError) {
        let at = error.location
        self = .configuration(file: at.file, line: at.line, column: at.column, message: error.message)
    }
}

extension RampartError {
    /// A YAML read error of a configuration file (`rampart.yaml`), located in its file.
    init(_ error: YAMLReadError) {
        switch error {
        case .unreadable(let file, let reason):
            self = .configuration(file: file, line: nil, column: nil, message: "cannot read the config file: \(reason)")
        case .tooLarge(let file, let bytes, let limit):
            self = .configuration(file: file, line: nil, column: nil,
                                  message: "document is \(bytes) bytes, larger than the limit of \(limit) bytes")
        case .malformed(let at, let message):
            self = .configuration(file: at.file, line: at.line, column: at.column, message: "invalid YAML: \(message)")
        case .rejected(let at, let message):
            self = .configuration(file: at.file, line: at.line, column: at.column, message: message)
        }
    }
}
