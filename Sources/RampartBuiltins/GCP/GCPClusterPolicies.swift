import RampartModel
import RampartPolicy

extension GCPBaseline {
    static var clusterPolicies: [any Policy] {
        [gkePrivateNodes, gkeLegacyABAC, gkeNetworkPolicy, gkeWorkloadIdentity, gkeShieldedNodes, gkeMasterAuthorizedNetworks, gkeReleaseChannel]
    }

    /// A GKE cluster policy: one boolean verdict over the cluster, with examples.
    static func gke(_ name: String, _ description: String, _ severity: Severity, rationale: String, remediation: String,
                    control: String, pass: String, fail: String, _ message: String,
                    _ check: @escaping @Sendable (ResourceContext) throws -> Bool) -> SwiftResourcePolicy {
        SwiftResourcePolicy(
            Baseline.descriptor(name, description, severity, rationale: rationale, remediation: remediation,
                                frameworks: [BaselineFrameworks.cisGKE(control)],
                                examples: [Baseline.ex(GCPTypes.cluster, pass, .pass), Baseline.ex(GCPTypes.cluster, fail, .violation)]),
            types: [GCPTypes.cluster]
        ) { cluster, _ in .check(try check(cluster), "GKE cluster \(cluster.name) \(message).") }
    }

    static let gkePrivateNodes = gke("gcp-gke-private-nodes", "GKE nodes have private addresses only.", .high,
        rationale: "Nodes with public addresses are reachable from the internet wherever firewall rules allow.",
        remediation: "Set `privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock }`.",
        control: "5.6.5", pass: #"{"privateClusterConfig": {"enablePrivateNodes": true}}"#, fail: #"{"privateClusterConfig": null}"#,
        "has nodes with public IP addresses") { try $0.bool("privateClusterConfig.enablePrivateNodes") == true }

    static let gkeLegacyABAC = gke("gcp-gke-legacy-abac-disabled", "GKE clusters do not use legacy ABAC authorization.", .high,
        rationale: "Legacy ABAC grants broad static permissions that bypass Kubernetes RBAC.",
        remediation: "Set `enableLegacyAbac: false` (the default).",
        control: "5.8.4", pass: #"{"enableLegacyAbac": false}"#, fail: #"{"enableLegacyAbac": true}"#,
        "enables legacy ABAC authorization") { try $0.bool("enableLegacyAbac") != true }

    static let gkeNetworkPolicy = gke("gcp-gke-network-policy", "GKE clusters enforce Kubernetes network policies.", .medium,
        rationale: "Without enforcement NetworkPolicy objects are ignored and every pod can reach every other pod.",
        remediation: "Set `networkPolicy: { enabled: true }` with the network policy addon, or `datapathProvider: \"ADVANCED_DATAPATH\"` (Dataplane V2).",
        control: "5.6.7", pass: #"{"datapathProvider": "ADVANCED_DATAPATH"}"#, fail: #"{"networkPolicy": {"enabled": false}}"#,
        "does not enforce network policies") { cluster in
            try cluster.string("datapathProvider") == "ADVANCED_DATAPATH" || cluster.bool("networkPolicy.enabled") == true
        }

    static let gkeWorkloadIdentity = gke("gcp-gke-workload-identity", "GKE clusters use Workload Identity.", .medium,
        rationale: "Without Workload Identity, pods use the node's service account and can read the node metadata server's credentials.",
        remediation: "Set `workloadIdentityConfig: { workloadPool: \"<project>.svc.id.goog\" }`.",
        control: "5.2.2", pass: #"{"workloadIdentityConfig": {"workloadPool": "p.svc.id.goog"}}"#, fail: #"{"workloadIdentityConfig": null}"#,
        "does not use Workload Identity") { !(try $0.string("workloadIdentityConfig.workloadPool") ?? "").isEmpty }

    static let gkeShieldedNodes = gke("gcp-gke-shielded-nodes", "GKE clusters use Shielded GKE nodes.", .medium,
        rationale: "Shielded nodes give verifiable node identity and integrity, blocking node impersonation by a compromised pod.",
        remediation: "Leave `enableShieldedNodes` true (the default).",
        control: "5.5.5", pass: #"{}"#, fail: #"{"enableShieldedNodes": false}"#,
        "turns Shielded GKE nodes off") { try $0.bool("enableShieldedNodes") != false }

    static let gkeMasterAuthorizedNetworks = gke("gcp-gke-master-authorized-networks", "GKE control planes are limited to authorized networks.", .high,
        rationale: "Without authorized networks the Kubernetes API is reachable from any address.",
        remediation: "Set `masterAuthorizedNetworksConfig: { cidrBlocks: [...] }`, or make the endpoint private.",
        control: "5.6.3", pass: #"{"masterAuthorizedNetworksConfig": {"cidrBlocks": [{"cidrBlock": "10.0.0.0/8"}]}}"#,
        fail: #"{"masterAuthorizedNetworksConfig": null}"#,
        "accepts control-plane connections from any address") { cluster in
            if try cluster.bool("privateClusterConfig.enablePrivateEndpoint") == true { return true }
            return try !cluster.value("masterAuthorizedNetworksConfig").isAbsent
        }

    static let gkeReleaseChannel = gke("gcp-gke-release-channel", "GKE clusters are enrolled in a release channel.", .low,
        rationale: "Release channels keep control plane and nodes on supported, patched versions automatically.",
        remediation: "Set `releaseChannel: { channel: \"REGULAR\" }` (or `STABLE` / `RAPID`).",
        control: "5.5.4", pass: #"{"releaseChannel": {"channel": "REGULAR"}}"#, fail: #"{"releaseChannel": {"channel": "UNSPECIFIED"}}"#,
        "is not enrolled in a release channel") { cluster in
            let channel = try cluster.string("releaseChannel.channel") ?? ""
            return !channel.isEmpty && channel != "UNSPECIFIED"
        }
}
