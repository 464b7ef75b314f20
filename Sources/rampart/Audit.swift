import ArgumentParser
import Rampart
import RampartModel
import RampartReports

extension RampartCommand {
    /// `rampart audit [INPUT...] [--org FILE] [--project DIR]`
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit against Pulumi's hardening checklist and known pitfalls: state, project files and an organisation snapshot.",
            discussion: """
                Runs builtin:hardening and builtin:pitfalls (plus any --pack) over the state files and backend directories \
                given, the Pulumi projects given with --project, and the organisation snapshot given with --org \
                (docs/org-snapshot.md). Prints a checklist — item, status (pass, violation, not evaluable, not applicable), \
                evidence, what to do; --report markdown renders the same table, html a page with it, json/junit/sarif/github the usual reports. \
                An item whose evidence was not given is 'not evaluable', never a pass.
                """)

        @Argument(help: "State exports, checkpoints, previews or backend directories.")
        var inputs: [String] = []

        @Option(help: "The organisation snapshot JSON (PRODUCT.md §2.5; see docs/org-snapshot.md).")
        var org: String?

        @Option(help: "A Pulumi project directory whose Pulumi.yaml, stack files and CI workflows are audited (repeatable).")
        var project: [String] = []

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if inputs.isEmpty && org == nil && project.isEmpty {
                throw ValidationError("nothing to audit: give state inputs, --org FILE or --project DIR")
            }
            if common.stack != nil { throw ValidationError("--stack is not used by audit: stack identities come from the inputs") }
        }

        func run() throws {
            let request = AuditRequest(inputs: inputs, organizationPath: org, projectDirectories: project, packs: common.packs,
                                       failOn: common.failOn, jobs: common.effectiveJobs, configPath: common.config,
                                       configSearchDirectory: common.configSearchDirectory,
                                       policyPackConfigs: common.policyPackConfigs)
            let report = try Auditor().run(request)
            let options = common.reportOptions
            let writer = ReportWriter(options: options, overrides: [
                .text: ChecklistReporter(style: .text, options: options),
                .markdown: ChecklistReporter(style: .markdown, options: options),
                .html: HTMLReporter(checklist: true),
            ])
            if let stdout = try writer.write(report, to: try common.reportTargets()) { Terminal.write(stdout) }
            Terminal.exit(Int32(report.verdict.exitCode))
        }
    }
}
