import RampartPolicy

extension AWSGuard {
    static var redshiftPolicies: [any Policy] { [redshiftConfiguration, redshiftMaintenance, redshiftPublicAccess] }

    static let redshift = "aws:redshift/cluster:Cluster"

    /// A cluster and an AWS provider of the given version, for examples of version-dependent defaults.
    static func redshiftExample(_ properties: String, provider version: String, _ expectation: PolicyExample.Expectation,
                                _ note: String) -> PolicyExample {
        PolicyExample(resources: [
            ExampleResource("cluster", type: redshift, properties: properties, provider: "aws"),
            ExampleResource("aws", type: "pulumi:providers:aws", properties: #"{"version": "\#(version)"}"#),
        ], expect: expectation, note: note)
    }

    /// Provider v7 changed two defaults: clusters are encrypted and not publicly accessible unless told otherwise.
    static func isV7OrLater(_ cluster: ResourceContext) -> Bool { (AWSProvider.major(of: cluster) ?? 0) >= 7 }

    static let redshiftConfiguration = SwiftResourcePolicy(
        awsguard("redshift-cluster-configuration", "Redshift clusters have the required encryption, node types and audit logging.",
                 severity: .high,
                 rationale: "An unencrypted warehouse exposes its data in snapshots; without audit logging, queries against it leave no trace.",
                 remediation: "Set `encrypted: true`, a permitted `nodeType`, and enable logging (`logging.enable: true`, or an `aws:redshift/logging:Logging` resource with provider v7).",
                 schema: ConfigSchema(properties: [
                     "clusterDbEncrypted": ConfigProperty(type: .boolean, description: "Require (true) or forbid (false) encryption.", default: .bool(true)),
                     "loggingEnabled": ConfigProperty(type: .boolean, description: "Require (true) or forbid (false) audit logging.", default: .bool(true)),
                     "nodeTypes": ConfigProperty(type: .array(items: .string), description: "Permitted node types; empty permits any.", default: .array([])),
                 ]),
                 examples: [
                     example(redshift, #"{"encrypted": true, "nodeType": "ra3.xlplus", "logging": {"enable": true}}"#, .pass),
                     example(redshift, #"{"encrypted": false, "logging": {"enable": true}}"#, .violation),
                     example(redshift, #"{"encrypted": true}"#, .violation, "no logging"),
                     example(redshift, #"{"encrypted": true, "nodeType": "dc2.large", "logging": {"enable": true}}"#, .violation,
                             config: ["nodeTypes": .array([.string("ra3.xlplus")])]),
                     PolicyExample(resources: [
                         ExampleResource("cluster", type: redshift, properties: #"{"clusterIdentifier": "wh"}"#, provider: "aws"),
                         ExampleResource("aws", type: "pulumi:providers:aws", properties: #"{"version": "7.2.0"}"#),
                         ExampleResource("audit", type: "aws:redshift/logging:Logging",
                                         properties: #"{"clusterIdentifier": "wh", "logDestinationType": "cloudwatch"}"#,
                                         propertyDependencies: ["clusterIdentifier": ["cluster"]]),
                     ], expect: .pass, note: "provider v7: encrypted by default, logging as its own resource"),
                 ]),
        types: [redshift]
    ) { cluster, config in
        var messages: [String] = []
        let encrypted = try cluster.bool("encrypted") ?? isV7OrLater(cluster)
        let wantEncrypted = config.bool("clusterDbEncrypted") ?? true
        if wantEncrypted && !encrypted { messages.append("Redshift cluster must be encrypted.") }
        if !wantEncrypted && encrypted { messages.append("Redshift cluster must not be encrypted.") }

        let nodeTypes = config.strings("nodeTypes") ?? []
        if !nodeTypes.isEmpty, let nodeType = try cluster.string("nodeType"), !nodeTypes.contains(nodeType) {
            messages.append("Redshift cluster node type must be one of the following: \(nodeTypes.joined(separator: ","))")
        }

        let inlineLogging = try cluster.truthy("logging.enable")
        let loggingResource = cluster.dependents.contains { $0.type == "aws:redshift/logging:Logging" }
        let logging = inlineLogging || loggingResource
        let wantLogging = config.bool("loggingEnabled") ?? true
        if wantLogging && !logging { messages.append("Redshift cluster must have logging enabled.") }
        if !wantLogging && logging { messages.append("Redshift cluster must not have logging enabled.") }
        return .violations(messages)
    }

    static let redshiftMaintenance = SwiftResourcePolicy(
        awsguard("redshift-cluster-maintenance-settings", "Redshift clusters have the required maintenance settings.", severity: .low,
                 rationale: "Version upgrades carry security fixes; a fixed window and snapshot retention keep maintenance predictable and recoverable.",
                 remediation: "Set `allowVersionUpgrade`, `preferredMaintenanceWindow` and `automatedSnapshotRetentionPeriod` as configured.",
                 schema: ConfigSchema(properties: [
                     "allowVersionUpgrade": ConfigProperty(type: .boolean, description: "Require (true) or forbid (false) version upgrades.", default: .bool(true)),
                     "preferredMaintenanceWindow": ConfigProperty(type: .string, description: "Required window, e.g. Mon:09:30-Mon:10:00."),
                     "automatedSnapshotRetentionPeriod": ConfigProperty(type: .integer, description: "Required snapshot retention in days.", minimum: 0),
                 ]),
                 examples: [
                     example(redshift, #"{"allowVersionUpgrade": true}"#, .pass),
                     example(redshift, #"{}"#, .pass, "absent means upgrades allowed"),
                     example(redshift, #"{"allowVersionUpgrade": false}"#, .violation),
                     example(redshift, #"{"automatedSnapshotRetentionPeriod": 1}"#, .violation, config: ["automatedSnapshotRetentionPeriod": .number(7)]),
                     example(redshift, #"{"preferredMaintenanceWindow": "Mon:09:30-Mon:10:00"}"#, .pass,
                             config: ["preferredMaintenanceWindow": .string("Mon:09:30-Mon:10:00")]),
                 ]),
        types: [redshift]
    ) { cluster, config in
        var messages: [String] = []
        let upgrades = try cluster.bool("allowVersionUpgrade") ?? true
        let wantUpgrades = config.bool("allowVersionUpgrade") ?? true
        if wantUpgrades && !upgrades { messages.append("Redshift cluster must allow version upgrades.") }
        if !wantUpgrades && upgrades { messages.append("Redshift cluster must not allow version upgrades.") }
        if let window = config.string("preferredMaintenanceWindow"), try cluster.string("preferredMaintenanceWindow") != window {
            messages.append("Redshift cluster must specify the preferred maintenance window: \(window).")
        }
        // AWS keeps automated snapshots for 1 day when the period is not set.
        if let period = config.number("automatedSnapshotRetentionPeriod"), (try cluster.number("automatedSnapshotRetentionPeriod") ?? 1) != period {
            messages.append("Redshift cluster must specify an automated snapshot retention period of \(period.clampedInt).")
        }
        return .violations(messages)
    }

    static let redshiftPublicAccess = SwiftResourcePolicy(
        awsguard("redshift-cluster-public-access", "Redshift clusters are not publicly accessible.", severity: .critical,
                 frameworks: [nist("SC-7")],
                 rationale: "A publicly accessible cluster has a public endpoint; one security-group mistake exposes the warehouse.",
                 remediation: "Set `publiclyAccessible: false`.",
                 examples: [
                     example(redshift, #"{"publiclyAccessible": false}"#, .pass),
                     example(redshift, #"{"publiclyAccessible": true}"#, .violation),
                     example(redshift, #"{}"#, .violation, "before provider v7 the default is public"),
                     redshiftExample(#"{}"#, provider: "7.0.0", .pass, "provider v7 defaults to not public"),
                 ]),
        types: [redshift]
    ) { cluster, _ in
        let isPublic = try cluster.bool("publiclyAccessible") ?? !isV7OrLater(cluster)
        return .check(!isPublic, "Redshift cluster must not be publicly accessible.")
    }
}
