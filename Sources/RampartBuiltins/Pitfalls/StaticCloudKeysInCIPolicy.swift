import RampartModel
import RampartPolicy

/// Long-lived cloud keys in CI workflows: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `ARM_CLIENT_SECRET`,
/// `GOOGLE_CREDENTIALS` (or the matching action inputs) fed to a job that does not use OIDC for that cloud, and
/// literal credentials written in a workflow file.
public struct StaticCloudKeysInCIPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.workflows]

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "static-cloud-keys-in-ci",
            description: "CI workflows hand long-lived cloud keys to jobs instead of using OIDC, or contain literal credentials.",
            severity: .high,
            enforcementLevel: .mandatory,
            rationale: "Static keys stored as CI secrets never expire and leak through logs, forks and compromised actions; OIDC gives each job short-lived credentials scoped to the repository and branch. Not reported, so that the gate fails only on real keys: literals without key material (`GOOGLE_CREDENTIALS: '{\"type\":\"service_account\"}'`, placeholders such as `not-a-secret`), and test fixtures — the env of a job's `services:` containers and values under secret names that repeat it.",
            remediation: "Grant `permissions: id-token: write` and use OIDC: aws-actions/configure-aws-credentials with `role-to-assume`, azure/login with `client-id` only, google-github-actions/auth with `workload_identity_provider` (GitLab: `id_tokens:`). Remove literal credentials from the file and rotate them.",
            frameworks: [nist("IA-5(7)")])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let evidence = context.evidence
        guard !evidence.workflows.isEmpty else {
            return .stackLevel(EvidenceText.notEvaluable("no CI workflows found \(evidence.whereSearched)"))
        }
        guard evidence.ownsProjectFiles(context.stack) else {
            return .stackLevel(.notApplicable("CI workflows are reported under stack \(evidence.projectFilesOwner ?? "")"))
        }
        var entries: [StackEvaluation.Entry] = []
        for workflow in evidence.workflows {
            let analysis = WorkflowAnalysis(workflow)
            var reported = Set<String>()
            for use in analysis.staticUses(families: [.aws, .azure, .gcp]) {
                reported.insert(use.path)
                let scope = use.job.map { "job '\($0)'" } ?? "every job"
                let message = use.literal
                    ? "\(EvidenceText.fileName(workflow.path)): '\(use.name)' is a literal \(use.family.rawValue.uppercased()) credential written in the workflow file"
                    : "\(EvidenceText.fileName(workflow.path)): \(scope) receives a static \(use.family.rawValue.uppercased()) key through '\(use.name)' and does not use OIDC"
                entries.append(violation(message, use.location, detail: "\(workflow.path):\(use.path)"))
            }
            for literal in analysis.literals where !reported.contains(literal.path) {
                let message = "\(EvidenceText.fileName(workflow.path)): '\(literal.path)' \(literal.detection.phrase) in the workflow file"
                entries.append(violation(message, literal.location, detail: "\(workflow.path):\(literal.path)"))
            }
        }
        return entries.isEmpty ? .pass : StackEvaluation(entries)
    }

    private func violation(_ message: String, _ location: SourceLocation, detail: String) -> StackEvaluation.Entry {
        StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(message, location: location, detailKey: detail)))
    }
}
