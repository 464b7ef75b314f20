import RampartModel
import RampartPolicy

/// A fixed, hand-built report that exercises every case the reporters distinguish: mandatory, advisory, exempted
/// and baselined violations, indeterminate outcomes, a policy error, passes, not-applicable, stack-level findings,
/// two resources with one type and name, the same resource name in two stacks, and a message full of characters
/// every format must escape.
enum SampleReport {
    /// Markup, quotes, a table pipe, a backtick, a mention, workflow-command separators, a control character and
    /// a line break.
    static let nastyMessage = "Bucket \"logs\" <unencrypted> & 'public' | `acl` @security-team 100% off: a,b::x\u{1}\u{FFFE}\nsecond line\r\n"

    static let dev = StackSummary(name: "acme/web/dev", source: "preview.json", kind: "preview", resourceCount: 3, resources: [
        ResourceRef(urn: "urn:pulumi:dev::web::aws:rds/instance:Instance::db", type: "aws:rds/instance:Instance", name: "db"),
        ResourceRef(urn: "urn:pulumi:dev::web::aws:s3/bucket:Bucket::logs", type: "aws:s3/bucket:Bucket", name: "logs"),
    ])

    static let prod = StackSummary(name: "acme/web/prod", source: "state/prod export.json", kind: "state-export", resourceCount: 7, resources: [
        ResourceRef(urn: "urn:pulumi:prod::web::aws:iam/role:Role::deployer", type: "aws:iam/role:Role", name: "deployer"),
        ResourceRef(urn: "urn:pulumi:prod::web::aws:rds/instance:Instance::db", type: "aws:rds/instance:Instance", name: "db"),
        ResourceRef(urn: "urn:pulumi:prod::web::aws:rds/instance:Instance::replica", type: "aws:rds/instance:Instance", name: "replica"),
        ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::archive", type: "aws:s3/bucket:Bucket", name: "archive"),
        ResourceRef(urn: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs", type: "aws:s3/bucket:Bucket", name: "logs"),
        ResourceRef(urn: "urn:pulumi:prod::web::custom:index:Site$aws:s3/bucket:Bucket::logs", type: "aws:s3/bucket:Bucket", name: "logs"),
    ])

    static func counts(pass: Int = 0, violation: Int = 0, notApplicable: Int = 0, indeterminate: Int = 0, error: Int = 0,
                       exempted: Int = 0) -> OutcomeCounts {
        var c = OutcomeCounts()
        c.pass = pass; c.violation = violation; c.notApplicable = notApplicable
        c.indeterminate = indeterminate; c.error = error; c.exempted = exempted
        return c
    }

    static let packs = [
        PackSummary(name: "aws-baseline", version: "1.0.0", description: "AWS baseline", policies: [
            PolicySummary(name: "s3-encrypted", description: "S3 buckets are encrypted at rest.", enforcementLevel: .mandatory,
                          severity: .high, remediation: "Set `serverSideEncryptionConfiguration` with aws:kms.",
                          frameworks: [FrameworkReference(name: "CIS AWS", version: "3.0", control: "2.1.1")],
                          counts: counts(violation: 2, notApplicable: 1, exempted: 1)),
            PolicySummary(name: "rds-public", description: "RDS instances are not publicly accessible.", enforcementLevel: .advisory,
                          severity: .critical, remediation: "Set publiclyAccessible: false.",
                          counts: counts(pass: 1, violation: 1, indeterminate: 1)),
            PolicySummary(name: "iam-no-wildcard", description: "IAM policies grant no `*` actions.", enforcementLevel: .mandatory,
                          severity: .medium, counts: counts(error: 1)),
        ]),
        PackSummary(name: "org-hardening", version: "0.3.0", description: "Hardening checklist", policies: [
            PolicySummary(name: "config-secrets-encrypted", description: "Sensitive config values are secure.",
                          enforcementLevel: .mandatory, severity: .high, remediation: "pulumi config set --secret KEY",
                          counts: counts(violation: 2)),
            PolicySummary(name: "sso-enforced", description: "SSO is enforced.", enforcementLevel: .advisory, severity: .low,
                          counts: counts(indeterminate: 1)),
        ]),
    ]

    static func finding(_ stack: StackSummary, _ resource: Int?, _ pack: String, _ policy: String, _ level: EnforcementLevel,
                        _ severity: Severity, _ outcome: OutcomeKind, _ message: String, remediation: String? = nil,
                        location: SourceLocation? = nil, detail: String? = nil, fingerprint: String,
                        exemption: ExemptionRecord? = nil, baselined: Bool = false) -> Finding {
        Finding(stack: stack.name, resource: resource.map { stack.resources[$0] }, pack: pack, policy: policy,
                enforcementLevel: level, severity: severity, outcome: outcome, message: message, remediation: remediation,
                location: location, detailKey: detail, fingerprint: fingerprint, exemption: exemption, baselined: baselined)
    }

    static let exemption = ExemptionRecord(policy: "aws-baseline/s3-encrypted",
                                           urn: "urn:pulumi:prod::web::custom:index:Site$aws:s3/bucket:Bucket::logs",
                                           stack: "acme/web/prod", reason: "receives only ALB access logs", expires: "2027-03-31",
                                           source: "rampart.yaml:12:5")

    static let findings = [
        // dev
        finding(dev, 1, "aws-baseline", "s3-encrypted", .mandatory, .high, .violation, "Bucket has no server-side encryption.",
                remediation: "Set `serverSideEncryptionConfiguration` with aws:kms.", fingerprint: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                baselined: true),
        finding(dev, 0, "aws-baseline", "rds-public", .advisory, .critical, .indeterminate,
                "publiclyAccessible is not known until the preview is applied", fingerprint: "1a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        // prod
        finding(prod, 0, "aws-baseline", "iam-no-wildcard", .mandatory, .medium, .error, "policy failed: index out of range",
                fingerprint: "2a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        finding(prod, 1, "aws-baseline", "rds-public", .advisory, .critical, .violation, "Instance is publicly accessible.",
                remediation: "Set publiclyAccessible: false.", fingerprint: "3a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        finding(prod, 4, "aws-baseline", "s3-encrypted", .mandatory, .high, .violation, nastyMessage,
                remediation: "Set `serverSideEncryptionConfiguration` with aws:kms.",
                location: SourceLocation(file: "infra/index.ts", line: 12, column: 5), fingerprint: "4a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        finding(prod, 5, "aws-baseline", "s3-encrypted", .mandatory, .high, .violation, "Bucket has no server-side encryption.",
                remediation: "Set `serverSideEncryptionConfiguration` with aws:kms.", fingerprint: "5a1b2c3d4e5f60718293a4b5c6d7e8f9",
                exemption: exemption),
        finding(prod, nil, "org-hardening", "config-secrets-encrypted", .mandatory, .high, .violation,
                "Config value web:apiToken looks like a credential and is not secure.", remediation: "pulumi config set --secret KEY",
                location: SourceLocation(file: "Pulumi.prod.yaml", line: 7, column: 3), detail: "web:apiToken",
                fingerprint: "6a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        finding(prod, nil, "org-hardening", "config-secrets-encrypted", .mandatory, .high, .violation,
                "Config value web:dbPassword looks like a credential and is not secure.", remediation: "pulumi config set --secret KEY",
                location: SourceLocation(file: "Pulumi.prod.yaml", line: 4, column: 3), detail: "web:dbPassword",
                fingerprint: "7a1b2c3d4e5f60718293a4b5c6d7e8f9"),
        finding(prod, nil, "org-hardening", "sso-enforced", .advisory, .low, .indeterminate,
                "not evaluable: no organisation snapshot given (--org)", fingerprint: "8a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    ]

    static func evaluation(_ stack: Int32, _ pack: Int32, _ policy: Int32, _ resource: Int32, _ outcome: OutcomeKind,
                           _ level: EnforcementLevel, finding: Int32 = -1, reason: String? = nil, exempted: Bool = false) -> Evaluation {
        Evaluation(stack: stack, pack: pack, policy: policy, resource: resource, outcome: outcome, level: level,
                   finding: finding, reason: reason, exempted: exempted)
    }

    static let evaluations = [
        // dev: s3-encrypted on logs (baselined violation), rds-public on db (indeterminate)
        evaluation(0, 0, 0, 1, .violation, .mandatory, finding: 0),
        evaluation(0, 0, 1, 0, .indeterminate, .advisory, finding: 1, reason: findings[1].message),
        // prod
        evaluation(1, 0, 0, 3, .notApplicable, .mandatory, reason: "bucket is a replication target <managed elsewhere>"),
        evaluation(1, 0, 0, 4, .violation, .mandatory, finding: 4),
        evaluation(1, 0, 0, 5, .violation, .mandatory, finding: 5, exempted: true),
        evaluation(1, 0, 1, 1, .violation, .advisory, finding: 3),
        evaluation(1, 0, 1, 2, .pass, .advisory),
        evaluation(1, 0, 2, 0, .error, .mandatory, finding: 2, reason: findings[2].message),
        evaluation(1, 1, 0, -1, .violation, .mandatory, finding: 6),
        evaluation(1, 1, 0, -1, .violation, .mandatory, finding: 7),
        evaluation(1, 1, 1, -1, .indeterminate, .advisory, finding: 8, reason: findings[8].message),
    ]

    static func make() -> ScanReport {
        ScanReport(tool: ToolInfo(version: "0.9.0-test"), inputs: ["preview.json", "state/prod export.json"],
                   stacks: [dev, prod], packs: packs, findings: findings, evaluations: evaluations,
                   exemptions: [exemption, ExemptionRecord(policy: "aws-baseline/rds-public", urn: "urn:pulumi:prod::web::aws:rds/instance:Instance::db",
                                                           reason: "temporary | until migration", expires: "2025-01-01", expired: true,
                                                           source: "rampart.yaml:20:5")],
                   notices: [ReportNotice(source: "preview.json", message: "steps[3]: unknown op 'discard', read as 'same'")],
                   verdict: Verdict(failed: true, failOn: .mandatory), timestamp: "2026-11-26T10:30:00Z",
                   baseline: BaselineSummary(file: "rampart-baseline.json", known: 1, new: 7, resolved: [
                       .init(stack: "acme/web/dev", pack: "aws-baseline", policy: "rds-public",
                             urn: "urn:pulumi:dev::web::aws:rds/instance:Instance::old", message: "Instance is publicly accessible.",
                             recorded: "2026-10-01"),
                   ]))
    }
}
