import RampartPolicy

extension AWSBaseline {
    static var databasePolicies: [any Policy] {
        [rdsEncrypted, rdsNotPublic, rdsNotInPublicSubnet, rdsBackupRetention, rdsDeletionProtection, rdsIAMAuth, rdsMinorUpgrades,
         dynamoPITR, dynamoCMK, elasticacheAtRest, elasticacheInTransit, documentDBEncrypted, neptuneEncrypted,
         rdsClusterMultiAZ, rdsPerformanceInsights, rdsPerformanceInsightsKey, rdsStorageCustomerKey]
    }

    static let rdsInstance = "aws:rds/instance:Instance"
    static let rdsCluster = "aws:rds/cluster:Cluster"
    /// DB subnet groups, known by id, ARN or name (an instance's `dbSubnetGroupName`), and their subnets.
    static let dbSubnetGroupKeys = KeyIndex.Query(types: ["aws:rds/subnetGroup:SubnetGroup", "aws-native:rds:DbSubnetGroup"],
                                                  fields: ["name", "dbSubnetGroupName"])
    static let dbSubnetKeys = KeyIndex.Query(types: ["aws:ec2/subnet:Subnet", "aws-native:ec2:Subnet"], fields: ["subnetId"])
    static let rdsClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
    static let nativeDBInstance = "aws-native:rds:DbInstance"
    static let nativeDBCluster = "aws-native:rds:DbCluster"

