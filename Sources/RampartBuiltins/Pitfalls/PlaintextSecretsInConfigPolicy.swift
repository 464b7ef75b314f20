import RampartModel
import RampartPolicy

/// Plaintext secrets in `Pulumi.yaml` and `Pulumi.<stack>.yaml`: credential-shaped values, and plaintext values
/// under secret-looking names, each reported at its file:line:column.
public struct PlaintextSecretsInConfigPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.projectFile, .stackFiles]
    let detector = SecretDetector()

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "plaintext-secrets-in-config",
            description: "Config values in Pulumi.yaml or Pulumi.<stack>.yaml that look like credentials are stored in plaintext.",
            severity: .high,
            enforcementLevel: .mandatory,
            rationale: "Stack and project files are committed to version control; a plaintext credential there is readable by everyone with access to the repository and its history.",
            remediation: "Set the value with `pulumi config set --secret <key> <value>` (stored as `secure:`) or move it to an ESC environment, then rotate the exposed credential.",
            frameworks: [nist("IA-5(7)")])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let evidence = context.evidence
        let stackFile = evidence.stackFile(for: context.stack)
        guard evidence.project != nil || stackFile != nil else {
            return .stackLevel(EvidenceText.notEvaluable("no Pulumi.yaml or Pulumi.\(context.stack.identity.stack).yaml found \(evidence.whereSearched)"))
        }
        var entries: [StackEvaluation.Entry] = []
        let project = evidence.ownsProjectFiles(context.stack) ? evidence.project?.config : nil
        let files = [project, stackFile?.config].compactMap { $0 }
        for configEntries in files {
            for finding in ConfigSecretScan.findings(in: configEntries, detector: detector) {
                let file = EvidenceText.fileName(finding.entry.file)
                let message = "\(file): '\(EvidenceText.keyPath(finding.entry, finding.path))' \(finding.detection.phrase)"
                entries.append(StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(
                    message, location: finding.entry.location(of: finding.path),
                    detailKey: "\(file):\(EvidenceText.keyPath(finding.entry, finding.path))"))))
            }
        }
        return entries.isEmpty ? .pass : StackEvaluation(entries)
    }
}

/// Secret detections inside config entries (secure values are never plaintext and are skipped).
enum ConfigSecretScan {
    struct Finding {
        var entry: ConfigEntry
        var path: String
        var detection: SecretDetection
    }

    static func findings(in entries: [ConfigEntry], detector: SecretDetector) -> [Finding] {
        var result: [Finding] = []
        var unflagged: [ConfigEntry] = []
        for entry in entries where !entry.isSecure {
            let found = detector.scan(entry.value, name: entry.key)
            if found.isEmpty { unflagged.append(entry) }
            for (path, detection) in found { result.append(Finding(entry: entry, path: path, detection: detection)) }
        }
        // An AWS access key id anywhere in the file makes a neighbouring 40-character base64 value a secret key.
        if result.contains(where: { $0.detection.kind == .awsAccessKeyID }) {
            for entry in unflagged {
                guard let s = entry.value.string, let d = detector.detect(s, name: entry.key, nearAWSAccessKey: true) else { continue }
                result.append(Finding(entry: entry, path: "", detection: d))
            }
        }
        return result.sorted { ($0.entry.line, $0.entry.column, $0.path) < ($1.entry.line, $1.entry.column, $1.path) }
    }
}
