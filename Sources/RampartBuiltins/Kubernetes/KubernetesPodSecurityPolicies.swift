import RampartModel
import RampartPolicy

extension KubernetesBaseline {
    static var podSecurityPolicies: [any Policy] {
        [noPrivileged, noPrivilegeEscalation, runAsNonRoot, readOnlyRootFilesystem, noExtraCapabilities, dropAllCapabilities,
         seccompProfile, appArmorNotUnconfined]
    }

    /// A workload policy judged container by container: `problem` returns what is wrong with one container, or nil.
    static func perContainer(_ descriptor: PolicyDescriptor, includeInit: Bool = true,
                             _ problem: @escaping @Sendable (PodTemplate, PodTemplate.Container) throws -> String?) -> SwiftResourcePolicy {
        SwiftResourcePolicy(descriptor, types: KubernetesTypes.workloads) { workload, _ in
            let (pod, containers) = try PodTemplate.of(workload, includeInit: includeInit)
            var messages: [String] = []
            for container in containers {
                if let message = try problem(pod, container) {
                    // One message per container with a problem, for each of the pack's container policies.
                    messages.append(String(concatenating: pod.kind, " ", workload.name, ", container ", container.name, ": ", message))
                }
            }
            return .violations(messages)
        }
    }

    static func c(_ members: String = "") -> String { KubeExample.container(members) }
    static func d(_ containers: String, pod: String = "") -> String { KubeExample.deployment(containers, pod: pod) }

