import RampartBuiltins
import RampartPolicy

extension PolicyCatalog {
    /// Markers around the generated part of `docs/policies.md`; text outside them is written by hand.
    public static let generatedBegin = "<!-- BEGIN GENERATED: PolicyCatalog.markdownTable() -->"
    public static let generatedEnd = "<!-- END GENERATED -->"

    /// A Markdown table of every policy of every pack: pack, name, severity, default level, the type tokens it
    /// applies to (or "stack" for stack policies), the framework controls it maps to and the other tools' policies
    /// it is equivalent to (Pulumi compliance-ready policies, AWSGuard). Deterministic: packs by name, policies by
    /// name, tokens sorted, equivalents in declaration order.
    public func markdownTable() -> String {
        var out = "| Pack | Policy | Severity | Default level | Applies to | Frameworks | Equivalents |\n|---|---|---|---|---|---|---|\n"
        for pack in packs {
            for policy in pack.policies.sorted(by: { $0.descriptor.name < $1.descriptor.name }) {
                let d = policy.descriptor
                let level = (d.enforcementLevel ?? pack.enforcementLevel).rawValue
                let appliesTo: String
                if let resource = policy.asResourcePolicy {
                    appliesTo = (resource.types.exact.sorted() + resource.types.globs).map { "`\($0)`" }.joined(separator: "<br>")
                } else {
                    appliesTo = "stack"
                }
                let frameworks = d.frameworks.map { [$0.name, $0.version, $0.control].compactMap { $0 }.joined(separator: " ") }
                // An AWSGuard policy names itself as its AWSGuard equivalent; the table leaves that out.
                let equivalents = d.equivalents.filter { !($0.source == .awsguard && pack.origin == "builtin:\(AWSGuard.packName)" && $0.policy == d.name) }
                    .map { "\(Self.sourceLabel($0.source)) `\($0.policy)`" }
                let cells = [pack.name, "`\(d.name)`", d.severity.rawValue, level, appliesTo, frameworks.joined(separator: "<br>"),
                             equivalents.joined(separator: "<br>")]
                out += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
        }
        let counts = packs.map { "\($0.name) \($0.policies.count)" }.joined(separator: ", ")
        out += "\n\(packs.reduce(0) { $0 + $1.policies.count }) policies (\(counts)).\n"
        return out
    }

    /// Short names of the equivalents' sources for the table.
    static func sourceLabel(_ source: PolicyEquivalent.Source) -> String {
        switch source {
        case .pulumiCompliancePolicies: return "compliance:"
        case .awsguard: return "awsguard:"
        }
    }

    /// `document` with the text between the generated markers replaced by `markdownTable()`; nil when the
    /// markers are missing.
    public func regenerate(_ document: String) -> String? {
        guard let begin = document.range(of: Self.generatedBegin), let end = document.range(of: Self.generatedEnd),
              begin.upperBound <= end.lowerBound else { return nil }
        return String(document[..<begin.upperBound]) + "\n" + markdownTable() + String(document[end.lowerBound...])
    }
}
