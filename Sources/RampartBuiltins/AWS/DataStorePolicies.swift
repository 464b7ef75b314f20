import RampartPolicy

extension AWSBaseline {
    static let dynamoTable = "aws:dynamodb/table:Table"
    static let nativeDynamoTable = "aws-native:dynamodb:Table"
    static let replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
    static let nativeReplicationGroup = "aws-native:elasticache:ReplicationGroup"

    static let dynamoPITR = SwiftResourcePolicy(
        baseline("dynamodb-point-in-time-recovery", "DynamoDB tables have point-in-time recovery.", severity: .medium,
                 frameworks: [nist("CP-9")],
                 rationale: "Point-in-time recovery restores a table to any second of the last 35 days after a bad write or delete.",
                 remediation: "Set `pointInTimeRecovery: { enabled: true }` (aws-native: `pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled`).",
                 examples: [
                     example(dynamoTable, #"{"pointInTimeRecovery": {"enabled": true}}"#, .pass),
                     example(dynamoTable, #"{"pointInTimeRecovery": {"enabled": false}}"#, .violation),
                     example(nativeDynamoTable, #"{"pointInTimeRecoverySpecification": {"pointInTimeRecoveryEnabled": true}}"#, .pass),
                     example(nativeDynamoTable, #"{}"#, .violation),
                 ]),
        types: [dynamoTable, nativeDynamoTable]
    ) { table, _ in
        let path = table.type == nativeDynamoTable ? "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled" : "pointInTimeRecovery.enabled"
        return .check(try table.bool(path) == true, "DynamoDB table \(table.name) has no point-in-time recovery.")
    }

    static let dynamoCMK = SwiftResourcePolicy(
        baseline("dynamodb-encrypted-with-kms", "DynamoDB tables encrypt with a KMS key rather than the AWS-owned key.", severity: .low, frameworks: [nist("SC-28")], level: .disabled,
                 rationale: "With a KMS key, access to table data is also governed by the key policy and each use is logged. Opt-in.",
                 remediation: "Set `serverSideEncryption: { enabled: true, kmsKeyArn }` (aws-native: `sseSpecification.sseEnabled`).",
                 examples: [
                     example(dynamoTable, #"{"serverSideEncryption": {"enabled": true}}"#, .pass, "AWS-managed KMS key"),
                     example(dynamoTable, #"{}"#, .violation, "AWS-owned key"),
                     example(nativeDynamoTable, #"{"sseSpecification": {"sseEnabled": true}}"#, .pass),
                 ]),
        types: [dynamoTable, nativeDynamoTable]
    ) { table, _ in
        let path = table.type == nativeDynamoTable ? "sseSpecification.sseEnabled" : "serverSideEncryption.enabled"
        return .check(try table.bool(path) == true, "DynamoDB table \(table.name) uses the AWS-owned key.")
    }

    static let elasticacheAtRest = SwiftResourcePolicy(
        baseline("elasticache-encrypted-at-rest", "ElastiCache replication groups encrypt data at rest.", severity: .high,
                 frameworks: [nist("SC-28")],
                 rationale: "Cache nodes swap and snapshot data to disk; without encryption at rest it sits there in clear.",
                 remediation: "Set `atRestEncryptionEnabled: true`; it can only be set when the group is created.",
                 examples: [
                     example(replicationGroup, #"{"atRestEncryptionEnabled": "true"}"#, .pass, "string boolean in provider v5/v6"),
                     example(replicationGroup, #"{"atRestEncryptionEnabled": false}"#, .violation),
                     example(nativeReplicationGroup, #"{}"#, .violation),
                 ]),
        types: [replicationGroup, nativeReplicationGroup]
    ) { group, _ in
        .check(try group.bool("atRestEncryptionEnabled") == true, "ElastiCache group \(group.name) does not encrypt at rest.")
    }

    static let elasticacheInTransit = SwiftResourcePolicy(
        baseline("elasticache-encrypted-in-transit", "ElastiCache replication groups encrypt traffic in transit.", severity: .high,
                 frameworks: [nist("SC-8")],
                 rationale: "Without TLS, commands, data and AUTH tokens cross the network in clear.",
                 remediation: "Set `transitEncryptionEnabled: true`.",
                 examples: [
                     example(replicationGroup, #"{"transitEncryptionEnabled": true}"#, .pass),
                     example(replicationGroup, #"{}"#, .violation),
                     example(nativeReplicationGroup, #"{"transitEncryptionEnabled": "false"}"#, .violation),
                 ]),
        types: [replicationGroup, nativeReplicationGroup]
    ) { group, _ in
        .check(try group.bool("transitEncryptionEnabled") == true, "ElastiCache group \(group.name) does not encrypt in transit.")
    }

    static func clusterEncrypted(_ name: String, _ service: String, types: [String]) -> SwiftResourcePolicy {
        SwiftResourcePolicy(
            baseline(name, "\(service) clusters encrypt their storage.", severity: .high,
                     rationale: "Unencrypted cluster storage and snapshots hold the data in clear.",
                     remediation: "Set `storageEncrypted: true` (and `kmsKeyId`); it can only be chosen at creation.",
                     examples: [
                         example(types[0], #"{"storageEncrypted": true}"#, .pass),
                         example(types[0], #"{"storageEncrypted": false}"#, .violation),
                         example(types[1], #"{}"#, .violation),
                     ]),
            types: types
        ) { cluster, _ in
            .check(try cluster.bool("storageEncrypted") == true, "\(service) cluster \(cluster.name) does not encrypt its storage.")
        }
    }

    static let documentDBEncrypted = clusterEncrypted("docdb-cluster-storage-encrypted", "DocumentDB",
                                                      types: ["aws:docdb/cluster:Cluster", "aws-native:docdb:DbCluster"])
    static let neptuneEncrypted = clusterEncrypted("neptune-cluster-storage-encrypted", "Neptune",
                                                   types: ["aws:neptune/cluster:Cluster", "aws-native:neptune:DbCluster"])
}
