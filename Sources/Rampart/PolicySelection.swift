import RampartModel
import RampartPolicy

/// Which policies of the loaded packs a run keeps, like Pulumi's compliance policy manager selects policies: by
/// framework (`--framework cis,pcidss`), severity (`--severity critical,high`) and service (`--service s3,rds`).
///
/// Within one criterion any listed value matches; criteria combine with AND; a criterion left empty matches every
/// policy. A policy matches a framework when one of its framework references belongs to that framework family
/// (`FrameworkReference.family`: "CIS AWS Foundations Benchmark" is `cis`), and a service when it is one of
/// `PolicyServices.of(policy)` — so with `--service`, policies about no particular service (Pulumi state and config
/// hygiene, organisation checks) are left out.
///
/// Selection only removes policies: levels, config and exemptions are checked against the full packs first, so one
/// `rampart.yaml` serves every selection.
public struct PolicySelection: Sendable, Hashable {
    /// Framework families (`cis`, `pcidss`, `iso27001`, `hitrust`, `nist`, …), lowercased.
    public var frameworks: [String]
    public var severities: [Severity]
    /// Services (`s3`, `rds`, `apps`, …), lowercased.
    public var services: [String]

    /// The framework families every run accepts, whether or not a loaded policy maps to them yet.
    public static let knownFrameworks = ["cis", "hitrust", "iso27001", "nist", "pcidss"]

    public init(frameworks: [String] = [], severities: [Severity] = [], services: [String] = []) {
        self.frameworks = frameworks.map { FrameworkReference.family(of: $0) }
        self.severities = severities
        self.services = services.map { $0.lowercased() }
    }

    /// No criterion given: every policy is kept.
    public var isEmpty: Bool { frameworks.isEmpty && severities.isEmpty && services.isEmpty }

    /// This selection with each criterion that `override` sets taken from it (flags over `rampart.yaml`).
    public func overridden(by override: PolicySelection) -> PolicySelection {
        var merged = self
        if !override.frameworks.isEmpty { merged.frameworks = override.frameworks }
        if !override.severities.isEmpty { merged.severities = override.severities }
        if !override.services.isEmpty { merged.services = override.services }
        return merged
    }

    /// One criterion; its raw value is both the flag (`--framework`) and the `rampart.yaml` key (`framework:`).
    public enum Criterion: String, Sendable, Hashable, CaseIterable {
        case framework, severity, service
    }

    /// Parses comma-separated lists (each argument may hold several values: `--severity critical,high`). Unknown
    /// severities are errors here, located at `locations[.severity]` when the list comes from a file; framework and
    /// service names are checked against the packs by `validate`.
    public static func parse(frameworks: [String] = [], severities: [String] = [], services: [String] = [],
                             locations: [Criterion: SourceLocation] = [:]) throws(RampartError) -> PolicySelection {
        var parsed: [Severity] = []
        for name in split(severities) {
            guard let severity = Severity(rawValue: name.lowercased()) else {
                let names = Severity.allCases.map(\.rawValue)
                throw error(.severity, "unknown severity '\(name)'" + Suggestion.hint(for: name, in: names)
                    + "; expected one of: " + names.joined(separator: ", "), locations)
            }
            if !parsed.contains(severity) { parsed.append(severity) }
        }
        return PolicySelection(frameworks: split(frameworks), severities: parsed, services: split(services))
    }

    private static func error(_ criterion: Criterion, _ message: String, _ locations: [Criterion: SourceLocation]) -> RampartError {
        if let location = locations[criterion] { return location.error("\(criterion.rawValue): \(message)") }
        return .usage("--\(criterion.rawValue): \(message)")
    }

