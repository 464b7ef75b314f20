import RampartModel
import RampartPolicy

/// `builtin:aws`: a security baseline for AWS written for the providers people run today — type tokens of AWS
/// provider v5, v6 and v7 (with the legacy, V2 and v7 S3 shapes), `aws:lb`/`aws:alb` as one resource, and
/// `aws-native:*` where its shapes differ — with CIS AWS Foundations Benchmark control ids where a control maps.
///
/// Rules that span resources (bucket ↔ public access block ↔ encryption configuration, security group ↔
/// standalone rules, RDS ↔ subnet group ↔ subnets, VPC ↔ flow log) join by property dependency first and by
/// value (id, name, ARN) only when both sides are known, so a preview yields pass or indeterminate, never a
/// violation that depends on an id that does not exist yet.
///
/// Where a check is the same as one of `builtin:awsguard`, both call one helper in `AWSChecks`.
public enum AWSBaseline {
    public static let packName = "aws"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "AWS security baseline across provider v5–v7 and aws-native, mapped to CIS AWS Foundations where controls exist.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(packName)")
    }

    static var policies: [any Policy] {
        s3Policies + networkPolicies + computePolicies + databasePolicies + iamPolicies + loggingPolicies
            + serverlessPolicies + containerPolicies + edgePolicies + loadBalancerPolicies + accountPolicies + athenaPolicies
            + appflowPolicies + efsPolicies
    }
}

// MARK: - Descriptor shorthand

/// A CIS AWS Foundations Benchmark control. v1.5.0 numbering unless another version is given (IMDSv2, 5.6,
/// arrived in v2.0.0).
func cis(_ control: String, version: String = "1.5.0") -> FrameworkReference {
    FrameworkReference(name: "CIS AWS Foundations Benchmark", version: version, control: control)
}

/// Builds a `builtin:aws` descriptor.
func baseline(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference] = [],
              level: EnforcementLevel? = nil, rationale: String, remediation: String,
              schema: ConfigSchema = ConfigSchema(), examples: [PolicyExample],
              equivalents: [PolicyEquivalent] = []) -> PolicyDescriptor {
    PolicyDescriptor(name: name, description: description, severity: severity, enforcementLevel: level, rationale: rationale,
                     remediation: remediation, frameworks: frameworks, configSchema: schema, examples: examples,
                     equivalents: equivalents + (awsguardEquivalents[name].map { [PolicyEquivalent(.awsguard, $0)] } ?? []))
}

/// `builtin:aws` policies that report every defect an AWSGuard policy reports (the same check, or a stricter one:
/// `rds-backup-retention` asks for 7 days where AWSGuard asks for backups at all). The default pack set uses it to
/// leave those AWSGuard policies out, so one defect makes one finding (`PackLoader.defaultPacks`). Not listed:
/// AWSGuard's `encrypted-volumes`, which also flags an instance without a root block device, a defect
/// `ec2-instance-volumes-encrypted` does not report.
let awsguardEquivalents: [String: String] = [
    "s3-bucket-access-logging-enabled": "s3-bucket-logging-enabled",
    "rds-storage-encrypted": "rds-storage-encrypted",
    "rds-not-publicly-accessible": "rds-instance-public-access",
    "rds-backup-retention": "rds-instance-backup-enabled",
    "kms-key-rotation-enabled": "cmk-backing-key-rotation-enabled",
    "efs-encrypted": "efs-encrypted",
    "ec2-instance-not-publicly-addressed": "ec2-instance-no-public-ip",
]

/// Frameworks named without control ids, as Pulumi's compliance-ready policies tag their checks
/// (`iso27001`, `pcidss`, `hitrust`, `cis`).
func frameworks(_ names: String...) -> [FrameworkReference] {
    names.map { FrameworkReference(name: $0) }
}

/// A NIST SP 800-53 Rev. 5 control (`SC-28`, `IA-5(7)`): the control whose objective the policy's check serves.
func nist(_ control: String) -> FrameworkReference {
    FrameworkReference(name: "NIST SP 800-53", version: "Rev. 5", control: control)
}

