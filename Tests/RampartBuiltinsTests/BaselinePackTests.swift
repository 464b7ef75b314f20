import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

@Suite struct BaselinePackTests {
    func pack(_ name: String) throws -> PolicyPack { try #require(BuiltinPacks.named(name)) }

    @Test func packsShipAtLeastTheAgreedNumberOfPolicies() throws {
        #expect(try pack("azure").policies.count >= 20)
        #expect(try pack("gcp").policies.count >= 20)
        #expect(try pack("kubernetes").policies.count >= 25)
        for name in ["azure", "gcp", "kubernetes"] {
            let p = try pack(name)
            #expect(p.origin == "builtin:\(name)")
            #expect(p.enforcementLevel == .advisory)
            #expect(p.policies.allSatisfy { $0.descriptor.name.hasPrefix(name + "-") }, "\(name) policy names carry the pack prefix")
        }
    }

    /// azure-native resources appear under the default module and under API-version modules; a policy that names
    /// one must match both.
    @Test func everyAzureNativeTypeIsMatchedWithAndWithoutAPIVersion() throws {
        for policy in try pack("azure").policies.compactMap({ $0 as? any ResourcePolicy }) {
            for token in policy.types.exact where token.hasPrefix("azure-native:") {
                let parts = token.split(separator: ":")
                let versioned = "azure-native:\(parts[1])/v20240101preview:\(parts[2])"
                #expect(policy.types.matches(versioned), "\(policy.descriptor.name) misses \(versioned)")
            }
        }
    }

    @Test func kubernetesWorkloadPoliciesCoverEveryWorkloadKindButNotPatches() throws {
        let kinds = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet",
                     "kubernetes:apps/v1:ReplicaSet", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob", "kubernetes:core/v1:Pod",
                     "kubernetes:extensions/v1beta1:Deployment"]
        let policy = try #require(try pack("kubernetes").policy(named: "kubernetes-no-privileged-containers") as? any ResourcePolicy)
        for kind in kinds { #expect(policy.types.matches(kind), "\(kind)") }
        #expect(!policy.types.matches("kubernetes:apps/v1:DeploymentPatch"))
        #expect(!policy.types.matches("kubernetes:apps/v1:DeploymentList"))
    }

    /// Children of `kubernetes:yaml:ConfigFile` and Helm `Chart` components are ordinary resources: they are
    /// checked like top-level ones.
    @Test func configFileAndChartChildrenAreChecked() throws {
        let policy = try #require(try pack("kubernetes").policy(named: "kubernetes-no-privileged-containers") as? any ResourcePolicy)
        for component in ["kubernetes:yaml:ConfigFile", "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart"] {
            let example = PolicyExample(resources: [
                ExampleResource("ingress-nginx-controller", type: "kubernetes:apps/v1:Deployment",
                                properties: #"{"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i:1", "securityContext": {"privileged": true}}]}}}}"#),
                ExampleResource("chart", type: component, properties: "{}"),
            ], expect: .violation)
            var stack = try PolicyExampleRunner.makeStack(example)
            var resources = stack.graph.resources
            resources[0].parent = resources[1].urn.rawValue
            stack.graph = ResourceGraph(resources: resources)
            #expect(stack.graph.parent(of: 0) == 1)
            let outcome = try policy.evaluate(ResourceContext(stack: stack, index: 0), config: PolicyConfig())
            #expect(outcome.kind == .violation, "child of \(component)")
        }
    }
}
