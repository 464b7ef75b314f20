import RampartModel
import RampartPolicy

extension KubernetesBaseline {
    static var hostPolicies: [any Policy] { [hostNetwork, hostPID, hostIPC, hostPathVolumes, hostPorts] }

    /// A workload policy judged on the pod spec as a whole.
    static func perPod(_ descriptor: PolicyDescriptor, _ problems: @escaping @Sendable (PodTemplate) throws -> [String]) -> SwiftResourcePolicy {
        SwiftResourcePolicy(descriptor, types: KubernetesTypes.workloads) { workload, _ in
            let pod = try PodTemplate.of(workload)
            return .violations(try problems(pod).map { "\(pod.kind) \(workload.name): \($0)" })
        }
    }

    /// hostNetwork / hostPID / hostIPC: one policy each, so each can be exempted on its own.
    static func hostNamespace(_ field: String, _ name: String, _ control: String, _ rationale: String) -> SwiftResourcePolicy {
        perPod(Baseline.descriptor("kubernetes-no-\(name)", "Pods do not share the host's \(field.dropFirst(4)) namespace (`\(field)`).", .high,
            rationale: rationale,
            remediation: "Remove `\(field): true` from the pod spec.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "Host Namespaces"), BaselineFrameworks.cisKubernetes(control)],
            examples: [
                KubeExample.deploy(d(c(), pod: #""\#(field)": false"#), .pass),
                KubeExample.deploy(d(c(), pod: #""\#(field)": true"#), .violation),
                Baseline.ex("kubernetes:apps/v1:StatefulSet", d(c(), pod: #""\#(field)": true"#), .violation),
                Baseline.ex("kubernetes:batch/v1:Job", d(c(), pod: #""\#(field)": \#(Baseline.unknown)"#), .indeterminate),
            ])
        ) { pod in
            try pod.spec[field].requireBool(pod.specPath + "." + field) == true ? ["shares the host's \(field.dropFirst(4)) namespace (\(field))"] : []
        }
    }

    static let hostNetwork = hostNamespace("hostNetwork", "host-network", "5.2.5",
        "A pod on the host network sees all node traffic and can reach services bound to the node's loopback interface.")
    static let hostPID = hostNamespace("hostPID", "host-pid", "5.2.3",
        "A pod in the host PID namespace can see and signal every process on the node and read their environment.")
    static let hostIPC = hostNamespace("hostIPC", "host-ipc", "5.2.4",
        "A pod in the host IPC namespace can read shared memory of every process on the node.")

    static let hostPathVolumes = perPod(
        Baseline.descriptor("kubernetes-no-host-path-volumes", "Pods do not mount host paths.", .high,
            rationale: "A hostPath volume exposes the node's filesystem — container runtime sockets, kubelet credentials, other pods' data.",
            remediation: "Use persistent volumes, `emptyDir`, ConfigMaps or Secrets instead of `hostPath`.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "HostPath Volumes"), BaselineFrameworks.cisKubernetes("5.2.12")],
            examples: [
                KubeExample.deploy(d(c(), pod: #""volumes": [{"name": "tmp", "emptyDir": {}}]"#), .pass),
                KubeExample.deploy(d(c(), pod: #""volumes": [{"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}]"#), .violation),
            ])
    ) { pod in
        try pod.spec["volumes"].requireElements(pod.specPath + ".volumes").compactMap { volume in
            volume["hostPath"].isAbsent ? nil : "mounts host path \(volume["hostPath"]["path"].string ?? "?") (volume \(volume["name"].string ?? "?"))"
        }
    }

    static let hostPorts = perContainer(
        Baseline.descriptor("kubernetes-no-host-ports", "Containers do not bind host ports.", .medium,
            rationale: "A host port bypasses Services and network policies and pins the pod to nodes where the port is free.",
            remediation: "Remove `hostPort` from container ports; expose the pod through a Service.",
            frameworks: [BaselineFrameworks.podSecurity("baseline", "Host Ports"), BaselineFrameworks.cisKubernetes("5.2.13")],
            examples: [
                KubeExample.deploy(d(c(#""ports": [{"containerPort": 8080}]"#)), .pass),
                KubeExample.deploy(d(c(#""ports": [{"containerPort": 8080, "hostPort": 80}]"#)), .violation),
                KubeExample.deploy(d(c(#""ports": [{"containerPort": 8080, "hostPort": 0}]"#)), .pass),
                KubeExample.deploy(d(c(#""ports": [{"containerPort": 8080, "hostPort": 1e308}]"#)), .violation, "an absurd port is reported, never a trap"),
            ])
    ) { _, container in
        var ports: [Double] = []
        for (i, port) in try container["ports"].requireElements(container.path + ".ports").enumerated() {
            if let host = try port["hostPort"].requireNumber("\(container.path).ports[\(i)].hostPort"), host > 0 { ports.append(host) }
        }
        return ports.isEmpty ? nil : "binds host port \(ports.map { String($0.clampedInt) }.joined(separator: ", "))"
    }
}
