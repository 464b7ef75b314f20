import ArgumentParser
import Rampart
import RampartInputs
import RampartReports

extension RampartCommand {
    /// `rampart scan INPUT...`
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate policy packs over Pulumi state exports, checkpoints, previews or a backend directory.")

        @Argument(help: "State exports, checkpoints (.json, .json.gz), preview JSON, engine event logs, or directories.")
        var inputs: [String]

        @OptionGroup var common: CommonOptions

        @Option(help: "Compare with this baseline: findings it lists stay in reports but do not fail the run.")
        var baseline: String?

        @Option(help: "Record this scan's findings as a baseline file (keeps first-seen dates from --baseline).")
        var writeBaseline: String?

        @Option(help: "Report baseline entries older than this many days (default 180).")
        var baselineMaxAge: Int = 180

        @Flag(help: "Expired exemptions and stale baseline entries fail the run (mandatory) instead of advisory.")
        var strict = false

        @Option(help: "Refuse a stack holding more resources than this (exit 2). Default: 10000000.")
        var maxResources: Int = InputReader.defaultMaxResources

        func validate() throws {
            if maxResources < 1 { throw ValidationError("--max-resources must be at least 1, got \(maxResources)") }
            if baselineMaxAge < 0 { throw ValidationError("--baseline-max-age must be 0 or more days, got \(baselineMaxAge)") }
        }

        func run() throws {
            let targets = try common.reportTargets()
            var request = ScanRequest(inputs: inputs, packs: common.packs, stack: common.stackIdentity,
                                      failOn: common.failOn, jobs: common.effectiveJobs, configPath: common.config,
                                      configSearchDirectory: common.configSearchDirectory,
                                      policyPackConfigs: common.policyPackConfigs)
            request.baselinePath = baseline
            request.writeBaselinePath = writeBaseline
            request.baselineMaxAgeDays = baselineMaxAge
            request.strict = strict
            request.recordEvaluations = targets.contains { $0.format.needsEvaluations }
            let progress = ProgressIndicator.make(quiet: common.quiet)
            let report = try Scanner(reader: InputReader(maxResources: maxResources)).run(request, observer: progress)
            progress?.finish()
            let writer = ReportWriter(options: common.reportOptions)
            if let stdout = try writer.write(report, to: targets) { Terminal.write(stdout) }
            Terminal.exit(Int32(report.verdict.exitCode))
        }
    }
}
