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

        func run() throws {
            let request = ScanRequest(inputs: inputs, packs: common.packs, stack: common.stackIdentity,
                                      failOn: common.failOn, jobs: common.effectiveJobs)
            let report = try Scanner().run(request)
            let writer = ReportWriter(options: common.reportOptions)
            if let stdout = try writer.write(report, to: try common.reportTargets()) { Terminal.write(stdout) }
            throw ExitCode(Int32(report.verdict.exitCode))
        }
    }
}
