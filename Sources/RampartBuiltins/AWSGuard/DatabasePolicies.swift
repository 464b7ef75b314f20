import RampartPolicy

extension AWSGuard {
    static var databasePolicies: [any Policy] { [dynamodbEncryption, rdsBackup, rdsMultiAZ, rdsPublicAccess, rdsStorageEncrypted] }

    static let rds = "aws:rds/instance:Instance"

    static let dynamodbEncryption = SwiftResourcePolicy(
        awsguard("dynamodb-table-encryption-enabled", "DynamoDB tables that configure server-side encryption enable it.",
                 severity: .medium,
                 frameworks: [nist("SC-28")],
                 rationale: "A table that names an encryption block but disables it is not using the customer-managed key its authors meant to use.",
                 remediation: "Set `serverSideEncryption.enabled: true` (optionally with `kmsKeyArn`), or remove the block to use the AWS-owned key.",
                 examples: [
                     example("aws:dynamodb/table:Table", #"{"serverSideEncryption": {"enabled": true}}"#, .pass),
                     example("aws:dynamodb/table:Table", #"{"name": "t"}"#, .pass, "no block: AWS-owned key, as AWSGuard allows"),
                     example("aws:dynamodb/table:Table", #"{"serverSideEncryption": {"enabled": false}}"#, .violation),
                 ]),
        types: ["aws:dynamodb/table:Table"]
    ) { table, _ in
        let sse = try table.value("serverSideEncryption")
        guard !sse.isAbsent else { return .pass }
        return .check(try sse["enabled"].requireTruthy("serverSideEncryption.enabled"),
                      "DynamoDB must have server side encryption enabled.")
    }

    static let rdsBackup = SwiftResourcePolicy(
        awsguard("rds-instance-backup-enabled", "RDS instances have backups enabled, optionally with a set retention period and window.",
                 severity: .medium,
                 frameworks: [nist("CP-9")],
                 rationale: "Automated backups are what point-in-time recovery restores from; a retention of 0 turns them off.",
                 remediation: "Set `backupRetentionPeriod` to at least 1 (and to the configured value), and `backupWindow` to the configured window.",
                 schema: ConfigSchema(properties: [
                     "backupRetentionPeriod": ConfigProperty(type: .integer, description: "Required retention period in days.", minimum: 1),
                     "preferredBackupWindow": ConfigProperty(type: .string, description: "Required backup window, e.g. 01:00-02:00."),
                     "checkReadReplicas": ConfigProperty(type: .boolean, description: "Also apply the 'backups enabled' check to read replicas (false: a replica may have retention 0; a configured retention period and window still apply).", default: .bool(true)),
                 ]),
                 examples: [
                     example(rds, #"{"backupRetentionPeriod": 7}"#, .pass),
                     example(rds, #"{"backupRetentionPeriod": 0}"#, .violation),
                     example(rds, #"{"backupRetentionPeriod": 7}"#, .violation, config: ["backupRetentionPeriod": .number(14)]),
                     example(rds, #"{"backupRetentionPeriod": 7, "backupWindow": "01:00-02:00"}"#, .pass,
                             config: ["preferredBackupWindow": .string("01:00-02:00")]),
                     example(rds, #"{"backupRetentionPeriod": 0, "replicateSourceDb": "primary"}"#, .pass,
                             "checkReadReplicas: false skips only the 'backups enabled' check on a replica",
                             config: ["checkReadReplicas": .bool(false)]),
                     example(rds, #"{"backupRetentionPeriod": 7, "replicateSourceDb": "primary"}"#, .violation,
                             "the configured retention period still applies to replicas (AWSGuard does the same)",
                             config: ["checkReadReplicas": .bool(false), "backupRetentionPeriod": .number(14)]),
                 ]),
        types: [rds]
    ) { db, config in
        // Like AWSGuard, `checkReadReplicas: false` exempts a read replica from the "backups enabled" check only
        // (replicas of MySQL/MariaDB/PostgreSQL often run without automated backups); a configured retention period
        // and window are still enforced on it.
        let skipsBackupsEnabled = try db.truthy("replicateSourceDb") && !(config.bool("checkReadReplicas") ?? true)
        var messages: [String] = []
        let retention = try db.number("backupRetentionPeriod")
        if retention == 0 && !skipsBackupsEnabled { messages.append("RDS Instances must have backups enabled.") }
        if let required = config.number("backupRetentionPeriod"), (retention ?? 7) != required {
            // AWS defaults the retention period to 7 days when it is not set.
            messages.append("RDS Instances must have a backup retention period of: \(required.clampedInt).")
        }
        if let window = config.string("preferredBackupWindow"), try db.string("backupWindow") != window {
            messages.append("RDS Instances must have a backup preferred back up window of: \(window).")
        }
        return .violations(messages)
    }

    static let rdsMultiAZ = SwiftResourcePolicy(
        awsguard("rds-instance-multi-az-enabled", "RDS instances run in several availability zones.", severity: .medium,
                 rationale: "A Multi-AZ instance fails over to a standby when its zone fails; a single-AZ instance waits for the zone.",
                 remediation: "Set `multiAz: true` on the instance.",
                 examples: [
                     example(rds, #"{"multiAz": true}"#, .pass),
                     example(rds, #"{"multiAz": false}"#, .violation),
                     example(rds, #"{}"#, .violation),
                 ]),
        types: [rds]
    ) { db, _ in
        .check(try db.truthy("multiAz"), "RDS Instances must be configured with multiple AZs for highly available.")
    }

    static let rdsPublicAccess = SwiftResourcePolicy(
        awsguard("rds-instance-public-access", "RDS instances are not publicly accessible.", severity: .critical,
                 frameworks: [nist("SC-7")],
                 rationale: "A publicly accessible database gets a public DNS address; one security-group mistake puts it on the internet.",
                 remediation: "Set `publiclyAccessible: false` and reach the database from inside the VPC.",
                 examples: [
                     example(rds, #"{"publiclyAccessible": false}"#, .pass),
                     example(rds, #"{}"#, .pass, "absent means false"),
                     example(rds, #"{"publiclyAccessible": true}"#, .violation),
                 ]),
        types: [rds]
    ) { db, _ in
        .check(!(try AWSChecks.rdsPubliclyAccessible(db)), "RDS Instance must not be publicly accessible.")
    }

    static let rdsStorageEncrypted = SwiftResourcePolicy(
        awsguard("rds-storage-encrypted", "RDS instances encrypt their storage (with a given KMS key, if configured).", severity: .high,
                 frameworks: [nist("SC-28")],
                 rationale: "Unencrypted database storage and snapshots expose every row to whoever gets a copy.",
                 remediation: "Set `storageEncrypted: true` (and `kmsKeyId`); encryption can only be chosen when the instance is created.",
                 schema: ConfigSchema(properties: [
                     "kmsKeyId": ConfigProperty(type: .string, description: "KMS key id or ARN the storage must be encrypted with."),
                 ]),
                 examples: [
                     example(rds, #"{"storageEncrypted": true}"#, .pass),
                     example(rds, #"{"storageEncrypted": false}"#, .violation),
                     example(rds, #"{"replicateSourceDb": "primary"}"#, .pass, "read replicas inherit their source's encryption"),
                     example(rds, #"{"storageEncrypted": true, "kmsKeyId": "k1"}"#, .violation, config: ["kmsKeyId": .string("k2")]),
                 ]),
        types: [rds]
    ) { db, config in
        var messages: [String] = []
        if !(try AWSChecks.rdsStorageEncrypted(db)) {
            messages.append("RDS Instance must have storage encryption enabled.")
        }
        if let key = config.string("kmsKeyId"), try db.string("kmsKeyId") != key {
            messages.append("RDS Instance must be encrypted with kms key id: \(key).")
        }
        return .violations(messages)
    }
}
