import Foundation
import RampartModel
import RampartPolicy

/// Availability and operability: bare Pods, replica counts, PodDisruptionBudgets that block every voluntary
/// eviction, and the recommended `app.kubernetes.io/*` labels.
extension KubernetesBaseline {
    static var availabilityPolicies: [any Policy] { [noBarePods, minimumReplicas, disruptionBudgetAllowsEviction, recommendedLabels] }

    static let pod = "kubernetes:core/v1:Pod"
    static let deployments = ["kubernetes:apps/*:Deployment", "kubernetes:extensions/*:Deployment"]
    static let replicaSets = ["kubernetes:apps/*:ReplicaSet", "kubernetes:extensions/*:ReplicaSet"]
    static let autoscalers = TypeSelector(["kubernetes:autoscaling/*:HorizontalPodAutoscaler"])
    static let disruptionBudgets = ["kubernetes:policy/*:PodDisruptionBudget"]

    static let noBarePods = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-no-bare-pods", "Pods are run by a controller (Deployment, StatefulSet, DaemonSet, Job), not created directly.", .critical,
            rationale: "A Pod created on its own is not rescheduled when its node fails, drains or is upgraded, and cannot be rolled out or rolled back. Pods that name an owner (`metadata.ownerReferences`) and Helm hook Pods (`helm.sh/hook`, run-once chart tests) are not bare.",
            remediation: "Wrap the pod spec in a Deployment (or StatefulSet, DaemonSet, Job) and let the controller create the Pods.",
            frameworks: [],
            examples: [
                Baseline.ex(pod, KubeExample.pod(KubeExample.container()), .violation),
                Baseline.ex(pod, #"{"metadata": {"ownerReferences": [{"kind": "ReplicaSet", "name": "web-5d9c", "uid": "1"}]}, "spec": {"containers": []}}"#, .pass),
                Baseline.ex(pod, #"{"metadata": {"annotations": {"helm.sh/hook": "test"}}, "spec": {"containers": []}}"#, .pass, "Helm chart test hook"),
            ],
            equivalents: compliance("kubernetes-core-v1-pod-disallow-pod")),
        types: [pod]
    ) { pod, _ in
        if try pod.value("metadata.ownerReferences").count ?? 0 > 0 { return .pass }
        if try !pod.value("metadata.annotations")["helm.sh/hook"].isAbsent { return .pass }
        return .violation("Pod \(pod.name) is created directly; no controller replaces it when its node goes away.")
    }

    private static let autoscalersKey = GraphCache.Key<[Int]>("kubernetes-autoscalers")

    /// The HorizontalPodAutoscalers of the stack that scale `workload`: by property dependency of their `spec`
    /// (the target's name is often an output, unknown in a preview), else by kind, name and namespace.
    static func autoscalers(of workload: ResourceContext, kind: String) -> [ResourceContext] {
        let name = workload.props.at("metadata.name").string
        let namespace = workload.props.at("metadata.namespace").string ?? "default"
        // The stack's autoscalers are found once per stack, not once per workload.
        let indexes = workload.stack.graph.cache.value(autoscalersKey) {
            StackContext(stack: workload.stack).resources(matching: autoscalers).map(\.index)
        }
        return indexes.map { ResourceContext(stack: workload.stack, index: $0, evidence: workload.evidence) }.filter { hpa in
            if hpa.dependencies(ofProperty: "spec").contains(where: { $0.index == workload.index }) { return true }
            let target = hpa.props.at("spec.scaleTargetRef")
            return name != nil && target["kind"].string == kind && target["name"].string == name
                && (hpa.props.at("metadata.namespace").string ?? "default") == namespace
        }
    }