    static let noPrivileged = perContainer(
        Baseline.descriptor("kubernetes-no-privileged-containers", "Containers do not run privileged.", .critical,
            rationale: "A privileged container has every capability and all host devices; escaping to the node is trivial.",
            remediation: "Remove `securityContext.privileged: true`; grant the specific capability needed instead.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "Privileged Containers"), BaselineFrameworks.cisKubernetes("5.2.2"),
                         BaselineFrameworks.nsaKubernetes("Pod security: non-root and unprivileged containers"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"privileged": false}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"privileged": true}"#)), .violation),
                Baseline.ex("kubernetes:batch/v1:CronJob", KubeExample.cronJob(c(#""securityContext": {"privileged": true}"#)), .violation,
                            "CronJob pod spec under spec.jobTemplate.spec.template.spec"),
                Baseline.ex("kubernetes:core/v1:Pod", KubeExample.pod(c()), .pass, "Pod spec under spec"),
                Baseline.ex("kubernetes:apps/v1:DaemonSet", #"{"spec": {"template": {"spec": {"containers": [], "initContainers": [{"name": "init", "securityContext": {"privileged": true}}]}}}}"#,
                            .violation, "init containers count"),
                KubeExample.deploy(#"{"spec": {"template": {"spec": \#(Baseline.unknown)}}}"#, .indeterminate, "preview: pod spec unknown"),
            ])
    ) { _, container in
        try container["securityContext.privileged"].requireBool(container.path) == true ? "runs privileged" : nil
    }

    static let noPrivilegeEscalation = perContainer(
        Baseline.descriptor("kubernetes-no-privilege-escalation", "Containers set allowPrivilegeEscalation to false.", .high,
            rationale: "Unless disabled, a process can gain more privileges than its parent through setuid binaries or file capabilities.",
            remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
            frameworks: [BaselineFrameworks.podSecurity("restricted", "Privilege Escalation"), BaselineFrameworks.cisKubernetes("5.2.6"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"allowPrivilegeEscalation": false}"#)), .pass),
                KubeExample.deploy(d(c()), .violation, "the default allows escalation"),
                KubeExample.deploy(d(c(#""securityContext": {"allowPrivilegeEscalation": \#(Baseline.unknown)}"#)), .indeterminate),
            ])
    ) { _, container in
        try container["securityContext.allowPrivilegeEscalation"].requireBool(container.path) == false ? nil : "allows privilege escalation"
    }

    static let runAsNonRoot = perContainer(
        Baseline.descriptor("kubernetes-run-as-non-root", "Containers run as a non-root user.", .high,
            rationale: "A root process in a container is root on the node once it escapes, and can modify anything the container mounts.",
            remediation: "Set `securityContext.runAsNonRoot: true` (pod or container) and a non-zero `runAsUser`.",
            frameworks: [BaselineFrameworks.podSecurity("restricted", "Running as Non-root"), BaselineFrameworks.cisKubernetes("5.2.7"),
                         BaselineFrameworks.nsaKubernetes("Pod security: non-root containers"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(), pod: #""securityContext": {"runAsNonRoot": true}"#), .pass, "set on the pod"),
                KubeExample.deploy(d(c(#""securityContext": {"runAsUser": 1000}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"runAsUser": 0}"#), pod: #""securityContext": {"runAsNonRoot": true}"#), .violation),
                KubeExample.deploy(d(c()), .violation),
            ])
    ) { pod, container in
        let nonRoot = try pod.effective(container, "runAsNonRoot").requireBool(container.path)
        let user = try pod.effective(container, "runAsUser").requireNumber(container.path)
        if user == 0 { return "runs as UID 0" }
        return nonRoot == true || (user ?? 0) > 0 ? nil : "may run as root (no runAsNonRoot or non-zero runAsUser)"
    }

    static let readOnlyRootFilesystem = perContainer(
        Baseline.descriptor("kubernetes-read-only-root-filesystem", "Containers mount their root filesystem read-only.", .medium,
            rationale: "A writable root filesystem lets an attacker drop tools and persist changes inside the container.",
            remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount `emptyDir` volumes where the app writes.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Pod security: immutable container file systems"), BaselineFrameworks.cisKubernetes("5.7.3")] + frameworks("iso27001", "pcidss"),
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"readOnlyRootFilesystem": true}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {}"#)), .violation),
            ],
            equivalents: compliance("kubernetes-apps-v1-daemonset-enable-read-only-root-filesystem", "kubernetes-apps-v1-deployment-enable-read-only-root-filesystem", "kubernetes-apps-v1-replicaset-enable-read-only-root-filesystem", "kubernetes-apps-v1-statefulset-enable-read-only-root-filesystem", "kubernetes-batch-v1-cronjob-enable-read-only-root-filesystem", "kubernetes-batch-v1-job-enable-read-only-root-filesystem"))
    ) { _, container in
        try container["securityContext.readOnlyRootFilesystem"].requireBool(container.path) == true ? nil : "has a writable root filesystem"
    }

    /// Capabilities the Pod Security Standards baseline allows a container to add.
    static let baselineCapabilities: Set<String> = [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID",
        "SETPCAP", "SETUID", "SYS_CHROOT",
    ]

    static func capabilities(_ container: PodTemplate.Container, _ list: String) throws(PolicyControl) -> [String] {
        try container["securityContext.capabilities." + list].requireElements(container.path + ".securityContext.capabilities." + list)
            .compactMap { $0.string?.uppercased() }
            .map { $0.hasPrefix("CAP_") ? String($0.dropFirst(4)) : $0 }
    }

    static let noExtraCapabilities = perContainer(
        Baseline.descriptor("kubernetes-no-dangerous-capabilities", "Containers add no capabilities beyond the Pod Security baseline (no SYS_ADMIN, NET_RAW, NET_ADMIN, …).", .high,
            rationale: "SYS_ADMIN is close to root on the node; NET_RAW allows spoofing and ARP poisoning inside the cluster network.",
            remediation: "Remove the capability from `securityContext.capabilities.add`.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "Capabilities"), BaselineFrameworks.cisKubernetes("5.2.8"),
                         BaselineFrameworks.cisKubernetes("5.2.9"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}"#)), .violation),
                KubeExample.deploy(d(c(#""securityContext": {"capabilities": {"add": ["CAP_NET_RAW"]}}"#)), .violation),
            ])
    ) { _, container in
        let extra = try capabilities(container, "add").filter { !baselineCapabilities.contains($0) }
        return extra.isEmpty ? nil : "adds \(extra.joined(separator: ", "))"
    }

    static let dropAllCapabilities = perContainer(
        Baseline.descriptor("kubernetes-drop-all-capabilities", "Containers drop all capabilities.", .medium,
            rationale: "The runtime's default set includes NET_RAW and others most applications never need.",
            remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` and add back only what is needed.",
            frameworks: [BaselineFrameworks.podSecurity("restricted", "Capabilities"), BaselineFrameworks.cisKubernetes("5.2.10"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"capabilities": {"drop": ["ALL"]}}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"capabilities": {"drop": ["NET_RAW"]}}"#)), .violation),
            ])
    ) { _, container in
        try capabilities(container, "drop").contains("ALL") ? nil : "does not drop ALL capabilities"
    }

    static let seccompProfile = perContainer(
        Baseline.descriptor("kubernetes-seccomp-profile", "Containers run with the RuntimeDefault (or a Localhost) seccomp profile.", .medium,
            rationale: "Without a seccomp profile every system call is available, widening the kernel attack surface.",
            remediation: "Set `securityContext.seccompProfile: { type: \"RuntimeDefault\" }` on the pod (or each container).",
            frameworks: [BaselineFrameworks.podSecurity("restricted", "Seccomp"), BaselineFrameworks.cisKubernetes("5.7.2")],
            examples: [
                KubeExample.deploy(d(c(), pod: #""securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}"#), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"seccompProfile": {"type": "Unconfined"}}"#), pod: #""securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}"#), .violation),
                KubeExample.deploy(d(c()), .violation),
                KubeExample.deploy(#"{"spec": {"template": {"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"}}, "spec": {"containers": [\#(c())]}}}}"#,
                                   .pass, "legacy annotation"),
            ])
    ) { pod, container in
        if let type = try pod.effective(container, "seccompProfile.type").requireString(container.path) {
            return type == "RuntimeDefault" || type == "Localhost" ? nil : "uses the \(type) seccomp profile"
        }
        let annotations = pod.metadata["annotations"]
        let legacy = annotations["container.seccomp.security.alpha.kubernetes.io/" + container.name].string
            ?? annotations["seccomp.security.alpha.kubernetes.io/pod"].string
        if let legacy, legacy != "unconfined" { return nil }
        return "has no seccomp profile"
    }

    static let appArmorNotUnconfined = perContainer(
        Baseline.descriptor("kubernetes-apparmor-not-unconfined", "Containers do not opt out of AppArmor.", .medium,
            rationale: "The runtime's default AppArmor profile blocks mounts and writes to sensitive kernel paths; `Unconfined` removes that layer.",
            remediation: "Remove `appArmorProfile: { type: \"Unconfined\" }` and `container.apparmor.security.beta.kubernetes.io/*: unconfined` annotations.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "AppArmor")],
            examples: [
                KubeExample.deploy(d(c(#""securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}"#)), .pass),
                KubeExample.deploy(d(c(#""securityContext": {"appArmorProfile": {"type": "Unconfined"}}"#)), .violation),
                KubeExample.deploy(#"{"spec": {"template": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}, "spec": {"containers": [\#(c())]}}}}"#,
                                   .violation, "legacy annotation"),
                KubeExample.deploy(d(c()), .pass, "the runtime default applies"),
            ])
    ) { pod, container in
        let type = try pod.effective(container, "appArmorProfile.type").requireString(container.path)
        let annotation = pod.metadata["annotations"]["container.apparmor.security.beta.kubernetes.io/" + container.name].string
        return type == "Unconfined" || annotation == "unconfined" ? "runs without AppArmor (unconfined)" : nil
    }
}
