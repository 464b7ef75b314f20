import ArgumentParser
import Rampart
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

        func run() throws {
            var request = ScanRequest(inputs: inputs, packs: common.packs, stack: common.stackIdentity,
                                      failOn: common.failOn, jobs: common.effectiveJobs, configPath: common.config,
                                      configSearchDirectory: common.configSearchDirectory,
                                      policyPackConfigs: common.policyPackConfigs)
            request.baselinePath = baseline
            request.writeBaselinePath = writeBaseline
            let progress = ProgressIndicator.make(quiet: common.quiet)
            let report = try Scanner().run(request, observer: progress)
            progress?.finish()
            let writer = ReportWriter(options: ReportOptions(color: common.useColor))
            if let stdout = try writer.write(report, to: try common.reportTargets()) { Terminal.write(stdout) }
            throw ExitCode(Int32(report.verdict.exitCode))
        }
    }
}