    static let minimumReplicas = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-minimum-replicas", "Deployments and ReplicaSets run at least three replicas.", .high,
            rationale: "With one or two replicas, a node failure, a drain or a rolling update leaves the application with no or a single serving Pod; three survive the loss of one while another restarts. `spec.replicas` defaults to 1. When a HorizontalPodAutoscaler in the stack scales the workload (joined by dependency, or by kind, name and namespace), its `minReplicas` (default 1) is what counts, since the autoscaler owns `replicas`.",
            remediation: "Set `spec.replicas` to at least `minimumReplicas` (default 3), or the autoscaler's `spec.minReplicas`; spread the Pods with topology spread constraints or anti-affinity.",
            frameworks: [],
            examples: [
                KubeExample.deploy(#"{"spec": {"replicas": 3, "template": {"spec": {"containers": []}}}}"#, .pass),
                KubeExample.deploy(#"{"spec": {"template": {"spec": {"containers": []}}}}"#, .violation, "replicas defaults to 1"),
                Baseline.ex("kubernetes:apps/v1:ReplicaSet", #"{"spec": {"replicas": 2}}"#, .violation),
                Baseline.ex(KubeExample.deploymentType, #"{"spec": {"replicas": 2}}"#, .pass, nil, config: ["minimumReplicas": .number(2)]),
                KubeExample.deploy(#"{"spec": {"replicas": \#(Baseline.unknown)}}"#, .indeterminate),
                Baseline.joined(.pass, "an autoscaler keeps at least three",
                    ExampleResource("web", type: KubeExample.deploymentType, properties: #"{"metadata": {"name": "web", "namespace": "apps"}, "spec": {"template": {"spec": {"containers": []}}}}"#),
                    ExampleResource("web-hpa", type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                                    properties: #"{"metadata": {"namespace": "apps"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 3, "maxReplicas": 10}}"#)),
                Baseline.joined(.violation, "the autoscaler may scale down to one",
                    ExampleResource("web", type: KubeExample.deploymentType, properties: #"{"metadata": {"name": "web", "namespace": "apps"}, "spec": {"replicas": 3}}"#),
                    ExampleResource("web-hpa", type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
                                    properties: #"{"metadata": {"namespace": "apps"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": \#(Baseline.unknown)}, "maxReplicas": 10}}"#,
                                    propertyDependencies: ["spec": ["web"]])),
            ],
            equivalents: compliance("kubernetes-apps-v1-deployment-configure-minimum-replica-count",
                                    "kubernetes-apps-v1-replicaset-configure-minimum-replica-count"),
            schema: ConfigSchema(properties: [
                "minimumReplicas": ConfigProperty(type: .integer, description: "Fewest replicas (or autoscaler minReplicas) accepted.",
                                                  default: .number(3), minimum: 1),
            ])),
        types: deployments + replicaSets
    ) { workload, config in
        let minimum = config.number("minimumReplicas") ?? 3
        let kind = workload.type.hasSuffix(":Deployment") ? "Deployment" : "ReplicaSet"
        // Counts stay Doubles: a hostile state may hold any number, and converting it to Int could trap.
        func count(_ n: Double) -> String { "\(ConfigValue.number(n).rendered) replica\(n == 1 ? "" : "s")" }
        if let hpa = autoscalers(of: workload, kind: kind).first {
            let floor = try hpa.number("spec.minReplicas") ?? 1
            return .check(floor >= minimum, "\(kind) \(workload.name) is scaled by \(hpa.name) down to \(count(floor)) (at least \(ConfigValue.number(minimum).rendered) wanted).")
        }
        let replicas = try workload.number("spec.replicas") ?? 1
        return .check(replicas >= minimum, "\(kind) \(workload.name) runs \(count(replicas)) (at least \(ConfigValue.number(minimum).rendered) wanted).")
    }

    /// A PodDisruptionBudget value (`1`, `"20%"`): the number, and whether it is a percentage.
    static func budget(_ value: PropertyLookup, _ path: String) throws(PolicyControl) -> (amount: Double, percent: Bool)? {
        let known = try value.require(path)
        if let number = known.number { return (number, false) }
        guard let text = known.string?.trimmingWhitespace(newlines: false) else { return nil }
        if text.hasSuffix("%"), let amount = Double(text.dropLast()) { return (amount, true) }
        return Double(text).map { ($0, false) }
    }

    static let disruptionBudgetAllowsEviction = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-pdb-allows-voluntary-disruption", "PodDisruptionBudgets allow at least one voluntary disruption.", .high,
            rationale: "A budget with `maxUnavailable: 0` (or `0%`) or `minAvailable: 100%` never lets a Pod be evicted: node drains, cluster upgrades and autoscaler scale-downs hang until someone deletes the budget. (An integer `minAvailable` equal to the replica count blocks evictions too; it is not judged, as the replica count belongs to another object.)",
            remediation: "Set `maxUnavailable` to at least 1 (or a non-zero percentage), or `minAvailable` below the replica count.",
            frameworks: [],
            examples: [
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}}}"#, .pass),
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"maxUnavailable": "20%"}}"#, .pass),
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"maxUnavailable": 0}}"#, .violation),
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"maxUnavailable": "0%"}}"#, .violation),
                Baseline.ex("kubernetes:policy/v1beta1:PodDisruptionBudget", #"{"spec": {"minAvailable": "100%"}}"#, .violation),
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"minAvailable": 1}}"#, .pass),
                Baseline.ex("kubernetes:policy/v1:PodDisruptionBudget", #"{"spec": {"maxUnavailable": \#(Baseline.unknown)}}"#, .indeterminate),
            ],
            equivalents: compliance("kubernetes-policy-v1-poddisruptionbudget-disallow-zero-voluntary-disruption")),
        types: disruptionBudgets
    ) { pdb, _ in
        if let max = try budget(pdb.props.at("spec.maxUnavailable"), "spec.maxUnavailable"), max.amount <= 0 {
            return .violation("PodDisruptionBudget \(pdb.name) sets maxUnavailable to 0\(max.percent ? "%" : ""): no Pod can ever be evicted.")
        }
        if let min = try budget(pdb.props.at("spec.minAvailable"), "spec.minAvailable"), min.percent, min.amount >= 100 {
            return .violation("PodDisruptionBudget \(pdb.name) sets minAvailable to 100%: no Pod can ever be evicted.")
        }
        return .pass
    }

    /// The labels Kubernetes recommends (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels).
    static let recommendedLabelKeys = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                                       "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"]

    static let recommendedLabels = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-recommended-labels", "Workloads and Services carry the recommended app.kubernetes.io labels.", .low,
            rationale: "The shared labels (`app.kubernetes.io/name`, `instance`, `version`, `component`, `part-of`, `managed-by`) let dashboards, cost reports, network policies and `kubectl` select an application's objects across tools. By default the two that identify an application instance are required; `requiredLabels` can ask for more (all six). Other labels are allowed: Pulumi's compliance-ready check also flags any label outside the six, which would forbid team or cost-centre labels.",
            remediation: "Add the labels to `metadata.labels` (e.g. `app.kubernetes.io/name: web`, `app.kubernetes.io/instance: web-prod`).",
            frameworks: [],
            examples: [
                KubeExample.deploy(#"{"metadata": {"labels": {"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web-prod", "team": "payments"}}, "spec": {}}"#, .pass),
                KubeExample.deploy(#"{"metadata": {"name": "web"}, "spec": {}}"#, .violation, "no labels"),
                Baseline.ex(KubernetesTypes.service, #"{"metadata": {"labels": {"department": "finances"}}, "spec": {"type": "ClusterIP"}}"#, .violation),
                Baseline.ex("kubernetes:batch/v1:CronJob", #"{"metadata": {"labels": {"app.kubernetes.io/name": "report"}}, "spec": {}}"#, .pass, nil,
                            config: ["requiredLabels": .array([.string("app.kubernetes.io/name")])]),
                Baseline.ex("kubernetes:apps/v1:DaemonSet", #"{"metadata": {"labels": \#(Baseline.unknown)}, "spec": {}}"#, .indeterminate),
            ],
            equivalents: compliance("kubernetes-apps-v1-daemonset-configure-recommended-labels",
                                    "kubernetes-apps-v1-deployment-configure-recommended-labels",
                                    "kubernetes-apps-v1-replicaset-configure-recommended-labels",
                                    "kubernetes-apps-v1-statefulset-configure-recommended-labels",
                                    "kubernetes-batch-v1-cronjob-configure-recommended-labels",
                                    "kubernetes-batch-v1-job-configure-recommended-labels",
                                    "kubernetes-core-v1-service-configure-recommended-labels"),
            schema: ConfigSchema(properties: [
                "requiredLabels": ConfigProperty(type: .array(items: .string), description: "Label keys every workload and Service must carry.",
                                                 default: .array([.string("app.kubernetes.io/name"), .string("app.kubernetes.io/instance")])),
            ])),
        types: KubernetesTypes.workloads + [KubernetesTypes.service]
    ) { resource, config in
        let required = config.strings("requiredLabels") ?? Array(recommendedLabelKeys.prefix(2))
        let labels = try resource.value("metadata.labels")
        var missing: [String] = []
        for key in required {
            let value = labels[key]
            if value.isOpaque { throw PolicyControl.indeterminate("metadata.labels.\(key) is not known until deployment") }
            if (value.string ?? "").isEmpty { missing.append(key) }
        }
        return .check(missing.isEmpty, "\(resource.name) lacks the recommended label\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")).")
    }
}
