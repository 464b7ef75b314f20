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

    func outcome(_ pack: String, _ policy: String, type: String, properties: String, preview: Bool = false) throws -> Outcome {
        let policy = try #require(try self.pack(pack).policy(named: policy) as? any ResourcePolicy)
        let stack = try PolicyExampleRunner.makeStack(PolicyExample(type: type, properties: properties, expect: .pass, preview: preview))
        return try policy.evaluate(ResourceContext(stack: stack, index: 0), config: policy.descriptor.configSchema.defaults)
    }

    /// A container's missing CPU and memory limits are named in its message: one, the other, both, or none.
    @Test(arguments: [
        (#"{"cpu": "1"}"#, "sets no limits for memory"),
        (#"{"memory": "1Gi"}"#, "sets no limits for cpu"),
        ("{}", "sets no limits for cpu and memory"),
        (#"{"cpu": "1", "memory": "1Gi"}"#, nil),
    ])
    func containerLimitsNameWhatIsMissing(_ limits: String, _ problem: String?) throws {
        let properties = #"{"metadata": {"name": "web"}, "spec": {"template": {"spec": {"containers": [{"name": "app", "image": "app:1", "resources": {"limits": "# + limits + "}}]}}}}"
        let result = try outcome("kubernetes", "kubernetes-resource-limits", type: "kubernetes:apps/v1:Deployment", properties: properties)
        if let problem {
            guard case .violation(let violation) = result else { Issue.record("expected a violation, got \(result)"); return }
            #expect(violation.message.hasSuffix("container app: " + problem))
        } else {
            #expect(result.kind == .pass)
        }
    }

    /// An inline rule's CIDRs may be one string or a list of them. A rule with an unknown CIDR leaves the group
    /// undecided (it once passed: the reason was lost), unless another rule of it is open for certain.
    @Test func ingressCIDRsAreReadFromAStringOrAListAndAnUnknownOneIsUndecided() throws {
        func ssh(_ cidrs: String, preview: Bool = false) throws -> Outcome {
            try outcome("aws", "security-group-no-public-ssh", type: "aws:ec2/securityGroup:SecurityGroup",
                        properties: #"{"ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": "# + cidrs + "}]}", preview: preview)
        }
        #expect(try ssh(#"["10.0.0.0/8", "0.0.0.0/0"]"#).kind == .violation)
        #expect(try ssh(#""0.0.0.0/0""#).kind == .violation)
        #expect(try ssh(#"["10.0.0.0/8"]"#).kind == .pass)
        let undecided = try ssh(#"["10.0.0.0/8", "\#(PulumiSignature.unknown)"]"#, preview: true)
        guard case .indeterminate(let reason) = undecided else { Issue.record("expected indeterminate, got \(undecided)"); return }
        #expect(reason.contains("inline ingress #0.cidrBlocks is not known"))
        let definite = try outcome("aws", "security-group-no-public-ssh", type: "aws:ec2/securityGroup:SecurityGroup", properties: #"""
            {"ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["\#(PulumiSignature.unknown)"]},
                         {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}]}
            """#, preview: true)
        #expect(definite.kind == .violation)
    }
}
