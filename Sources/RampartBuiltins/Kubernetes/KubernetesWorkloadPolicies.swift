import RampartModel
import RampartPolicy

extension KubernetesBaseline {
    static var workloadPolicies: [any Policy] {
        [imageTagPinned, imagePullPolicy, resourceLimits, resourceRequests, livenessProbe, readinessProbe, serviceAccountToken,
         noDefaultNamespace, noSecretLiteralsInEnv]
    }

    /// The tag of an image reference, nil when untagged; digests (`@sha256:…`) are reported separately.
    /// Read over the UTF-8 bytes: every policy of every container asks (Foundation's `contains` cost ~4,700
    /// instructions a call here).
    static func imageReference(_ image: String) -> (tag: String?, pinnedByDigest: Bool) {
        let bytes = image.utf8
        if bytes.contains(UInt8(ascii: "@")) { return (nil, true) }
        // The tag follows the last ':' after the last '/' (trailing slashes left out), so registry ports
        // (`host:5000/app`) are not tags.
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        let path = bytes[..<end]
        let componentStart = path.lastIndex(of: UInt8(ascii: "/")).map { path.index(after: $0) } ?? path.startIndex
        guard let colon = path[componentStart...].lastIndex(of: UInt8(ascii: ":")) else { return (nil, false) }
        return (String(Substring(path[path.index(after: colon)...])), false)
    }

