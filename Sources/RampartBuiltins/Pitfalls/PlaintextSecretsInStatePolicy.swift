import RampartModel
import RampartPolicy

/// Credential-shaped or sensitively-named values stored unencrypted in a resource's inputs or outputs — of read
/// resources too (`ReadResourcePolicy`): a secret fetched through a data source sits in the state like any other.
public struct PlaintextSecretsInStatePolicy: ReadResourcePolicy, EvidenceDescribing {
    public let evidence: Set<EvidenceKind> = [.state]
    public let types = TypeSelector.all
    let detector = SecretDetector(checksKeyLikeNames: false)

    public init() {}

    public var descriptor: PolicyDescriptor {
        PolicyDescriptor(
            name: "plaintext-secrets-in-state",
            description: "Resource inputs or outputs hold credential-shaped or secret-named values that are not marked secret.",
            severity: .high,
            rationale: "State is stored in the backend and shown by `pulumi stack export`; values not wrapped as secrets are kept in plaintext, readable by anyone who can read the state.",
            remediation: "Wrap the value with `pulumi.secret()` (or list the property in `additionalSecretOutputs`) so it is encrypted in state, and rotate the exposed credential.",
            frameworks: [nist("IA-5(7)")],
            examples: [
                PolicyExample(type: "aws:rds/instance:Instance", properties: #"{"engine": "postgres", "password": "Tr0ub4dor-and-3"}"#,
                              expect: .violation, note: "password in plaintext"),
                PolicyExample(type: "aws:rds/instance:Instance",
                              properties: #"{"engine": "postgres", "password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc:def"}}"#,
                              expect: .pass, note: "password is a secret"),
                PolicyExample(type: "aws:s3/bucket:Bucket", properties: #"{"bucket": "logs", "acl": "private", "passwordLength": 16}"#,
                              expect: .pass, note: "metadata about a secret is not a secret"),
            ])
    }

    public func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        // Object keys are classified through the worker's memo: the same keys recur on every resource.
        let found = resource.withMemo(SensitiveNameMemo.init) { names in
            var found: [String] = []
            // Each set scanned in turn, without a list of (label, value) pairs made and destroyed per resource.
            func scan(_ label: String, _ value: PropertyValue?) {
                guard let value else { return }
                for (path, detection) in detector.scan(value, names: names) where !Self.isIdentifier(path: path, detection: detection) {
                    found.append("\(label).\(path) (\(detection.summary))")
                }
            }
            let record = resource.resource
            scan("inputs", record.inputs)
            scan("outputs", record.outputs)
            return found
        }
        guard !found.isEmpty else { return .pass }
        let shown = found.prefix(5).joined(separator: ", ")
        let more = found.count > 5 ? " and \(found.count - 5) more" : ""
        let noun = found.count == 1 ? "value looks" : "values look"
        return .violation(Violation("\(found.count) unencrypted \(noun) like secrets: \(shown)\(more)"))
    }

    /// An AWS access key id under an id-like name (`id`, `accessKeyId`) is an identifier, not a secret on its own.
    static func isIdentifier(path: String, detection: SecretDetection) -> Bool {
        guard detection.kind == .awsAccessKeyID else { return false }
        let last = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        return last == "id" || last.hasSuffix("id")
    }
}
