import ArgumentParser
import Rampart
import RampartModel
import RampartReports

extension RampartCommand {
    /// `rampart lint [DIR]`
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint a Pulumi project's config files and CI workflows: plaintext secrets, static cloud keys, weak secrets providers.",
            discussion: "Reads Pulumi.yaml (honouring stackConfigDir), every Pulumi.<stack>.yaml, .github/workflows/*.yml and .gitlab-ci.yml. Runs the file-based policies of the packs in use (by default builtin:pitfalls and builtin:hardening). --stack NAME lints one stack file.")

        @Argument(help: "The Pulumi project directory.")
        var directory: String = "."

        @OptionGroup var common: CommonOptions

        @Option(help: "Compare with this baseline: findings it lists stay in reports but do not fail the run.")
        var baseline: String?

        @Option(help: "Record this run's findings as a baseline file (keeps first-seen dates from --baseline).")
        var writeBaseline: String?

        func run() throws {
            // `--stack prod` names a stack file; ORG/PROJECT/STACK is accepted too (the organization is kept).
            var request = LintRequest(directory: directory, stack: common.stackIdentity, packs: common.packs,
                                      failOn: common.failOn, jobs: common.effectiveJobs, configPath: common.config,
                                      configSearchDirectory: common.configSearchDirectory,
                                      policyPackConfigs: common.policyPackConfigs)
            request.baselinePath = baseline
            request.writeBaselinePath = writeBaseline
            let report = try Linter().run(request)
            let writer = ReportWriter(options: ReportOptions(color: common.useColor, verbose: common.verbose))
            if let stdout = try writer.write(report, to: try common.reportTargets()) { Terminal.write(stdout) }
            throw ExitCode(Int32(report.verdict.exitCode))
        }
    }
}