    static let imageTagPinned = perContainer(
        Baseline.descriptor("kubernetes-image-tag-pinned", "Container images name a fixed tag or digest, not `latest` or nothing.", .medium,
            rationale: "An untagged or `latest` image changes under the workload: restarts pull different code than was reviewed, and rollbacks do not roll back.",
            remediation: "Reference images by version tag or, better, by digest (`app@sha256:…`).",
            frameworks: [BaselineFrameworks.nsaKubernetes("Container image scanning and immutable references")],
            examples: [
                KubeExample.deploy(d(c()), .pass),
                KubeExample.deploy(d(#"{"name": "app", "image": "nginx"}"#), .violation, "untagged"),
                KubeExample.deploy(d(#"{"name": "app", "image": "registry.example.com:5000/app:latest"}"#), .violation),
                KubeExample.deploy(d(#"{"name": "app", "image": "registry.example.com:5000/app@sha256:abc"}"#), .pass),
                KubeExample.deploy(d(#"{"name": "app", "image": \#(Baseline.unknown)}"#), .indeterminate, "preview: image built in the same program"),
            ])
    ) { _, container in
        guard let image = try container["image"].requireString(container.path + ".image") else { return "has no image" }
        let reference = imageReference(image)
        if reference.pinnedByDigest { return nil }
        guard let tag = reference.tag else { return "image \(image) has no tag (means latest)" }
        return tag == "latest" ? "image \(image) uses the latest tag" : nil
    }

    static let imagePullPolicy = perContainer(
        Baseline.descriptor("kubernetes-image-pull-policy-always", "Images not pinned by digest are pulled on every start.", .low,
            rationale: "With `IfNotPresent`, a node reuses whatever image it cached under the tag — possibly one pulled with another tenant's credentials or before the tag moved.",
            remediation: "Set `imagePullPolicy: Always`, or pin the image by digest.",
            frameworks: [],
            examples: [
                KubeExample.deploy(d(c(#""imagePullPolicy": "Always""#)), .pass),
                KubeExample.deploy(d(c(#""imagePullPolicy": "IfNotPresent""#)), .violation),
                KubeExample.deploy(d(#"{"name": "app", "image": "app@sha256:abc", "imagePullPolicy": "IfNotPresent"}"#), .pass),
            ])
    ) { _, container in
        if let image = try container["image"].requireString(container.path + ".image"), imageReference(image).pinnedByDigest { return nil }
        let policy = try container["imagePullPolicy"].requireString(container.path + ".imagePullPolicy")
        // The API server defaults to Always only for `latest` / untagged images; state records the defaulted value.
        return policy == nil || policy == "Always" ? nil : "pulls with \(policy!)"
    }

    static func missingResources(_ container: PodTemplate.Container, _ kind: String) throws(PolicyControl) -> String? {
        let values = try container["resources"][kind].require(container.path + ".resources." + kind)
        let missing: String
        switch (values["cpu"].isAbsent, values["memory"].isAbsent) {
        case (false, false): return nil
        case (true, true): missing = " for cpu and memory"
        case (true, false): missing = " for cpu"
        case (false, true): missing = " for memory"
        }
        return String(concatenating: "sets no ", kind, missing)
    }

    static let resourceLimits = perContainer(
        Baseline.descriptor("kubernetes-resource-limits", "Containers set CPU and memory limits.", .medium,
            rationale: "A container without limits can starve its neighbours on the node (denial of service).",
            remediation: "Set `resources.limits.cpu` and `resources.limits.memory` (or a LimitRange default in the namespace).",
            frameworks: [BaselineFrameworks.nsaKubernetes("Resource policies"), nist("SC-6")],
            examples: [
                KubeExample.deploy(d(c(#""resources": {"limits": {"cpu": "500m", "memory": "256Mi"}}"#)), .pass),
                KubeExample.deploy(d(c(#""resources": {"limits": {"cpu": "500m"}}"#)), .violation),
                KubeExample.deploy(d(c(#""resources": {}"#)), .violation),
            ])
    ) { _, container in try missingResources(container, "limits") }

    static let resourceRequests = perContainer(
        Baseline.descriptor("kubernetes-resource-requests", "Containers request CPU and memory.", .low,
            rationale: "Without requests the scheduler cannot place pods sensibly and the pod is first to be evicted.",
            remediation: "Set `resources.requests.cpu` and `resources.requests.memory`.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Resource policies")],
            examples: [
                KubeExample.deploy(d(c(#""resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}"#)), .pass),
                KubeExample.deploy(d(c()), .violation),
            ])
    ) { _, container in try missingResources(container, "requests") }

    static func probePolicy(_ probe: String, _ name: String, _ severity: Severity, _ rationale: String) -> SwiftResourcePolicy {
        perContainer(
            Baseline.descriptor(name, "Long-running containers define a \(probe).", severity,
                rationale: rationale,
                remediation: "Add `\(probe)` (httpGet, tcpSocket, exec or grpc) to each container of Deployments, StatefulSets, DaemonSets and Pods.",
                frameworks: [],
                examples: [
                    KubeExample.deploy(d(c(#""\#(probe)": {"httpGet": {"path": "/healthz", "port": 8080}}"#)), .pass),
                    KubeExample.deploy(d(c()), .violation),
                    Baseline.ex("kubernetes:batch/v1:Job", d(c()), .pass, "run-to-completion jobs need no probes"),
                ]),
            includeInit: false
        ) { pod, container in
            guard pod.isLongRunning else { return nil }
            return try container[probe].require(container.path + "." + probe).isAbsent ? "has no \(probe)" : nil
        }
    }

    static let livenessProbe = probePolicy("livenessProbe", "kubernetes-liveness-probe", .low,
        "Without a liveness probe a hung process keeps its pod Running and receiving traffic until someone notices.")
    static let readinessProbe = probePolicy("readinessProbe", "kubernetes-readiness-probe", .low,
        "Without a readiness probe traffic reaches pods before they can serve it, and during rollouts.")

    static let serviceAccountToken = perPod(
        Baseline.descriptor("kubernetes-no-service-account-token-automount", "Pods do not mount a service account token unless they need one.", .medium,
            rationale: "A mounted token lets anyone who compromises the container call the Kubernetes API with the pod's identity.",
            remediation: "Set `automountServiceAccountToken: false` on the pod spec (or its ServiceAccount) unless the pod talks to the API server.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.1.6"), BaselineFrameworks.nsaKubernetes("Pod security: service account tokens"), nist("AC-6")],
            examples: [
                KubeExample.deploy(d(c(), pod: #""automountServiceAccountToken": false"#), .pass),
                KubeExample.deploy(d(c()), .violation),
            ])
    ) { pod in
        try pod.spec["automountServiceAccountToken"].requireBool(pod.specPath + ".automountServiceAccountToken") == false
            ? [] : ["mounts a service account token (automountServiceAccountToken is not false)"]
    }

    static let noDefaultNamespace = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-no-default-namespace", "Workloads, Services and Ingresses are not placed in the default namespace.", .low,
            rationale: "The default namespace collects unrelated objects under one set of RBAC rules, quotas and network policies.",
            remediation: "Set `metadata.namespace` to a namespace created for the application.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.7.4")],
            examples: [
                KubeExample.deploy(d(c()), .pass),
                KubeExample.deploy(KubeExample.deployment(c(), namespace: "default"), .violation),
                KubeExample.deploy(#"{"metadata": {"name": "web"}, "spec": {}}"#, .violation, "no namespace means default"),
                Baseline.ex(KubernetesTypes.service, #"{"metadata": {"namespace": \#(Baseline.unknown)}}"#, .indeterminate),
            ]),
        types: KubernetesTypes.workloads + [KubernetesTypes.service] + KubernetesTypes.ingresses
    ) { resource, _ in
        let namespace = try resource.string("metadata.namespace") ?? "default"
        return .check(namespace != "default", "\(resource.name) is in the default namespace.")
    }

    /// Environment variable names that hold secrets.
    /// A secret-looking variable name, by the secret detector's rules: `DB_PASSWORD`, `API_TOKEN`, but not names
    /// that describe where a secret is (`AWS_WEB_IDENTITY_TOKEN_FILE`, `SECRET_NAME`, `TOKEN_PATH`).
    static func looksSecret(_ name: String) -> Bool { SensitiveName.classify(name) == .strong }

    static let noSecretLiteralsInEnv = perContainer(
        Baseline.descriptor("kubernetes-no-secret-literals-in-env", "Secrets reach containers from Secret objects, not as literal env values.", .high,
            rationale: "A literal value sits in the manifest, the Pulumi state and `kubectl describe` output for anyone who can read them.",
            remediation: "Store the value in a Secret and use `valueFrom.secretKeyRef` (or mount it as a file).",
            frameworks: [BaselineFrameworks.cisKubernetes("5.4.1"), nist("IA-5(7)")],
            examples: [
                KubeExample.deploy(d(c(#""env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]"#)), .pass),
                KubeExample.deploy(d(c(#""env": [{"name": "DB_PASSWORD", "value": "hunter2"}]"#)), .violation),
                KubeExample.deploy(d(c(#""env": [{"name": "LOG_LEVEL", "value": "debug"}]"#)), .pass),
                KubeExample.deploy(d(c(#""env": [{"name": "AWS_WEB_IDENTITY_TOKEN_FILE", "value": "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"}]"#)),
                                   .pass, "a path to a projected token file, not a secret"),
                KubeExample.deploy(d(c(#""env": [{"name": "API_TOKEN", "value": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "v1:abc"}}]"#)),
                                   .violation, "a Pulumi secret still lands in the pod spec in clear"),
            ])
    ) { _, container in
        var names: [String] = []
        for variable in try container["env"].requireElements(container.path + ".env") {
            guard let name = variable["name"].string, looksSecret(name) else { continue }
            let value = variable["value"]
            if value.isAbsent || value.string == "" { continue }
            // A file path is where a secret is, not the secret (`/var/run/secrets/…/token`). Weak values such as
            // `password` still count: in a pod spec they are the credential actually used.
            if let text = value.string, text.hasPrefix("/") { continue }
            names.append(name)
        }
        // The value is never quoted: it is a secret.
        return names.isEmpty ? nil : "sets \(names.joined(separator: ", ")) from a literal value"
    }
}
