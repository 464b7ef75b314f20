import RampartModel
import RampartPolicy

/// A `pulumi:pulumi:StackReference` copies the outputs it reads into this stack's state (`outputs.outputs`); an
/// output that is secret in the referenced stack stays secret only if it is read as one. Sensitive-looking values
/// stored in plaintext there, or outputs listed in `secretOutputNames` stored in plaintext, are violations.
public struct UnprotectedStackReferencePolicy: ResourcePolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state]
    public let types = TypeSelector(["pulumi:pulumi:StackReference"])
    let detector = SecretDetector()

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "unprotected-stack-reference",
            description: "A stack reference stores sensitive-looking outputs of another stack in plaintext in this stack's state.",
            severity: .high,
            rationale: "Whoever can read this stack's state then reads the other stack's credentials without access to that stack; the exposure is invisible from the stack that owns the secret.",
            remediation: "Export the value with `pulumi.secret()` in the referenced stack, and read it with `getOutput`/`requireOutput` (which keep secrets) rather than `getOutputValue`/`outputs` copied into plain values.",
            examples: [
                PolicyExample(type: "pulumi:pulumi:StackReference",
                              properties: #"{"name": "acme/db/prod", "outputs": {"endpoint": "db.internal", "dbPassword": "Tr0ub4dor-and-3"}, "secretOutputNames": []}"#,
                              expect: .violation, note: "password read in plaintext"),
                PolicyExample(type: "pulumi:pulumi:StackReference",
                              properties: #"{"name": "acme/db/prod", "outputs": {"endpoint": "db.internal", "dbPassword": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc:def"}}, "secretOutputNames": ["dbPassword"]}"#,
                              expect: .pass, note: "password kept secret"),
            ])
    }

    public func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        let outputs = resource.outputs["outputs"]
        guard let value = outputs.value, value.kind == .object else {
            if outputs.isOpaque { return .indeterminate("the referenced outputs are unknown or encrypted as a whole") }
            return .notApplicable("the stack reference has no recorded outputs")
        }
        let declaredSecret = Set(resource.outputs["secretOutputNames"].elements.compactMap(\.string))
        var found: [String] = []
        for (name, member) in value.members.sorted(by: { $0.key < $1.key }) {
            if member.kind == .secret { continue }
            if declaredSecret.contains(name), !member.isNull {
                found.append("'\(name)' (listed in secretOutputNames but stored in plaintext)")
                continue
            }
            if let detection = detector.scan(member, name: name).first?.detection {
                found.append("'\(name)' (\(detection.summary))")
            }
        }
        guard !found.isEmpty else { return .pass }
        let referenced = resource.outputs["name"].string.map { " of '\($0)'" } ?? ""
        return .violation(Violation("stack reference\(referenced) stores \(found.count) sensitive-looking output(s) in plaintext: \(found.joined(separator: ", "))"))
    }
}
