import RampartModel
import RampartPolicy

/// Every sensitive-looking config value of a stack is `secure:`, including keys the project declares
/// `secret: true`.
public struct ConfigSecretsEncryptedPolicy: StackPolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.stackFiles, .projectFile]
    let detector = SecretDetector()

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "config-secrets-encrypted",
            description: "Every sensitive-looking config value in the stack file is encrypted (`secure:`).",
            severity: .high,
            rationale: "Pulumi encrypts config set with `--secret`; anything else is committed in plaintext. Keys the project declares `secret: true` must never be set in plaintext.",
            remediation: "Re-set each value with `pulumi config set --secret <key>`; the stack file then holds `secure:` ciphertext.",
            frameworks: [nist("IA-5(7)")])
    }

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        if OrganizationScope.contains(context.stack) { return .stackLevel(OrganizationScope.noStacks) }
        let evidence = context.evidence
        guard let file = evidence.stackFile(for: context.stack) else {
            return .stackLevel(EvidenceText.notEvaluable("no Pulumi.\(context.stack.identity.stack).yaml found \(evidence.whereSearched)"))
        }
        let declaredSecret = evidence.project?.secretKeys ?? []
        var entries: [StackEvaluation.Entry] = []
        var reported = Set<String>()
        for finding in ConfigSecretScan.findings(in: file.config, detector: detector) {
            let key = EvidenceText.keyPath(finding.entry, finding.path)
            reported.insert(finding.entry.key)
            entries.append(violation("'\(key)' is not secure: it \(finding.detection.phrase)",
                                     finding.entry.location(of: finding.path), file: file, key: key))
        }
        for entry in file.config where declaredSecret.contains(entry.key) && !entry.isSecure && !reported.contains(entry.key) && !entry.value.isNull {
            entries.append(violation("'\(entry.key)' is declared `secret: true` in the project but set in plaintext",
                                     entry.location(of: ""), file: file, key: entry.key))
        }
        return entries.isEmpty ? .pass : StackEvaluation(entries)
    }

    private func violation(_ message: String, _ location: SourceLocation, file: StackConfigFile, key: String) -> StackEvaluation.Entry {
        StackEvaluation.Entry(resourceIndex: nil, outcome: .violation(Violation(
            "\(EvidenceText.fileName(file.path)): \(message)", location: location, detailKey: "\(file.path):\(key)")))
    }
}
