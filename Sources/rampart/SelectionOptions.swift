import ArgumentParser
import Rampart
import RampartPolicy

/// `--framework`, `--severity`, `--service`: which policies of the run's packs run (or are listed). Each is
/// repeatable and takes comma-separated values; a flag replaces the same key of `rampart.yaml`. Framework and
/// service names are checked against the packs when the run is configured.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("framework"),
            help: "Keep policies mapped to this framework: cis, pcidss, iso27001, hitrust, nist, … (comma-separated, repeatable).",
            transform: { PolicySelection.split([$0]) })
    var frameworks: [[String]] = []

    @Option(name: .customLong("severity"),
            help: "Keep policies of this severity: \(Severity.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated, repeatable).",
            transform: { argument in try PolicySelection.parse(severities: [argument]).severities })
    var severities: [[Severity]] = []

    @Option(name: .customLong("service"),
            help: "Keep policies about this service, the module of a resource type token: s3, rds, apps, … (comma-separated, repeatable).",
            transform: { PolicySelection.split([$0]) })
    var services: [[String]] = []

    /// The selection the flags ask for.
    var selection: PolicySelection {
        PolicySelection(frameworks: frameworks.flatMap { $0 }, severities: severities.flatMap { $0 }, services: services.flatMap { $0 })
    }
}