    static let rdsEncrypted = SwiftResourcePolicy(
        baseline("rds-storage-encrypted", "RDS instances and Aurora clusters encrypt their storage.", severity: .high, frameworks: [cis("2.3.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "Unencrypted database storage, its snapshots and replicas hold every row in clear.",
                 remediation: "Set `storageEncrypted: true` (and `kmsKeyId`); encryption is chosen at creation — restore an encrypted snapshot copy to change it.",
                 examples: [
                     example(rdsInstance, #"{"storageEncrypted": true}"#, .pass),
                     example(rdsCluster, #"{"storageEncrypted": false}"#, .violation),
                     example(nativeDBInstance, #"{}"#, .violation),
                     example(rdsInstance, #"{"replicateSourceDb": "primary"}"#, .pass, "replicas inherit encryption"),
                 ],
                 equivalents: compliance("aws-rds-cluster-disallow-unencrypted-storage", "aws-rds-instance-disallow-unencrypted-storage", "awsnative-rds-dbcluster-disallow-unencrypted-storage", "awsnative-rds-dbinstance-disallow-unencrypted-storage")),
        types: [rdsInstance, rdsCluster, nativeDBInstance, nativeDBCluster]
    ) { db, _ in
        .check(try AWSChecks.rdsStorageEncrypted(db), "Database \(db.name) does not encrypt its storage.")
    }

    static let rdsNotPublic = SwiftResourcePolicy(
        baseline("rds-not-publicly-accessible", "RDS instances are not publicly accessible.", severity: .critical, frameworks: [cis("2.3.3")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "A publicly accessible instance resolves to a public address; one security-group rule puts the database on the internet.",
                 remediation: "Set `publiclyAccessible: false`.",
                 examples: [
                     example(rdsInstance, #"{"publiclyAccessible": false}"#, .pass),
                     example(rdsClusterInstance, #"{"publiclyAccessible": "true"}"#, .violation, "string boolean"),
                     example(nativeDBInstance, #"{"publiclyAccessible": true}"#, .violation),
                 ],
                 equivalents: compliance("aws-rds-clusterinstance-disallow-public-access", "aws-rds-instance-disallow-public-access", "awsnative-rds-dbinstance-disallow-public-access")),
        types: [rdsInstance, rdsClusterInstance, nativeDBInstance]
    ) { db, _ in
        .check(!(try AWSChecks.rdsPubliclyAccessible(db)), "Database \(db.name) is publicly accessible.")
    }

    static let rdsNotInPublicSubnet = SwiftResourcePolicy(
        baseline("rds-not-in-public-subnet", "RDS instances are not placed in subnets that assign public IPs.", severity: .medium,
                 frameworks: [nist("SC-7")],
                 rationale: "A subnet group that includes public subnets lets the database land where a public address and an internet route are one setting away.",
                 remediation: "Use a DB subnet group of private subnets only (`mapPublicIpOnLaunch: false`, no internet gateway route).",
                 examples: [
                     joined(.pass, nil,
                            ExampleResource("db", type: rdsInstance, properties: #"{"dbSubnetGroupName": "db-subnets"}"#, propertyDependencies: ["dbSubnetGroupName": ["group"]]),
                            ExampleResource("group", type: "aws:rds/subnetGroup:SubnetGroup", properties: #"{"name": "db-subnets", "subnetIds": ["a-id"]}"#, propertyDependencies: ["subnetIds": ["a"]]),
                            ExampleResource("a", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": false}"#)),
                     joined(.violation, "joined by name and id",
                            ExampleResource("db", type: rdsInstance, properties: #"{"dbSubnetGroupName": "db-subnets"}"#),
                            ExampleResource("group", type: "aws:rds/subnetGroup:SubnetGroup", properties: #"{"name": "db-subnets", "subnetIds": ["a-id", "b-id"]}"#),
                            ExampleResource("a", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": false}"#),
                            ExampleResource("b", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                     example(rdsInstance, #"{"dbSubnetGroupName": "outside-the-stack"}"#, .pass, "group not in the stack: nothing to say"),
                     joined(.indeterminate, "preview: subnet ids unknown", preview: true,
                            ExampleResource("db", type: rdsInstance, properties: #"{"dbSubnetGroupName": "\#(unknown)"}"#, propertyDependencies: ["dbSubnetGroupName": ["group"]]),
                            ExampleResource("group", type: "aws:rds/subnetGroup:SubnetGroup", properties: #"{"subnetIds": ["\#(unknown)"]}"#),
                            ExampleResource("b", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                 ]),
        types: [rdsInstance, nativeDBInstance]
    ) { db, _ in
        guard let groups = AWSJoin.targets(of: db, property: "dbSubnetGroupName", dbSubnetGroupKeys) else {
            return .indeterminate("dbSubnetGroupName is not known")
        }
        var undecided: String?
        for group in groups {
            guard let subnets = AWSJoin.targets(of: group, property: "subnetIds", dbSubnetKeys) else {
                undecided = "the subnets of \(group.name) are not known"; continue
            }
            for subnet in subnets where try subnet.bool("mapPublicIpOnLaunch") == true {
                return .violation("Database \(db.name) uses subnet group \(group.name), which includes public subnet \(subnet.name).")
            }
        }
        return undecided.map { .indeterminate($0) } ?? .pass
    }

    static let rdsBackupRetention = SwiftResourcePolicy(
        baseline("rds-backup-retention", "RDS instances and clusters keep automated backups for at least a week.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("CP-9")],
                 rationale: "Automated backups are what point-in-time recovery restores from; AWS keeps them one day unless told otherwise.",
                 remediation: "Set `backupRetentionPeriod` to at least the configured minimum (7 days by default).",
                 schema: ConfigSchema(properties: ["minimumDays": ConfigProperty(type: .integer, description: "Minimum retention in days.", default: .number(7), minimum: 1, maximum: 35)]),
                 examples: [
                     example(rdsInstance, #"{"backupRetentionPeriod": 7}"#, .pass),
                     example(rdsCluster, #"{"backupRetentionPeriod": 1}"#, .violation),
                     example(rdsInstance, #"{}"#, .violation, "AWS defaults to 1 day"),
                     example(rdsInstance, #"{"backupRetentionPeriod": 3}"#, .pass, config: ["minimumDays": .number(3)]),
                     example(rdsInstance, #"{"replicateSourceDb": "primary", "backupRetentionPeriod": 0}"#, .notApplicable),
                 ],
                 equivalents: compliance("aws-rds-cluster-configure-backup-retention", "aws-rds-cluster-enable-backup-retention", "aws-rds-instance-configure-backup-retention", "aws-rds-instance-enable-backup-retention", "awsnative-rds-dbcluster-configure-backup-retention", "awsnative-rds-dbcluster-enable-backup-retention", "awsnative-rds-dbinstance-configure-backup-retention", "awsnative-rds-dbinstance-enable-backup-retention")),
        types: [rdsInstance, rdsCluster, nativeDBInstance, nativeDBCluster]
    ) { db, config in
        if try db.truthy("replicateSourceDb") { return .notApplicable("read replica") }
        let minimum = config.number("minimumDays") ?? 7
        let days = try db.number("backupRetentionPeriod") ?? 1
        return .check(days >= minimum, "Database \(db.name) keeps backups \(MessageText.count(days.clampedInt, "day")); at least \(minimum.clampedInt) required.")
    }

    static let rdsDeletionProtection = SwiftResourcePolicy(
        baseline("rds-deletion-protection", "RDS instances and clusters have deletion protection.", severity: .medium,
                 rationale: "Deletion protection turns an accidental `pulumi destroy` or replacement of a database into an error instead of data loss.",
                 remediation: "Set `deletionProtection: true`.",
                 examples: [
                     example(rdsInstance, #"{"deletionProtection": true}"#, .pass),
                     example(rdsCluster, #"{"deletionProtection": false}"#, .violation),
                     example(nativeDBCluster, #"{}"#, .violation),
                 ]),
        types: [rdsInstance, rdsCluster, nativeDBInstance, nativeDBCluster]
    ) { db, _ in
        .check(try db.bool("deletionProtection") == true, "Database \(db.name) has no deletion protection.")
    }

    static let rdsIAMAuth = SwiftResourcePolicy(
        baseline("rds-iam-authentication", "RDS MySQL/PostgreSQL databases accept IAM authentication.", severity: .low,
                 rationale: "IAM authentication replaces long-lived database passwords with short-lived tokens tied to IAM identities.",
                 remediation: "Set `iamDatabaseAuthenticationEnabled: true` (aws-native: `enableIamDatabaseAuthentication`).",
                 examples: [
                     example(rdsInstance, #"{"engine": "postgres", "iamDatabaseAuthenticationEnabled": true}"#, .pass),
                     example(rdsCluster, #"{"engine": "aurora-mysql"}"#, .violation),
                     example(rdsInstance, #"{"engine": "sqlserver-ex"}"#, .notApplicable),
                 ]),
        types: [rdsInstance, rdsCluster, nativeDBInstance, nativeDBCluster]
    ) { db, _ in
        let engine = try db.string("engine")?.lowercased() ?? ""
        guard ["mysql", "postgres", "mariadb", "aurora"].contains(where: engine.hasPrefix) else {
            return .notApplicable("engine \(engine) does not support IAM authentication")
        }
        let native = db.type.hasPrefix("aws-native:")
        return .check(try db.bool(native ? "enableIamDatabaseAuthentication" : "iamDatabaseAuthenticationEnabled") == true,
                      "Database \(db.name) does not enable IAM authentication.")
    }

    static let rdsMinorUpgrades = SwiftResourcePolicy(
        baseline("rds-auto-minor-version-upgrade", "RDS instances take minor engine upgrades automatically.", severity: .low, frameworks: [cis("2.3.2"), nist("SI-2")],
                 rationale: "Minor versions carry security fixes; turning automatic upgrades off leaves known vulnerabilities in place.",
                 remediation: "Leave `autoMinorVersionUpgrade` unset or true.",
                 examples: [
                     example(rdsInstance, #"{}"#, .pass, "default true"),
                     example(rdsClusterInstance, #"{"autoMinorVersionUpgrade": false}"#, .violation),
                 ]),
        types: [rdsInstance, rdsClusterInstance, nativeDBInstance]
    ) { db, _ in
        .check(try db.bool("autoMinorVersionUpgrade") ?? true, "Database \(db.name) has automatic minor version upgrades off.")
    }

    static let rdsClusterMultiAZ = SwiftResourcePolicy(
        baseline("rds-cluster-multiple-availability-zones", "RDS clusters are not pinned to a single availability zone.", severity: .high,
                 frameworks: frameworks("hitrust"),
                 rationale: """
                 A cluster whose `availabilityZones` lists one zone keeps its instances, and their failover, in that zone. Without \
                 the property AWS spreads the cluster over three zones (Aurora storage, Multi-AZ DB clusters), so only an explicit \
                 list of fewer than two zones is flagged.
                 """,
                 remediation: "List at least two `availabilityZones`, or leave the property out and let RDS choose three.",
                 examples: [
                     example(rdsCluster, #"{"availabilityZones": ["us-west-2a", "us-west-2b"]}"#, .pass),
                     example(rdsCluster, #"{"engine": "aurora-postgresql"}"#, .pass, "RDS chooses the zones"),
                     example(rdsCluster, #"{"availabilityZones": ["us-west-2a"]}"#, .violation),
                     example(nativeDBCluster, #"{"availabilityZones": ["us-west-2a"]}"#, .violation),
                 ],
                 equivalents: compliance("aws-rds-cluster-disallow-single-availability-zone", "awsnative-rds-dbcluster-disallow-single-availability-zone")),
        types: [rdsCluster, nativeDBCluster]
    ) { cluster, _ in
        let zones = try cluster.value("availabilityZones")
        if zones.isAbsent { return .pass }
        let count = zones.distinctEntryCount
        return .check(count >= 2, "RDS cluster \(cluster.name) is pinned to \(count) availability zone(s).")
    }

    /// `performanceInsightsEnabled` (aws) or `enablePerformanceInsights` (aws-native).
    static func performanceInsightsEnabled(_ db: ResourceContext) throws(PolicyControl) -> Bool {
        try db.bool(db.type == nativeDBInstance ? "enablePerformanceInsights" : "performanceInsightsEnabled") == true
    }

    static let rdsPerformanceInsights = SwiftResourcePolicy(
        baseline("rds-performance-insights-enabled", "RDS instances have Performance Insights enabled.", severity: .low,
                 rationale: "Performance Insights records database load by query, wait and user; without it a slowdown or an abusive query is diagnosed from guesswork. RDS for MySQL and MariaDB do not offer it on the micro and small burstable classes (db.t2/t3/t4g .micro and .small), so those instances are not applicable: the remediation would be a bigger instance, not a setting.",
                 remediation: "Set `performanceInsightsEnabled: true` (aws-native: `enablePerformanceInsights`), with `performanceInsightsKmsKeyId` for a customer-managed key.",
                 examples: [
                     example(rdsInstance, #"{"performanceInsightsEnabled": true}"#, .pass),
                     example(rdsClusterInstance, #"{"performanceInsightsEnabled": false}"#, .violation),
                     example(nativeDBInstance, #"{"dbInstanceClass": "db.m5.large"}"#, .violation),
                     example(nativeDBInstance, #"{"enablePerformanceInsights": true}"#, .pass),
                     example(rdsInstance, #"{"engine": "mysql", "instanceClass": "db.t3.micro", "performanceInsightsEnabled": false}"#, .notApplicable, "class without Performance Insights"),
                     example(nativeDBInstance, #"{"engine": "mariadb", "dbInstanceClass": "db.t4g.small"}"#, .notApplicable, "class without Performance Insights"),
                     example(rdsInstance, #"{"engine": "postgres", "instanceClass": "db.t3.micro", "performanceInsightsEnabled": false}"#, .violation, "PostgreSQL offers it on every class"),
                     example(rdsInstance, #"{"engine": "mysql", "instanceClass": "db.t3.medium", "performanceInsightsEnabled": false}"#, .violation),
                 ],
                 equivalents: compliance("aws-rds-instance-enable-performance-insights", "aws-rds-clusterinstance-enable-performance-insights",
                                         "awsnative-rds-dbinstance-enable-performance-insights")),
        types: [rdsInstance, rdsClusterInstance, nativeDBInstance]
    ) { db, _ in
        if try performanceInsightsEnabled(db) { return .pass }
        let engine = try db.string("engine")?.lowercased() ?? ""
        let instanceClass = try db.string(db.type == nativeDBInstance ? "dbInstanceClass" : "instanceClass")?.lowercased() ?? ""
        if ["mysql", "mariadb"].contains(engine), classesWithoutPerformanceInsightsOnMySQL.contains(instanceClass) {
            return .notApplicable("\(engine) on \(instanceClass) does not offer Performance Insights")
        }
        return .violation("Database \(db.name) does not have Performance Insights enabled.")
    }

    /// RDS for MySQL and MariaDB instance classes on which AWS does not offer Performance Insights (its
    /// "supported DB engines, Regions and instance classes" page); other engines offer it on every class.
    static let classesWithoutPerformanceInsightsOnMySQL: Set<String> = [
        "db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small",
    ]

    static let rdsPerformanceInsightsKey = SwiftResourcePolicy(
        baseline("rds-performance-insights-customer-managed-key", "RDS Performance Insights data is encrypted with a customer-managed KMS key.",
                 severity: .high, level: .disabled,
                 rationale: """
                 Performance Insights keeps query text and load data; AWS encrypts it with the account's AWS-managed `aws/rds` key \
                 unless `performanceInsightsKmsKeyId` names another, so anyone allowed to use that key can read it. A customer-managed \
                 key puts the data under your key policy. Opt-in, like the other customer-managed-key checks; an `alias/aws/...` key \
                 does not count. Instances without Performance Insights are not applicable.
                 """,
                 remediation: "Set `performanceInsightsKmsKeyId` to a customer-managed KMS key ARN (chosen when Performance Insights is first enabled).",
                 examples: [
                     example(rdsInstance, #"{"performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": "arn:aws:kms:us-west-2:123456789012:key/k"}"#, .pass),
                     example(rdsClusterInstance, #"{"performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": ""}"#, .violation),
                     example(nativeDBInstance, #"{"enablePerformanceInsights": true, "performanceInsightsKmsKeyId": "alias/aws/rds"}"#, .violation, "the AWS-managed key"),
                     example(rdsInstance, #"{"performanceInsightsEnabled": false}"#, .notApplicable),
                 ],
                 equivalents: compliance("aws-rds-instance-disallow-unencrypted-performance-insights",
                                         "aws-rds-clusterinstance-disallow-unencrypted-performance-insights",
                                         "awsnative-rds-dbinstance-disallow-unencrypted-performance-insights")),
        types: [rdsInstance, rdsClusterInstance, nativeDBInstance]
    ) { db, _ in
        guard try performanceInsightsEnabled(db) else { return .notApplicable("Performance Insights is off") }
        return .check(KMSKeyReference.isCustomerManaged(try db.string("performanceInsightsKmsKeyId")),
                      "Database \(db.name) encrypts Performance Insights with the AWS-managed key, not a customer-managed one.")
    }

    static let rdsStorageCustomerKey = SwiftResourcePolicy(
        baseline("rds-storage-customer-managed-key", "RDS instances and clusters encrypt storage with a customer-managed KMS key.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: """
                 Encrypted storage without `kmsKeyId` uses the AWS-managed `aws/rds` key, which every principal allowed to use RDS \
                 in the account can use, and which cannot be shared to copy snapshots across accounts. A customer-managed key puts \
                 data, snapshots and replicas under your key policy. Opt-in; an `alias/aws/...` key does not count. Read replicas \
                 without `kmsKeyId` take their source's key and are not applicable, nor are aws-native instances of an Aurora cluster \
                 (the cluster holds the storage).
                 """,
                 remediation: "Set `storageEncrypted: true` and `kmsKeyId` to a customer-managed key ARN; the key is chosen at creation — restore a snapshot copy re-encrypted with the key to change it.",
                 examples: [
                     example(rdsInstance, #"{"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:us-west-2:123456789012:key/k"}"#, .pass),
                     example(rdsCluster, #"{"storageEncrypted": true, "kmsKeyId": ""}"#, .violation),
                     example(nativeDBCluster, #"{"storageEncrypted": true}"#, .violation),
                     example(nativeDBInstance, #"{"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:us-west-2:123456789012:alias/aws/rds"}"#, .violation, "the AWS-managed key"),
                     example(rdsInstance, #"{"replicateSourceDb": "primary"}"#, .notApplicable),
                     example(nativeDBInstance, #"{"dbClusterIdentifier": "aurora-1"}"#, .notApplicable),
                 ],
                 equivalents: compliance("aws-rds-instance-configure-customer-managed-key", "aws-rds-cluster-configure-customer-managed-key",
                                         "awsnative-rds-dbinstance-configure-customer-managed-key", "awsnative-rds-dbcluster-configure-customer-managed-key")),
        types: [rdsInstance, rdsCluster, nativeDBInstance, nativeDBCluster]
    ) { db, _ in
        let key = try db.string("kmsKeyId")
        if key == nil || key?.isEmpty == true {
            if db.type == rdsInstance, try db.truthy("replicateSourceDb") { return .notApplicable("read replica: takes the source's key") }
            if db.type == nativeDBInstance, try db.truthy("sourceDbInstanceIdentifier") { return .notApplicable("read replica: takes the source's key") }
            if db.type == nativeDBInstance, try db.truthy("dbClusterIdentifier") { return .notApplicable("member of a cluster, which holds the storage") }
        }
        return .check(KMSKeyReference.isCustomerManaged(key), "Database \(db.name) does not encrypt its storage with a customer-managed KMS key.")
    }
}
