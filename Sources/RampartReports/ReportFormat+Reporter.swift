import RampartPolicy

extension ReportFormat {
    /// The reporter that renders this format. Adding a format is one `ReportFormat` case and one reporter file: this
    /// switch is exhaustive, so the compiler names a case that has no reporter yet.
    public func reporter(options: ReportOptions) -> any Reporter {
        switch self {
        case .text: return TextReporter(options: options)
        case .json: return JSONReporter()
        case .junit: return JUnitReporter(options: options)
        case .sarif: return SARIFReporter(options: options)
        case .markdown: return MarkdownReporter(options: options)
        case .github: return GitHubReporter(options: options)
        case .html: return HTMLReporter()
        }
    }

    /// Every format's name, `text, json, …`, for help texts and usage errors.
    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
