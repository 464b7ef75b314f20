import RampartModel
import RampartPolicy

/// `builtin:api-versions`: resources declared through a preview, beta or alpha API version of azure-native,
/// google-native or Kubernetes, and Kubernetes API versions that a Kubernetes release has removed.
///
/// One pack for the three providers rather than a policy in each provider pack: the check is the same for all
/// (it reads only the type token), a team turns it on or off once, and a scan of all built-in packs reports each
/// resource once.
public enum APIVersionsPack {
    public static let packName = "api-versions"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "Preview, beta and alpha API versions (azure-native, google-native, Kubernetes) and Kubernetes APIs removed by a release.",
                   enforcementLevel: .advisory, policies: [stableAPIVersions], origin: "builtin:\(packName)")
    }

    /// What a type token says about its API version.
    enum Stability: Equatable {
        case stable
        /// Preview, beta or alpha; `version` as spelled in the token's module.
        case unstable(level: String, version: String)
        /// A Kubernetes API version removed in `release` (`1.25`), with what replaces it.
        case removed(version: String, release: String, replacement: String)
        /// Not decided by this policy (a custom resource, a component, a token without API version).
        case notVersioned(String)
    }

    /// Splits `provider:module/version:Type` into its module's version segment and the type; nil without one.
    static func versionedModule(_ token: String) -> (provider: String, group: String, version: String, kind: String)? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let module = parts[1].split(separator: "/")
        guard module.count == 2 else { return nil }
        return (String(parts[0]), String(module[0]), String(module[1]), String(parts[2]))
    }

    static func stability(of token: String) -> Stability {
        guard let parsed = versionedModule(token) else { return .notVersioned("the type token names no API version") }
        let version = parsed.version.lowercased()
        switch parsed.provider {
        case "azure-native":
            // `v20230201preview`, `v20220308privatepreview`.
            return version.hasSuffix("preview") ? .unstable(level: "preview", version: parsed.version) : .stable
        case "google-native":
            // `alpha`, `beta`, `v1beta1`, `v2alpha`, `v1p1beta1`.
            if version.contains("alpha") { return .unstable(level: "alpha", version: parsed.version) }
            if version.contains("beta") { return .unstable(level: "beta", version: parsed.version) }
            return .stable
        case "kubernetes":
            return kubernetesStability(group: parsed.group, version: version, kind: parsed.kind)
        default:
            return .notVersioned("not an azure-native, google-native or Kubernetes resource")
        }
    }

    /// Built-in Kubernetes API groups: `core`, the undotted legacy groups (`apps`, `batch`, `policy`, …) and
    /// `*.k8s.io`. Custom resources live in dotted groups of their own; their versions are their authors'.
    static func isBuiltinGroup(_ group: String) -> Bool { !group.contains(".") || group.hasSuffix(".k8s.io") }
    /// pulumi-kubernetes components whose token carries a version of their own (`kubernetes:yaml/v2:ConfigGroup`).
    static let pulumiComponentModules: Set<String> = ["yaml", "kustomize", "helm.sh"]

    static func kubernetesStability(group: String, version: String, kind: String) -> Stability {
        guard isBuiltinGroup(group), !pulumiComponentModules.contains(group), version.hasPrefix("v") else { return .notVersioned("a custom resource or component: its API versions are its author's") }
        // `CronJobPatch` and `CronJobList` share the kind's API version.
        var base = kind
        for suffix in ["Patch", "List"] where base.hasSuffix(suffix) && base.count > suffix.count { base.removeLast(suffix.count) }
        let apiVersion = group == "core" ? version : "\(group)/\(version)"
        if let removal = KubernetesRemovedAPIs.removal(apiVersion: apiVersion, kind: base) {
            return .removed(version: apiVersion, release: removal.release, replacement: removal.replacement)
        }
        if version.contains("alpha") { return .unstable(level: "alpha", version: apiVersion) }
        if version.contains("beta") { return .unstable(level: "beta", version: apiVersion) }
        return .stable
    }

    static let stableAPIVersions = SwiftResourcePolicy(
        Baseline.descriptor("stable-api-versions", "Resources use stable API versions, not preview, beta, alpha or removed ones.", .medium,
            rationale: "Preview (azure-native `…preview` modules), beta and alpha (google-native `beta`/`alpha`/`v1beta1` modules, Kubernetes `v1beta1`/`v2alpha1` …) APIs may change or disappear without the deprecation period of stable ones, and carry no SLA. A Kubernetes API version that a release removed (e.g. `extensions/v1beta1` Deployment in 1.16, `policy/v1beta1` PodSecurityPolicy and `batch/v1beta1` CronJob in 1.25, `autoscaling/v2beta2` in 1.26, `flowcontrol.apiserver.k8s.io/v1beta2` in 1.29) fails to deploy on that release and later: the message names the release and the replacement. Kubernetes custom resources are not judged (their versions are their authors'), nor an azure-native resource without a version module, whose default API version the SDK chooses.",
            remediation: "Declare the resource through a stable module (`azure-native:network:VirtualNetwork` or a dated module without `preview`; `google-native:compute/v1`; Kubernetes `apps/v1`, `batch/v1`, `policy/v1`, `autoscaling/v2`, …), or exempt the resource while the feature exists only in preview.",
            frameworks: [],
            examples: [
                Baseline.ex("azure-native:network/v20230201preview:VirtualNetwork", #"{"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}"#, .violation),
                Baseline.ex("azure-native:network/v20230201:VirtualNetwork", #"{}"#, .pass),
                Baseline.ex("azure-native:network:VirtualNetwork", #"{}"#, .notApplicable, "the SDK's default version, not in the token"),
                Baseline.ex("google-native:compute/beta:FirewallPolicy", #"{}"#, .violation),
                Baseline.ex("google-native:container/v1beta1:Cluster", #"{}"#, .violation),
                Baseline.ex("google-native:compute/v1:FirewallPolicy", #"{}"#, .pass),
                Baseline.ex("kubernetes:batch/v1beta1:CronJob", KubeExample.cronJob(KubeExample.container()), .violation, "removed in 1.25"),
                Baseline.ex("kubernetes:storage.k8s.io/v1alpha1:VolumeAttributesClass", #"{}"#, .violation),
                Baseline.ex("kubernetes:apps/v1:Deployment", KubeExample.deployment(KubeExample.container()), .pass),
                Baseline.ex("kubernetes:cert-manager.io/v1alpha2:Certificate", #"{}"#, .notApplicable, "custom resource"),
                Baseline.ex("aws:s3/bucketV2:BucketV2", #"{}"#, .notApplicable),
            ],
            equivalents: [
                // Each names a family of Pulumi's generated policies (a glob over their names), 6,140 in all.
                PolicyEquivalent(.pulumiCompliancePolicies, "azurenative-*-disallow-preview-resource"),
                PolicyEquivalent(.pulumiCompliancePolicies, "googlenative-*-disallow-beta-resource"),
                PolicyEquivalent(.pulumiCompliancePolicies, "googlenative-*-disallow-alpha-resource"),
                PolicyEquivalent(.pulumiCompliancePolicies, "kubernetes-*-disallow-beta-resource"),
                PolicyEquivalent(.pulumiCompliancePolicies, "kubernetes-*-disallow-alpha-resource"),
            ]),
        types: ["azure-native:*", "google-native:*", "kubernetes:*"]
    ) { resource, _ in
        let type = resource.type
        // The answer depends on the type token alone: each worker remembers it per token.
        switch resource.withMemo(StabilityMemo.init, { $0?.stability(of: type) ?? stability(of: type) }) {
        case .stable:
            return .pass
        case .notVersioned(let reason):
            return .notApplicable(reason)
        case .unstable(let level, let version):
            return .violation("\(resource.name) uses the \(level) API version \(version) (\(resource.type)).")
        case .removed(let version, let release, let replacement):
            return .violation("\(resource.name) uses \(version), removed in Kubernetes \(release) (use \(replacement)).")
        }
    }
}

extension APIVersionsPack {
    /// `stability(of:)` remembered per type token by one worker (`ResourceContext.withMemo`): a stack repeats a few
    /// types over thousands of resources, and working the answer out splits and compares the token each time.
    final class StabilityMemo {
        private var answers: [String: Stability] = [:]
        /// Tokens remembered at most; others are worked out each time (same answers).
        static let capacity = 4_096

        init() {}

        func stability(of type: String) -> Stability {
            if let known = answers[type] { return known }
            let answer = APIVersionsPack.stability(of: type)
            if answers.count < Self.capacity { answers[type] = answer }
            return answer
        }
    }
}

/// Kubernetes API versions removed by a release, from the Kubernetes deprecated API migration guide
/// (kubernetes.io/docs/reference/using-api/deprecation-guide).
enum KubernetesRemovedAPIs {
    struct Removal {
        var apiVersion: String
        /// nil: every kind of the API version.
        var kinds: Set<String>?
        var release: String
        var replacement: String
    }

    static let removals: [Removal] = [
        Removal(apiVersion: "extensions/v1beta1", kinds: ["Deployment", "DaemonSet", "ReplicaSet"], release: "1.16", replacement: "apps/v1"),
        Removal(apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], release: "1.16", replacement: "networking.k8s.io/v1"),
        Removal(apiVersion: "extensions/v1beta1", kinds: ["PodSecurityPolicy"], release: "1.16", replacement: "policy/v1beta1, itself removed in 1.25: Pod Security Admission"),
        Removal(apiVersion: "extensions/v1beta1", kinds: ["Ingress"], release: "1.22", replacement: "networking.k8s.io/v1"),
        Removal(apiVersion: "apps/v1beta1", kinds: nil, release: "1.16", replacement: "apps/v1"),
        Removal(apiVersion: "apps/v1beta2", kinds: nil, release: "1.16", replacement: "apps/v1"),
        Removal(apiVersion: "admissionregistration.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "admissionregistration.k8s.io/v1"),
        Removal(apiVersion: "apiextensions.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "apiextensions.k8s.io/v1"),
        Removal(apiVersion: "apiregistration.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "apiregistration.k8s.io/v1"),
        Removal(apiVersion: "authentication.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "authentication.k8s.io/v1"),
        Removal(apiVersion: "authorization.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "authorization.k8s.io/v1"),
        Removal(apiVersion: "certificates.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "certificates.k8s.io/v1"),
        Removal(apiVersion: "coordination.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "coordination.k8s.io/v1"),
        Removal(apiVersion: "networking.k8s.io/v1beta1", kinds: ["Ingress", "IngressClass"], release: "1.22", replacement: "networking.k8s.io/v1"),
        Removal(apiVersion: "rbac.authorization.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "rbac.authorization.k8s.io/v1"),
        Removal(apiVersion: "scheduling.k8s.io/v1beta1", kinds: nil, release: "1.22", replacement: "scheduling.k8s.io/v1"),
        Removal(apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], release: "1.22", replacement: "storage.k8s.io/v1"),
        Removal(apiVersion: "batch/v1beta1", kinds: ["CronJob"], release: "1.25", replacement: "batch/v1"),
        Removal(apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], release: "1.25", replacement: "discovery.k8s.io/v1"),
        Removal(apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], release: "1.25", replacement: "events.k8s.io/v1"),
        Removal(apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], release: "1.25", replacement: "autoscaling/v2"),
        Removal(apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], release: "1.25", replacement: "policy/v1"),
        Removal(apiVersion: "policy/v1beta1", kinds: ["PodSecurityPolicy"], release: "1.25", replacement: "Pod Security Admission"),
        Removal(apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], release: "1.25", replacement: "node.k8s.io/v1"),
        Removal(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kinds: ["FlowSchema", "PriorityLevelConfiguration"], release: "1.26", replacement: "flowcontrol.apiserver.k8s.io/v1"),
        Removal(apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], release: "1.26", replacement: "autoscaling/v2"),
        Removal(apiVersion: "storage.k8s.io/v1beta1", kinds: ["CSIStorageCapacity"], release: "1.27", replacement: "storage.k8s.io/v1"),
        Removal(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kinds: ["FlowSchema", "PriorityLevelConfiguration"], release: "1.29", replacement: "flowcontrol.apiserver.k8s.io/v1"),
        Removal(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kinds: ["FlowSchema", "PriorityLevelConfiguration"], release: "1.32", replacement: "flowcontrol.apiserver.k8s.io/v1"),
    ]

    static func removal(apiVersion: String, kind: String) -> Removal? {
        removals.first { $0.apiVersion == apiVersion && ($0.kinds?.contains(kind) ?? true) }
    }
}
