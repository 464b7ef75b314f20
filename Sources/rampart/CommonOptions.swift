import ArgumentParser
import Foundation
import Rampart
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy
import RampartReports

extension FailOn: ExpressibleByArgument {}
extension ReportOptions.JUnitAdvisory: ExpressibleByArgument {}
extension ReportOptions.JUnitIndeterminate: ExpressibleByArgument {}
extension ReportOptions.JUnitPasses: ExpressibleByArgument {}

/// The values of an option whose type is an enum of strings, for its help and completions. ArgumentParser's own
/// defaults instantiate a key path on every call (~70,000 instructions; a scan's parse asks 48 times, whatever the
/// command line); these read the raw values directly and give the same answers.
extension ExpressibleByArgument where Self: CaseIterable & RawRepresentable, RawValue == String {
    public static var allValueStrings: [String] { allCases.map { $0.rawValue } }
    /// Empty, as ArgumentParser's default is for these types: a value's description is its raw value.
    public static var allValueDescriptions: [String: String] { [:] }
}

/// Flags shared by the commands that evaluate policies.
struct CommonOptions: ParsableArguments {
    @Option(name: .customLong("pack"), help: "A policy pack: builtin:<name>, a pack directory or a rule file (repeatable).")
    var packs: [String] = []

    @Option(help: "A rampart.yaml (packs, per-stack levels, exemptions). Default: rampart.yaml in the current directory, if any.")
    var config: String?

    @Option(name: .customLong("policy-pack-config"),
            help: "PACK=FILE: Pulumi's policy pack config JSON for a pack, applied before rampart.yaml's stack entries (repeatable).")
    var policyPackConfigs: [String] = []

    @Option(help: "Stack identity ORG/PROJECT/STACK for a single-stack input.")
    var stack: String?

    @Option(name: .customLong("report"),
            help: "FORMAT[=PATH], repeatable. Formats: \(ReportFormat.allNames). No path or '-' = stdout.",
            transform: { text in try ReportTarget(parsing: text) })
    var reports: [ReportTarget] = []

    @Option(help: "Fail on violations at this level or above: \(FailOn.allCases.map(\.rawValue).joined(separator: ", ")).")
    var failOn: FailOn = .mandatory

    @Option(help: "JUnit: an advisory violation is a passing case noted in system-out (passed) or a failure.")
    var junitAdvisory: ReportOptions.JUnitAdvisory = .passed

    @Option(help: "JUnit: an indeterminate outcome is skipped or a failure.")
    var junitIndeterminate: ReportOptions.JUnitIndeterminate = .skipped

    @Option(help: "JUnit: list passing cases (all), or leave them out (none) to keep very large scans' files small.")
    var junitPasses: ReportOptions.JUnitPasses = .all

    @Option(help: "Worker threads (default: the number of cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Refuse a state, checkpoint or preview input larger than this, after decompression (exit 2). Units K, M, G (powers of 1024), KB, MB, GB (powers of 1000). Default: 2G.",
                               valueName: "size"),
            transform: { text in
                guard let bytes = InputSizeLimit.parseSize(text) else {
                    throw ValidationError("--max-input-size '\(text)': expected a size such as 512M, 2G or 1500000000")
                }
                return bytes
            })
    var maxInputSize: Int = InputSizeLimit.defaultMaxBytes

    @Option(help: "Refuse a .gz or .zst input that inflates more than this many times its size once past 64 MiB (exit 2). Default: 100.")
    var maxCompressionRatio: Int = InputSizeLimit.defaultMaxCompressionRatio

    @Option(help: "Compare with this baseline: findings it lists stay in reports but do not fail the run.")
    var baseline: String?

    @Option(help: "Record this run's findings as a baseline file (keeps first-seen dates from --baseline).")
    var writeBaseline: String?

    @Option(help: "Report baseline entries older than this many days (default 180).")
    var baselineMaxAge: Int = 180

    @Flag(help: "Expired exemptions and stale baseline entries fail the run (mandatory) instead of advisory.")
    var strict = false

    @Option(help: "The repository root that SARIF and GitHub reports name files relative to (default: the git work tree holding the inputs).")
    var sourceRoot: String?

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "No progress output.")
    var quiet = false

    @Flag(help: "No colour (also NO_COLOR).")
    var noColor = false

    @Flag(help: "Text report: add the per-pack, per-policy table and the exempted and baselined findings.")
    var verbose = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if maxCompressionRatio < 1 { throw ValidationError("--max-compression-ratio must be at least 1, got \(maxCompressionRatio)") }
        if let stack, StackIdentity(parsing: stack) == nil {
            throw ValidationError("--stack '\(stack)': expected ORG/PROJECT/STACK (or PROJECT/STACK, STACK)")
        }
        for argument in policyPackConfigs {
            let parts = argument.split(separator: "=", maxSplits: 1)
            if parts.count != 2 || parts.contains(where: \.isEmpty) {
                throw ValidationError("--policy-pack-config '\(argument)': expected PACK=FILE")
            }
        }
        if baselineMaxAge < 0 { throw ValidationError("--baseline-max-age must be 0 or more days, got \(baselineMaxAge)") }
        try ReportWriter.validate(reports)
    }

    /// The reports asked for; the text report on stdout when none is.
    var reportTargets: [ReportTarget] { reports.isEmpty ? [ReportTarget(format: .text, path: nil)] : reports }

    /// The run these flags ask for.
    var runOptions: RunOptions {
        var options = RunOptions(packs: packs, configPath: config, configSearchDirectory: configSearchDirectory,
                                 policyPackConfigs: policyPackConfigs, stack: stackIdentity, failOn: failOn,
                                 reports: reportTargets, jobs: effectiveJobs)
        options.reportOptions = reportOptions
        options.baselinePath = baseline
        options.writeBaselinePath = writeBaseline
        options.baselineMaxAgeDays = baselineMaxAge
        options.strict = strict
        options.sourceRoot = sourceRoot
        options.selection = selection.selection
        options.inputSizeLimit = InputSizeLimit(maxBytes: maxInputSize, maxCompressionRatio: maxCompressionRatio)
        // Every command exits once its reports are written (`Terminal.finish`).
        options.endsProcess = true
        return options
    }

    var stackIdentity: StackIdentity? { stack.flatMap(StackIdentity.init(parsing:)) }

    var useColor: Bool {
        !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && Terminal.stdoutIsTerminal
    }

    /// Rendering options from the flags; JUnit's `hostname` is this machine's name.
    var reportOptions: ReportOptions {
        ReportOptions(color: useColor, junitAdvisory: junitAdvisory, junitIndeterminate: junitIndeterminate,
                      junitPasses: junitPasses, hostname: ProcessInfo.processInfo.hostName, verbose: verbose)
    }

    var effectiveJobs: Int { jobs ?? Parallel.availableCores }

    /// Where to look for rampart.yaml: the current directory unless --config names a file.
    var configSearchDirectory: String? { config == nil ? FileManager.default.currentDirectoryPath : nil }
}
