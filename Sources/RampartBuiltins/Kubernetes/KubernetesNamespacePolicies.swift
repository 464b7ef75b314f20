import RampartModel
import RampartPolicy

/// `kubernetes-namespace-network-policy`: every namespace that runs workloads has at least one NetworkPolicy.
///
/// Namespaces are matched by name, and by the Namespace resource when the name is not known yet (an auto-named
/// namespace in a preview): a workload and a NetworkPolicy whose `metadata` both depend on the same Namespace
/// resource are in the same namespace.
enum NamespaceNetworkPolicies {
    enum Key: Hashable, Comparable {
        case name(String)
        /// A Namespace resource (by URN) whose name is not known.
        case resource(String)
    }

    /// The namespace `resource` lives in; nil when it cannot be known.
    static func namespace(of resource: ResourceContext) -> Key? {
        if resource.type == KubernetesTypes.namespace {
            let name = resource.props.at("metadata.name")
            return name.string.map(Key.name) ?? (name.isOpaque ? .resource(resource.urn.rawValue) : nil)
        }
        let value = resource.props.at("metadata.namespace")
        if let name = value.string { return .name(name.isEmpty ? "default" : name) }
        let owners = resource.dependencies(ofProperty: "metadata").filter { $0.type == KubernetesTypes.namespace }
        if owners.count == 1, let key = namespace(of: owners[0]) { return key }
        return value.isAbsent ? .name("default") : nil
    }

    static let workloadTypes = TypeSelector(KubernetesTypes.workloads)
    static let policyTypes = TypeSelector(KubernetesTypes.networkPolicies)

    static let policy = SwiftStackPolicy(
        Baseline.descriptor("kubernetes-namespace-network-policy", "Every namespace that runs workloads has a NetworkPolicy.", .medium,
            rationale: "Pods in a namespace without any NetworkPolicy accept traffic from every pod in the cluster, so one compromised pod reaches them all.",
            remediation: "Add a `kubernetes:networking.k8s.io/v1:NetworkPolicy` to the namespace — at least a default-deny ingress policy plus the allows the application needs.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.3.2"), BaselineFrameworks.nsaKubernetes("Network separation and hardening: network policies"), nist("SC-7")],
            examples: [
                Baseline.joined(.pass, nil,
                    ExampleResource("web", type: KubeExample.deploymentType, properties: KubeExample.deployment(KubeExample.container())),
                    ExampleResource("deny-all", type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                                    properties: #"{"metadata": {"namespace": "apps"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"#)),
                Baseline.joined(.violation, "the policy is in another namespace",
                    ExampleResource("apps", type: KubernetesTypes.namespace, properties: #"{"metadata": {"name": "apps"}}"#),
                    ExampleResource("web", type: KubeExample.deploymentType, properties: KubeExample.deployment(KubeExample.container())),
                    ExampleResource("deny-all", type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                                    properties: #"{"metadata": {"namespace": "other"}, "spec": {"podSelector": {}}}"#)),
                Baseline.joined(.pass, "preview: the namespace name is unknown; both depend on the same Namespace resource",
                    ExampleResource("ns", type: KubernetesTypes.namespace, properties: #"{"metadata": {"name": \#(Baseline.unknown)}}"#),
                    ExampleResource("web", type: KubeExample.deploymentType,
                                    properties: #"{"metadata": {"namespace": \#(Baseline.unknown)}, "spec": {"template": {"spec": {"containers": []}}}}"#,
                                    propertyDependencies: ["metadata": ["ns"]]),
                    ExampleResource("deny-all", type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                                    properties: #"{"metadata": {"namespace": \#(Baseline.unknown)}, "spec": {"podSelector": {}}}"#,
                                    propertyDependencies: ["metadata": ["ns"]])),
                Baseline.joined(.indeterminate, "preview: a NetworkPolicy whose namespace is not known",
                    ExampleResource("web", type: KubeExample.deploymentType, properties: KubeExample.deployment(KubeExample.container())),
                    ExampleResource("deny-all", type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
                                    properties: #"{"metadata": {"namespace": \#(Baseline.unknown)}, "spec": {"podSelector": {}}}"#)),
                Baseline.joined(.pass, "system namespaces are left to the cluster's operators",
                    ExampleResource("dns", type: KubeExample.deploymentType, properties: KubeExample.deployment(KubeExample.container(), namespace: "kube-system"))),
            ]).declaring(servicesOf: KubernetesTypes.workloads + KubernetesTypes.networkPolicies)
    ) { stack, _ in
        let workloads = stack.resources(matching: workloadTypes)
        guard !workloads.isEmpty else { return .stackLevel(.notApplicable("the stack deploys no workloads")) }
        let policies = stack.resources(matching: policyTypes)
        let covered = Set(policies.compactMap(namespace(of:)))
        let someUnknown = policies.contains { namespace(of: $0) == nil }
        var namespaceResources: [Key: Int] = [:]
        // A namespace the stack only reads (`Namespace.get`, external) is not the stack's to fix or exempt: the
        // finding then goes to the namespace's first workload.
        for ns in stack.resources(matching: TypeSelector([KubernetesTypes.namespace])) where !ns.resource.external {
            if let key = namespace(of: ns) { namespaceResources[key] = namespaceResources[key] ?? ns.index }
        }
        var result = StackEvaluation()
        var byNamespace: [Key: [ResourceContext]] = [:]
        for workload in workloads {
            guard let key = namespace(of: workload) else {
                result.add(.indeterminate("the namespace of \(workload.name) is not known until deployment"), resource: workload.index)
                continue
            }
            if case .name(let name) = key, KubernetesTypes.systemNamespaces.contains(name) { continue }
            byNamespace[key, default: []].append(workload)
        }
        for (key, members) in byNamespace.sorted(by: { $0.key < $1.key }) {
            let subject = namespaceResources[key] ?? members[0].index
            let label: String
            switch key { case .name(let name): label = name; case .resource(let urn): label = URN(urn)?.name ?? urn }
            if covered.contains(key) {
                result.add(.pass, resource: subject)
            } else if someUnknown {
                result.add(.indeterminate("a NetworkPolicy's namespace is not known until deployment"), resource: subject)
            } else {
                result.add(.violation(Violation("Namespace \(label) runs \(members.map(\.name).joined(separator: ", ")) but has no NetworkPolicy.",
                                                detailKey: label)), resource: subject)
            }
        }
        return result.entries.isEmpty ? .pass : result
    }
}
