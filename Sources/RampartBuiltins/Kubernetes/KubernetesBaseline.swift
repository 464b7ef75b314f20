import RampartModel
import RampartPolicy

/// `builtin:kubernetes`: Kubernetes hardening checks for pulumi-kubernetes resources (Pod Security Standards,
/// CIS Kubernetes, NSA/CISA hardening guidance): pod security of every workload kind, images, resources and
/// probes, RBAC, Services, Ingresses and per-namespace network policies.
///
/// Children of `kubernetes:yaml:ConfigFile`, `ConfigGroup` and Helm `Chart` components are ordinary resources
/// with the same type tokens, so they are checked like any other; a `kubernetes:helm.sh/v3:Release` does not
/// show its rendered objects in state and cannot be checked.
public enum KubernetesBaseline {
    public static let packName = "kubernetes"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "Kubernetes baseline (Pod Security Standards, CIS Kubernetes, NSA/CISA hardening) for pulumi-kubernetes resources.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(packName)")
    }

    static var policies: [any Policy] { podSecurityPolicies + hostPolicies + workloadPolicies + availabilityPolicies + accessPolicies }
}

/// The pod template of a workload, found in one place for every workload kind.
///
/// Every workload policy makes one for each resource it judges, so making one reads only the pod spec; the paths
/// and names that reasons and messages mention are spelled out only when one is written.
struct PodTemplate {
    /// One container of the pod.
    struct Container {
        var lookup: PropertyLookup
        /// The pod spec's path and the list holding the container (`containers`, `initContainers`, …).
        let specPath: String
        let list: String
        let position: Int

        /// Path from the resource's properties, for reasons (`spec.template.spec.containers[0]`).
        var path: String { "\(specPath).\(list)[\(position)]" }
        /// The container's name, or `#position` when it has none.
        var name: String { lookup["name"].string ?? "#\(position)" }
        var isInit: Bool { list != "containers" }

        subscript(_ path: String) -> PropertyLookup { lookup.at(path) }
    }

    /// Where each kind keeps its pod: the template (empty for a Pod itself) and the template's spec.
    private struct Shape {
        let template: [String]
        let specPath: String

        static let pod = Shape(template: [], specPath: "spec")
        static let cronJob = Shape(template: ["spec", "jobTemplate", "spec", "template"], specPath: "spec.jobTemplate.spec.template.spec")
        static let workload = Shape(template: ["spec", "template"], specPath: "spec.template.spec")
    }

    /// Kind from the type token (`Deployment`, `CronJob`, `Pod`).
    let kind: String
    /// Path of the pod spec in the resource (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`).
    let specPath: String
    let spec: PropertyLookup
    /// The pod template (for a Pod, the resource's properties).
    private let template: PropertyLookup

    /// Finds the pod spec of `workload`; throws indeterminate when it is not known (preview).
    init(_ workload: ResourceContext) throws(PolicyControl) {
        let type = workload.type
        kind = type.utf8.lastIndex(of: UInt8(ascii: ":")).map { String(Substring(type.utf8[type.utf8.index(after: $0)...])) } ?? type
        let shape: Shape
        switch kind {
        case "Pod": shape = .pod
        case "CronJob": shape = .cronJob
        default: shape = .workload
        }
        specPath = shape.specPath
        var template = workload.props
        for key in shape.template { template = template[key] }
        self.template = template
        spec = try template["spec"].require(shape.specPath)
    }

    /// The pod's metadata (for a workload, its template's).
    var metadata: PropertyLookup { template["metadata"] }

    /// Containers, then init containers (and ephemeral containers) unless `includeInit` is false.
    func containers(includeInit: Bool = true) throws(PolicyControl) -> [Container] {
        var result: [Container] = []
        for list in includeInit ? Self.allLists : Self.mainList {
            let elements = try spec[list].requireElements("\(specPath).\(list)")
            for (i, container) in elements.enumerated() {
                let known = try container.require("\(specPath).\(list)[\(i)]")
                result.append(Container(lookup: known, specPath: specPath, list: list, position: i))
            }
        }
        return result
    }

    private static let allLists = ["containers", "initContainers", "ephemeralContainers"]
    private static let mainList = ["containers"]

    /// A container's security-context setting, falling back to the pod's (for the fields the pod may set).
    func effective(_ container: Container, _ field: String) throws(PolicyControl) -> PropertyLookup {
        let own = try container["securityContext." + field].require(container.path + ".securityContext." + field)
        if !own.isAbsent { return own }
        return try spec.at("securityContext." + field).require(specPath + ".securityContext." + field)
    }

    /// Long-running kinds, which probes apply to.
    var isLongRunning: Bool { kind != "Job" && kind != "CronJob" }

    /// The pod template of `workload`, through the evaluating worker's memo when there is one.
    static func of(_ workload: ResourceContext) throws(PolicyControl) -> PodTemplate {
        try workload.withMemo(PodTemplateMemo.init) { memo in
            memo?.pod(workload) ?? Result { () throws(PolicyControl) in try PodTemplate(workload) }
        }.get()
    }

