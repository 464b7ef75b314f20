import RampartPolicy

extension AWSBaseline {
    static var loggingPolicies: [any Policy] {
        [trailMultiRegion, trailValidation, trailKMS, trailCloudWatch, logGroupRetention, logGroupKMS]
    }

    static let trail = "aws:cloudtrail/trail:Trail"
    static let nativeTrail = "aws-native:cloudtrail:Trail"
    static let logGroup = "aws:cloudwatch/logGroup:LogGroup"
    static let nativeLogGroup = "aws-native:logs:LogGroup"

    /// A CloudTrail setting that must be on; `native` names it on aws-native where it differs.
    static func trailFlag(_ name: String, _ description: String, severity: Severity, control: String, path: String, native: String? = nil,
                          rationale: String, remediation: String) -> SwiftResourcePolicy {
        SwiftResourcePolicy(
            baseline(name, description, severity: severity, frameworks: [cis(control)], rationale: rationale, remediation: remediation,
                     examples: [
                         example(trail, #"{"\#(path)": true}"#, .pass),
                         example(trail, #"{"\#(path)": "false"}"#, .violation),
                         example(nativeTrail, #"{}"#, .violation),
                     ]),
            types: [trail, nativeTrail]
        ) { subject, _ in
            .check(try subject.bool(subject.type == nativeTrail ? native ?? path : path) == true, "CloudTrail \(subject.name): \(description.lowercased())")
        }
    }

    static let trailMultiRegion = trailFlag(
        "cloudtrail-multi-region", "Trails log every region.", severity: .high, control: "3.1", path: "isMultiRegionTrail",
        rationale: "A single-region trail misses activity in the other regions, where an attacker may act unobserved.",
        remediation: "Set `isMultiRegionTrail: true` (and keep `includeGlobalServiceEvents`).")

    static let trailValidation = trailFlag(
        "cloudtrail-log-file-validation", "Trails sign their log files.", severity: .medium, control: "3.2", path: "enableLogFileValidation",
        rationale: "Digest files prove log files were not changed or deleted after delivery.",
        remediation: "Set `enableLogFileValidation: true`.")

    static let trailKMS = SwiftResourcePolicy(
        baseline("cloudtrail-kms-encrypted", "Trails encrypt log files with a KMS key.", severity: .medium, frameworks: [cis("3.7"), nist("SC-28")],
                 rationale: "SSE-KMS adds a key policy between the log bucket's readers and the audit trail.",
                 remediation: "Set `kmsKeyId` to a customer-managed key whose policy allows CloudTrail to encrypt.",
                 examples: [
                     example(trail, #"{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}"#, .pass),
                     example(trail, #"{}"#, .violation),
                     example(nativeTrail, #"{"kmsKeyId": "alias/trail"}"#, .pass),
                 ]),
        types: [trail, nativeTrail]
    ) { subject, _ in
        .check(try subject.truthy("kmsKeyId"), "CloudTrail \(subject.name) does not encrypt its logs with KMS.")
    }

    static let trailCloudWatch = SwiftResourcePolicy(
        baseline("cloudtrail-cloudwatch-logs", "Trails deliver to CloudWatch Logs.", severity: .low, frameworks: [cis("3.4")],
                 rationale: "Delivery to CloudWatch Logs enables the metric filters and alarms of CIS section 4 and real-time review.",
                 remediation: "Set `cloudWatchLogsGroupArn` and `cloudWatchLogsRoleArn`.",
                 examples: [
                     example(trail, #"{"cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:1:log-group:trail:*", "cloudWatchLogsRoleArn": "arn:aws:iam::1:role/t"}"#, .pass),
                     example(trail, #"{}"#, .violation),
                 ]),
        types: [trail, nativeTrail]
    ) { subject, _ in
        let arn = subject.type == nativeTrail ? "cloudWatchLogsLogGroupArn" : "cloudWatchLogsGroupArn"
        return .check(try subject.truthy(arn), "CloudTrail \(subject.name) does not deliver to CloudWatch Logs.")
    }

    static let logGroupRetention = SwiftResourcePolicy(
        baseline("cloudwatch-log-group-retention", "Log groups keep events at least a year (or never expire them).", severity: .low,
                 frameworks: [nist("AU-11")],
                 rationale: "Investigations routinely reach back months; short retention deletes the evidence.",
                 remediation: "Set `retentionInDays` to at least the configured minimum (365), or leave it unset to keep events forever.",
                 schema: ConfigSchema(properties: ["minimumDays": ConfigProperty(type: .integer, description: "Minimum retention in days.", default: .number(365), minimum: 1)]),
                 examples: [
                     example(logGroup, #"{"retentionInDays": 400}"#, .pass),
                     example(logGroup, #"{}"#, .pass, "never expires"),
                     example(logGroup, #"{"retentionInDays": 7}"#, .violation),
                     example(nativeLogGroup, #"{"retentionInDays": 30}"#, .violation),
                 ]),
        types: [logGroup, nativeLogGroup]
    ) { group, config in
        guard let days = try group.number("retentionInDays"), days > 0 else { return .pass }
        let minimum = config.number("minimumDays") ?? 365
        return .check(days >= minimum, "Log group \(group.name) keeps events \(MessageText.count(days.clampedInt, "day")); at least \(minimum.clampedInt) required.")
    }

    static let logGroupKMS = SwiftResourcePolicy(
        baseline("cloudwatch-log-group-kms", "Log groups are encrypted with a KMS key.", severity: .low, frameworks: [nist("SC-28")], level: .disabled,
                 rationale: "CloudWatch Logs encrypts at rest anyway; a KMS key adds a key policy over who can read the events. Opt-in.",
                 remediation: "Set `kmsKeyId` (aws-native: `kmsKeyId`).",
                 examples: [
                     example(logGroup, #"{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}"#, .pass),
                     example(logGroup, #"{}"#, .violation),
                 ]),
        types: [logGroup, nativeLogGroup]
    ) { group, _ in
        .check(try group.truthy("kmsKeyId"), "Log group \(group.name) is not encrypted with a KMS key.")
    }
}
