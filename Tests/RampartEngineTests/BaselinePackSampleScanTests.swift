import Foundation
import Rampart
import RampartPolicy
import Testing

/// Scans every state sample (Tests/RampartInputsTests/Fixtures/samples/state, exports and DIY checkpoints) with
/// `builtin:azure`, `builtin:gcp` and `builtin:kubernetes`. Each finding below was checked by hand against the
/// sample; the review is recorded in docs/review/azure-gcp-kubernetes.md.
@Suite struct BaselinePackSampleScanTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RampartInputsTests/Fixtures/samples/state").path

    func scan() throws -> ScanReport {
        try Pipeline().run(.inputs([Self.samples + "/export", Self.samples + "/diy"]),
                           options: RunOptions(packs: ["builtin:azure", "builtin:gcp", "builtin:kubernetes"], failOn: .none, jobs: 2,
                                               today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")).report
    }

    @Test func findsExactlyTheViolationsReviewedByHand() throws {
        let report = try scan()
        let found = report.findings.map { "\($0.policy) \($0.resource?.name ?? "-")" }.sorted()
        let kloudlib = ["database-deployment", "my-app-deployment"]
        var expected = [
            // azure-aks-cluster: Entra ID integration null, networkPolicy "", public API server without ranges.
            "azure-aks-entra-id-integration exampleKubernetesCluster", "azure-aks-network-policy exampleKubernetesCluster",
            "azure-aks-private-api-server exampleKubernetesCluster",
            // azure-sql-random-password: legacy SqlServer with no AD admin or auditing in the stack; the account
            // allows nested public items, has no network rules and no infrastructure encryption.
            "azure-sql-server-ad-admin examplesql", "azure-sql-server-auditing examplesql",
            "azure-storage-infrastructure-encryption exampleAccount", "azure-storage-network-default-deny exampleAccount",
            "azure-storage-no-public-blob-access exampleAccount",
            // gcp-sql-user-password: MySQL 8 instance with public IP, requireSsl false, backups disabled.
            "gcp-sql-automated-backups instance", "gcp-sql-no-public-ip instance", "gcp-sql-require-ssl instance",
            // kloudlib: ingress without TLS; services in default.
            "kubernetes-ingress-tls my-app-ingress",
            "kubernetes-no-default-namespace database-service", "kubernetes-no-default-namespace my-app-service",
            "kubernetes-no-default-namespace my-app-ingress",
            // kloudlib: the default namespace has no NetworkPolicy (reported on its first workload), and so has eks's.
            "kubernetes-namespace-network-policy database-deployment", "kubernetes-namespace-network-policy nginx",
            // kloudlib: `my-app` is an untagged local image pulled IfNotPresent; postgres:10-alpine too is IfNotPresent.
            "kubernetes-image-tag-pinned my-app-deployment", "kubernetes-image-tag-pinned nginx",
            "kubernetes-image-pull-policy-always my-app-deployment", "kubernetes-image-pull-policy-always database-deployment",
            // kloudlib: DB_PASSWORD / POSTGRES_PASSWORD are literal env values.
            "kubernetes-no-secret-literals-in-env my-app-deployment", "kubernetes-no-secret-literals-in-env database-deployment",
            // One replica each (kloudlib's two, eks's nginx); no autoscaler in either stack.
            "kubernetes-minimum-replicas database-deployment", "kubernetes-minimum-replicas my-app-deployment", "kubernetes-minimum-replicas nginx",
            // kloudlib labels its objects `name` and `app.kubernetes.io/managed-by` only; eks's nginx has no labels.
            "kubernetes-recommended-labels database-deployment", "kubernetes-recommended-labels database-service",
            "kubernetes-recommended-labels my-app-deployment", "kubernetes-recommended-labels my-app-service", "kubernetes-recommended-labels nginx",
        ]
        // Every workload in the samples runs with the defaults: no security context, probes or resources.
        let defaults = ["kubernetes-drop-all-capabilities", "kubernetes-liveness-probe", "kubernetes-no-default-namespace",
                        "kubernetes-no-privilege-escalation", "kubernetes-no-service-account-token-automount",
                        "kubernetes-read-only-root-filesystem", "kubernetes-readiness-probe", "kubernetes-resource-limits",
                        "kubernetes-resource-requests", "kubernetes-run-as-non-root", "kubernetes-seccomp-profile"]
        for policy in defaults { expected += (kloudlib + ["nginx"]).map { "\(policy) \($0)" } }
        #expect(found == expected.sorted())
        #expect(report.findings.allSatisfy { $0.outcome == .violation })
    }

    @Test func noPolicyErrsOrIsIndeterminateOnDeployedState() throws {
        let report = try scan()
        for pack in report.packs {
            for policy in pack.policies {
                #expect(policy.counts.error == 0, "\(pack.name)/\(policy.name) erred")
                #expect(policy.counts.indeterminate == 0, "\(pack.name)/\(policy.name) was indeterminate on deployed state")
            }
        }
        // The samples hold no NSG, firewall rule open to the world, or RBAC objects: those policies pass or do not apply.
        let gcp = try #require(report.packs.first { $0.name == "gcp" })
        #expect(gcp.policies.first { $0.name == "gcp-firewall-no-internet-admin-ports" }?.counts.pass == 1)
        #expect(gcp.policies.first { $0.name == "gcp-iam-no-primitive-roles" }?.counts.pass == 1)
    }
}
