import ArgumentParser
import Rampart
import RampartModel
import RampartReports

extension RampartCommand {
    /// `rampart lint [DIR]`
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint a Pulumi project's config files and CI workflows: plaintext secrets, static cloud keys, weak secrets providers.",
            discussion: "Reads Pulumi.yaml (honouring stackConfigDir), every Pulumi.<stack>.yaml, .github/workflows/*.yml and .gitlab-ci.yml. Runs builtin:pitfalls and builtin:hardening unless --pack names others. --stack NAME lints one stack file.")

        @Argument(help: "The Pulumi project directory.")
        var directory: String = "."

        @OptionGroup var common: CommonOptions

        func run() throws {
            // `--stack prod` names a stack file; ORG/PROJECT/STACK is accepted too (the organization is kept).
            let request = LintRequest(directory: directory, stack: common.stackIdentity, packs: common.packs,
                                      failOn: common.failOn, jobs: common.effectiveJobs)
            let report = try Linter().run(request)
            let writer = ReportWriter(options: ReportOptions(color: common.useColor))
            if let stdout = try writer.write(report, to: try common.reportTargets()) { Terminal.write(stdout) }
            throw ExitCode(Int32(report.verdict.exitCode))
        }
    }
}