/// Pulumi Compliance-Ready Policies that check the same thing (upstream policy names).
func compliance(_ policies: String...) -> [PolicyEquivalent] {
    policies.map { PolicyEquivalent(.pulumiCompliancePolicies, $0) }
}

/// A multi-resource example; `preview: true` runs it as a preview (inputs, no ids).
func joined(_ expectation: PolicyExample.Expectation, _ note: String? = nil, preview: Bool = false,
            config: [String: ConfigValue] = [:], _ resources: ExampleResource...) -> PolicyExample {
    PolicyExample(resources: resources, expect: expectation, note: note, config: PolicyConfig(config), preview: preview)
}

/// The preview's unknown-value sentinel, for examples (`"bucket": "\(unknown)"`).
let unknown = PulumiSignature.unknown

// MARK: - Reading several shapes

extension PropertyLookup {
    /// The first element of a list-of-one, or the value itself when it is an object: AWS provider v6 `BucketV2`
    /// stores nested blocks as lists of one, the legacy bucket and v7 as objects.
    var single: PropertyLookup {
        guard case .value(let v) = self, v.kind == .array else { return self }
        return v.elements.first.map { PropertyLookup($0) } ?? .absent
    }

    /// Strings of a string or a list of strings (IAM `Action`, CIDR lists).
    var strings: [String] {
        var strings: [String] = []
        forEachString { strings.append($0) }
        return strings
    }

    /// Calls `body` with the string, or with each string element of an array in order, read in place: no list of
    /// elements first (IAM and CIDR lists are read for every statement and rule). Elements that are not known
    /// strings (an unknown, an encrypted secret, a number) are skipped, as `elements.compactMap(\.string)` skips
    /// them; returns whether any element was unknown or encrypted.
    @discardableResult
    func forEachString(_ body: (String) -> Void) -> Bool {
        if let s = string {
            body(s)
            return false
        }
        guard case .value(let v) = self, v.node.kind == .array else { return false }
        var opaque = false
        for child in v.node.elements {
            let element = PropertyLookup(PropertyValue(node: child, dialect: v.dialect))
            if let s = element.string { body(s) } else if element.isOpaque { opaque = true }
        }
        return opaque
    }

    /// Whether the value is a string with something besides whitespace in it (a description, a comment);
    /// indeterminate when it is not known.
    func requireText(_ path: @autoclosure () -> String) throws(PolicyControl) -> Bool {
        guard let text = try requireString(path()) else { return false }
        return !text.allSatisfy(\.isWhitespace)
    }
}

// MARK: - Shared readings

/// A policy that requires a description-like property on each of `paths`' types (type → property path), with
/// `label(type)` naming the resource in messages. `placeholders` are provider defaults that describe nothing (the
/// AWS provider stores "Managed by Pulumi" on a security group created without a description), so a state export
/// and a preview of the same program agree.
func describedPolicy(_ descriptor: PolicyDescriptor, paths: [String: String], placeholders: Set<String> = [],
                     label: @escaping @Sendable (String) -> String) -> SwiftResourcePolicy {
    SwiftResourcePolicy(descriptor, types: paths.keys.sorted()) { subject, _ in
        let path = paths[subject.type] ?? "description"
        let described = try subject.props.at(path).requireText(path)
            && !placeholders.contains(try subject.string(path) ?? "")
        return .check(described, "\(label(subject.type)) \(subject.name) has no \(path).")
    }
}

extension ResourceContext {
    /// The first of `paths` that is present (one property under different names across provider majors).
    func first(_ paths: String...) throws(PolicyControl) -> PropertyLookup {
        for path in paths {
            let v = try value(path)
            if !v.isAbsent { return v }
        }
        return .absent
    }

    /// The values that other resources may use to refer to this one: id, ARN and the given name properties.
    func keys(_ names: String...) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(names.count + 2)
        if let id = stack.graph.resources[index].id, !id.isEmpty { keys.append(id) }
        let props = self.props
        if let arn = props["arn"].string, !arn.isEmpty { keys.append(arn) }
        for name in names {
            if let key = props[name].string, !key.isEmpty { keys.append(key) }
        }
        return keys
    }
}