    /// The names in comma-separated arguments (`["critical,high", "low"]` → `["critical", "high", "low"]`).
    public static func split(_ arguments: [String]) -> [String] {
        arguments.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Checks the framework and service names against what the packs know; an unknown name is an error with the
    /// closest known one, located at `locations[criterion]` when the name comes from a file, else named by its flag.
    public func validate(against packs: [PolicyPack], locations: [Criterion: SourceLocation] = [:]) throws(RampartError) {
        guard !frameworks.isEmpty || !services.isEmpty else { return }
        let policies = packs.flatMap(\.policies)
        let frameworkNames = Set(Self.knownFrameworks + policies.flatMap { $0.descriptor.frameworks.map(\.family) }).sorted()
        for name in frameworks where !frameworkNames.contains(name) {
            throw Self.error(.framework, "unknown framework '\(name)'" + Suggestion.hint(for: name, in: frameworkNames)
                + "; frameworks of the loaded policies: " + frameworkNames.joined(separator: ", "), locations)
        }
        let serviceNames = Set(policies.flatMap(PolicyServices.of)).sorted()
        for name in services where !serviceNames.contains(name) {
            throw Self.error(.service, "unknown service '\(name)'" + Suggestion.hint(for: name, in: serviceNames)
                + " (a service is the module of a resource type token: aws:s3/bucketV2:BucketV2 is s3; "
                + "`rampart policies --format json` lists each policy's services)", locations)
        }
    }

    /// Whether the policy is kept.
    public func includes(_ policy: any Policy) -> Bool {
        let d = policy.descriptor
        if !severities.isEmpty && !severities.contains(d.severity) { return false }
        if !frameworks.isEmpty && !d.frameworks.contains(where: { frameworks.contains($0.family) }) { return false }
        if !services.isEmpty && !PolicyServices.of(policy).contains(where: services.contains) { return false }
        return true
    }

    /// The packs cut to the selected policies; packs left without policies are dropped. The packs themselves when
    /// the selection is empty.
    public func apply(to packs: [PolicyPack]) -> [PolicyPack] {
        guard !isEmpty else { return packs }
        return packs.compactMap { pack in
            var kept = pack
            kept.policies = pack.policies.filter(includes)
            return kept.policies.isEmpty ? nil : kept
        }
    }
}

extension FrameworkReference {
    /// The framework family a reference belongs to, for selection: `cis` for every CIS benchmark, `pcidss`,
    /// `iso27001`, `hitrust`, `nist` (SP 800-53, CSF, …), `nsa` (NSA/CISA Kubernetes hardening), `pss` (Kubernetes Pod
    /// Security Standards); any other name lowercased with only its letters and digits kept.
    public var family: String { Self.family(of: name) }

    /// The family of a framework name as a reference or a user writes it (`PCI-DSS`, `ISO/IEC 27001`, `cis`).
    public static func family(of name: String) -> String {
        let compact = String(name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            .map(Character.init))
        let prefixes: [(String, String)] = [
            ("cis", "cis"), ("pci", "pcidss"), ("iso27001", "iso27001"), ("isoiec27001", "iso27001"), ("hitrust", "hitrust"),
            ("nist", "nist"), ("nsa", "nsa"), ("kubernetespodsecuritystandards", "pss"), ("podsecuritystandards", "pss"),
        ]
        return prefixes.first { compact.hasPrefix($0.0) }?.1 ?? compact
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

extension PolicySelection {
    /// The selection of a run: `rampart.yaml`'s criteria, each replaced by the flags' when given, with every name
    /// checked against the packs (errors in the file's part name its line and column).
    public static func resolve(flags: PolicySelection, configuration: RampartConfiguration?,
                               packs: [PolicyPack]) throws(RampartError) -> PolicySelection {
        if let configuration {
            var fromFile = configuration.selection
            // Criteria the flags replace are not checked: the run does not use them.
            if !flags.frameworks.isEmpty { fromFile.frameworks = [] }
            if !flags.services.isEmpty { fromFile.services = [] }
            try fromFile.validate(against: packs, locations: configuration.selectionLocations)
        }
        try flags.validate(against: packs)
        return (configuration?.selection ?? PolicySelection()).overridden(by: flags)
    }
}
