import ArgumentParser
import Rampart

extension RampartCommand {
    /// `rampart audit [INPUT...] [--org FILE] [--project DIR]`
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Audit against Pulumi's hardening checklist and known pitfalls: state, project files and an organisation snapshot.",
            discussion: """
                Runs builtin:hardening and builtin:pitfalls (plus any --pack) over the state files and backend directories \
                given, the Pulumi projects given with --project, and the organisation snapshot given with --org \
                (docs/org-snapshot.md). Prints a checklist — item, status (pass, violation, not evaluable, not applicable), \
                evidence, what to do; --report markdown renders the same table, html a page with it, json/junit/sarif/github the usual reports. \
                An item whose evidence was not given is 'not evaluable', never a pass.
                """)

        @Argument(help: "State exports, checkpoints, previews, backend directories, or remote locations (pulumi://ORG, s3://BUCKET, gs://BUCKET).")
        var inputs: [String] = []

        @Option(help: "The organisation snapshot JSON (see docs/org-snapshot.md), or pulumi://ORG to assemble it from the Pulumi Cloud API.")
        var org: String?

        @Option(help: "Write the organisation snapshot assembled from the API (--org pulumi://ORG) to this file.")
        var saveOrg: String?

        @Option(help: "A Pulumi project directory whose Pulumi.yaml, stack files and CI workflows are audited (repeatable).")
        var project: [String] = []

        @OptionGroup var common: CommonOptions

        @OptionGroup(title: "Remote inputs") var remote: RemoteOptions

        func validate() throws {
            if inputs.isEmpty && org == nil && project.isEmpty {
                throw ValidationError("nothing to audit: give state inputs, --org FILE or --project DIR")
            }
            if saveOrg != nil && !(org?.hasPrefix("pulumi://") ?? false) {
                throw ValidationError("--save-org writes the snapshot assembled from the API: use it with --org pulumi://ORG")
            }
        }

        func run() throws {
            let progress = ProgressIndicator.make(quiet: common.quiet)
            var options = common.runOptions
            options.saveOrganizationPath = saveOrg
            let result = try Pipeline(remote: remote.backends(observer: progress)).run(
                .audit(inputs: inputs, projects: project, organization: org), options: options, observer: progress)
            progress?.finish()
            Terminal.finish(result)
        }
    }
}
