import RampartPolicy

/// Renders the report value in one format. Reporters are pure: the same report gives the same bytes.
public protocol Reporter: Sendable {
    /// The `--report` format name.
    static var format: String { get }
    func render(_ report: ScanReport) -> [UInt8]
}

/// The output formats `--report` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, junit, sarif, markdown, github
}

/// Options that shape rendering.
public struct ReportOptions: Sendable, Hashable {
    /// Colour text output (only when writing to a terminal and colour is not disabled).
    public var color: Bool
    public init(color: Bool = false) { self.color = color }
}