    /// The pod template of `workload` and its containers (`containers(includeInit:)`), through the evaluating
    /// worker's memo when there is one.
    static func of(_ workload: ResourceContext, includeInit: Bool) throws(PolicyControl) -> (PodTemplate, [Container]) {
        try workload.withMemo(PodTemplateMemo.init) { memo in
            memo?.containers(workload, includeInit: includeInit) ?? Result { () throws(PolicyControl) in
                let pod = try PodTemplate(workload)
                return (pod, try pod.containers(includeInit: includeInit))
            }
        }.get()
    }
}

/// The pod template and container lists of the workload a worker judged last. The engine evaluates a resource's
/// policies one after another, and some twenty workload policies each need the pod spec and its containers: they are
/// found once per workload instead of once per policy. Failures (a pod spec or list not known in a preview) are
/// remembered too, so every policy gets the answer it would have worked out itself. A worker's memo serves one
/// stack (it lives with the worker's `DocumentHandle`), so a resource is known by its index.
final class PodTemplateMemo {
    private var index = -1
    private var pod: Result<PodTemplate, PolicyControl>?
    private var allContainers: Result<[PodTemplate.Container], PolicyControl>?
    private var mainContainers: Result<[PodTemplate.Container], PolicyControl>?

    init() {}

    func pod(_ workload: ResourceContext) -> Result<PodTemplate, PolicyControl> {
        if workload.index != index {
            index = workload.index
            pod = nil
            allContainers = nil
            mainContainers = nil
        }
        if let pod { return pod }
        let found = Result { () throws(PolicyControl) in try PodTemplate(workload) }
        pod = found
        return found
    }

    func containers(_ workload: ResourceContext, includeInit: Bool) -> Result<(PodTemplate, [PodTemplate.Container]), PolicyControl> {
        let pod: PodTemplate
        switch self.pod(workload) {
        case .failure(let error): return .failure(error)
        case .success(let found): pod = found
        }
        let containers: Result<[PodTemplate.Container], PolicyControl>
        if let known = includeInit ? allContainers : mainContainers {
            containers = known
        } else {
            containers = Result { () throws(PolicyControl) in try pod.containers(includeInit: includeInit) }
            if includeInit { allContainers = containers } else { mainContainers = containers }
        }
        return containers.map { (pod, $0) }
    }
}

/// Type tokens of pulumi-kubernetes resources. Globs cover every API version of a kind (`apps/v1`,
/// `apps/v1beta2`, `extensions/v1beta1`) and stop at the kind, so `DeploymentPatch` and `DeploymentList` are not
/// matched (a patch is partial, so absent fields say nothing).
enum KubernetesTypes {
    static let workloads = [
        "kubernetes:apps/*:Deployment", "kubernetes:extensions/*:Deployment",
        "kubernetes:apps/*:StatefulSet", "kubernetes:apps/*:DaemonSet", "kubernetes:extensions/*:DaemonSet",
        "kubernetes:apps/*:ReplicaSet", "kubernetes:extensions/*:ReplicaSet",
        "kubernetes:batch/*:Job", "kubernetes:batch/*:CronJob",
        "kubernetes:core/v1:Pod", "kubernetes:core/v1:ReplicationController",
    ]
    static let roles = ["kubernetes:rbac.authorization.k8s.io/*:ClusterRole", "kubernetes:rbac.authorization.k8s.io/*:Role"]
    static let bindings = ["kubernetes:rbac.authorization.k8s.io/*:ClusterRoleBinding", "kubernetes:rbac.authorization.k8s.io/*:RoleBinding"]
    static let service = "kubernetes:core/v1:Service"
    static let ingresses = ["kubernetes:networking.k8s.io/*:Ingress", "kubernetes:extensions/*:Ingress"]
    static let namespace = "kubernetes:core/v1:Namespace"
    static let networkPolicies = ["kubernetes:networking.k8s.io/*:NetworkPolicy", "kubernetes:extensions/*:NetworkPolicy"]
    /// Namespaces run by the cluster itself, where add-ons legitimately need privileges.
    static let systemNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease"]
}

/// Example manifests, kept short.
enum KubeExample {
    static let deploymentType = "kubernetes:apps/v1:Deployment"

    /// A Deployment in namespace `apps` whose pod spec holds `pod` (JSON members, may be empty) and `containers`.
    static func deployment(_ containers: String, pod: String = "", namespace: String = "apps") -> String {
        #"{"metadata": {"name": "web", "namespace": "\#(namespace)"}, "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {\#(pod.isEmpty ? "" : pod + ", ")"containers": [\#(containers)]}}}}"#
    }

    static func cronJob(_ containers: String, pod: String = "") -> String {
        #"{"metadata": {"namespace": "apps"}, "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {\#(pod.isEmpty ? "" : pod + ", ")"containers": [\#(containers)]}}}}}}"#
    }

    static func pod(_ containers: String, pod: String = "") -> String {
        #"{"metadata": {"namespace": "apps"}, "spec": {\#(pod.isEmpty ? "" : pod + ", ")"containers": [\#(containers)]}}"#
    }

    /// One container named `app` with the image `registry.example.com/app:1.4.2` and extra JSON members.
    static func container(_ members: String = "") -> String {
        #"{"name": "app", "image": "registry.example.com/app:1.4.2"\#(members.isEmpty ? "" : ", " + members)}"#
    }

    static func deploy(_ properties: String, _ expectation: PolicyExample.Expectation, _ note: String? = nil) -> PolicyExample {
        Baseline.ex(deploymentType, properties, expectation, note)
    }
}
