/// A position in a file: where a finding's evidence, a configuration error, a rule error or a config value is.
/// The one location type of every module (findings encode it as `{file, line, column}` in reports).
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when only the file is known.
    public var line: Int?
    /// 1-based, in Unicode scalars (as libyaml counts); nil when only the file (or line) is known.
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }

    /// `file`, `file:line` or `file:line:column`, the prefix of every located message.
    public var description: String {
        guard let line else { return file }
        return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// A value read from a file together with where it was written (a config key, a stack file's `secretsprovider`).
public struct Located<Value> {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
