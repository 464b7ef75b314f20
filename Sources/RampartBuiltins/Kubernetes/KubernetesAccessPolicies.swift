import RampartModel
import RampartPolicy

extension KubernetesBaseline {
    static var accessPolicies: [any Policy] {
        [rbacNoWildcards, rbacNoClusterAdminBinding, rbacNoBroadSubjects, rbacNoEscalationVerbs, serviceNoNodePort, serviceNoLoadBalancer,
         serviceLoadBalancerSourceRanges, ingressTLS, NamespaceNetworkPolicies.policy]
    }

    static let clusterRole = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"

    /// The rules of a Role or ClusterRole; aggregated ClusterRoles are filled in by the controller and not judged.
    static func rules(_ role: ResourceContext) throws(PolicyControl) -> [(index: Int, verbs: [String], resources: [String])] {
        if try !role.value("aggregationRule").isAbsent { throw .notApplicable("aggregated ClusterRole: its rules come from other roles") }
        return try role.value("rules").requireElements("rules").enumerated().map { i, rule throws(PolicyControl) in
            (i, try rule["verbs"].requireElements("rules[\(i)].verbs").compactMap(\.string),
             try rule["resources"].requireElements("rules[\(i)].resources").compactMap(\.string))
        }
    }

    static let rbacNoWildcards = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-rbac-no-wildcards", "Roles and ClusterRoles do not grant `*` verbs or resources.", .high,
            rationale: "A wildcard grants every current and future verb or resource, including ones added by CRDs later.",
            remediation: "List the verbs and resources the subject needs.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.1.3"), nist("AC-6")],
            examples: [
                Baseline.ex(clusterRole, #"{"rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}"#, .pass),
                Baseline.ex(clusterRole, #"{"rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}"#, .violation),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:Role", #"{"rules": [{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]}"#, .violation),
                Baseline.ex(clusterRole, #"{"aggregationRule": {"clusterRoleSelectors": [{}]}, "rules": [{"verbs": ["*"], "resources": ["*"]}]}"#, .notApplicable),
            ]),
        types: KubernetesTypes.roles
    ) { role, _ in
        .violations(try rules(role).filter { $0.verbs.contains("*") || $0.resources.contains("*") }
            .map { "\(role.name) rule \($0.index) grants \($0.verbs.contains("*") ? "all verbs" : "all resources")." })
    }

    static let rbacNoClusterAdminBinding = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-rbac-no-cluster-admin-binding", "cluster-admin is not bound to users, groups or service accounts.", .critical,
            rationale: "cluster-admin is full control of every object in every namespace; a leaked token of a bound subject is the whole cluster.",
            remediation: "Bind a narrower ClusterRole or a namespaced Role instead.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.1.1"), nist("AC-6")],
            examples: [
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "devs"}]}"#, .pass),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ci"}]}"#, .violation),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "Group", "name": "system:masters"}]}"#, .pass),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "Group", "name": "system:authenticated"}]}"#, .violation),
            ]),
        types: KubernetesTypes.bindings
    ) { binding, _ in
        guard try binding.string("roleRef.name") == "cluster-admin" else { return .pass }
        var subjects: [String] = []
        for (i, subject) in try binding.value("subjects").requireElements("subjects").enumerated() {
            let name = try subject["name"].requireString("subjects[\(i)].name") ?? ""
            // Other `system:` subjects are the control plane's own (system:masters, nodes, controllers); the broad
            // groups are everyone.
            if !name.hasPrefix("system:") || broadSubjects.contains(name) { subjects.append("\(subject["kind"].string ?? "subject") \(name)") }
        }
        return .check(subjects.isEmpty, "\(binding.name) binds cluster-admin to \(subjects.joined(separator: ", ")).")
    }

    /// Subjects that stand for every caller: any authenticated identity, anonymous requests, every service account.
    static let broadSubjects: Set<String> = ["system:authenticated", "system:unauthenticated", "system:anonymous", "system:serviceaccounts"]
    /// The discovery roles the API server itself binds to the broad groups.
    static let publicDefaultRoles: Set<String> = ["system:discovery", "system:basic-user", "system:public-info-viewer"]

    static let rbacNoBroadSubjects = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-rbac-no-broad-subjects", "Roles are not bound to every user, anonymous requests or every service account.", .high,
            rationale: "`system:authenticated` is anyone with any valid credential (on managed clusters, any cloud account), `system:unauthenticated` and `system:anonymous` are anyone who can reach the API server, and `system:serviceaccounts` is every Pod's token: a role bound to them is granted to all of these. The discovery roles the API server binds to them itself (system:discovery, system:basic-user, system:public-info-viewer) are not findings.",
            remediation: "Bind the role to the specific users, groups or service accounts that need it.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Authentication and authorization")],
            examples: [
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "system:authenticated"}]}"#, .violation),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", #"{"roleRef": {"kind": "Role", "name": "reader"}, "subjects": [{"kind": "User", "name": "system:anonymous"}]}"#, .violation),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", #"{"roleRef": {"kind": "ClusterRole", "name": "system:public-info-viewer"}, "subjects": [{"kind": "Group", "name": "system:unauthenticated"}]}"#, .pass),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", #"{"roleRef": {"kind": "Role", "name": "reader"}, "subjects": [{"kind": "Group", "name": "devs"}, {"kind": "ServiceAccount", "name": "app", "namespace": "apps"}]}"#, .pass),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", #"{"roleRef": {"kind": "Role", "name": "reader"}, "subjects": [{"kind": "Group", "name": \#(Baseline.unknown)}]}"#, .indeterminate),
            ]),
        types: KubernetesTypes.bindings
    ) { binding, _ in
        let role = try binding.string("roleRef.name") ?? "a role"
        if publicDefaultRoles.contains(role) { return .pass }
        var broad: [String] = []
        for (i, subject) in try binding.value("subjects").requireElements("subjects").enumerated() {
            if let name = try subject["name"].requireString("subjects[\(i)].name"), broadSubjects.contains(name) { broad.append(name) }
        }
        return .check(broad.isEmpty, "\(binding.name) grants \(role) to \(broad.joined(separator: ", ")).")
    }

    static let rbacNoEscalationVerbs = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-rbac-no-escalate-bind-impersonate", "Roles do not grant escalate, bind or impersonate.", .high,
            rationale: "`escalate` and `bind` let a subject grant itself permissions it lacks; `impersonate` lets it act as any user, group or service account.",
            remediation: "Remove the verbs; grant them only to cluster administrators, scoped with `resourceNames`.",
            frameworks: [BaselineFrameworks.cisKubernetes("5.1.8"), nist("AC-6")],
            examples: [
                Baseline.ex(clusterRole, #"{"rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}"#, .pass),
                Baseline.ex(clusterRole, #"{"rules": [{"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}]}"#, .violation),
                Baseline.ex("kubernetes:rbac.authorization.k8s.io/v1:Role", #"{"rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["bind", "escalate"]}]}"#, .violation),
            ]),
        types: KubernetesTypes.roles
    ) { role, _ in
        let risky: Set<String> = ["escalate", "bind", "impersonate"]
        return .violations(try rules(role).compactMap { rule in
            let found = rule.verbs.filter(risky.contains)
            return found.isEmpty ? nil : "\(role.name) rule \(rule.index) grants \(found.joined(separator: ", "))."
        })
    }

    static let serviceNoNodePort = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-service-no-node-port", "Services are not of type NodePort.", .medium,
            rationale: "A NodePort opens the port on every node's address, bypassing ingress controllers and load balancer controls.",
            remediation: "Use a ClusterIP Service behind an Ingress, or a LoadBalancer with source ranges.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Network separation and hardening"), nist("SC-7")],
            examples: [
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "ClusterIP"}}"#, .pass),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "NodePort"}}"#, .violation),
            ]),
        types: [KubernetesTypes.service]
    ) { service, _ in
        .check(try service.string("spec.type") != "NodePort", "Service \(service.name) is a NodePort.")
    }

    static let serviceNoLoadBalancer = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-service-no-load-balancer", "Services are not of type LoadBalancer.", .low,
            rationale: "Each LoadBalancer Service provisions its own cloud load balancer (cost, a public address by default, and an entry point outside the Ingress controller's TLS, authentication and logging). `kubernetes-service-load-balancer-source-ranges` judges only the internet-facing ones; this policy asks for none at all.",
            remediation: "Expose the Service through an Ingress or Gateway (type ClusterIP), or exempt the Services that must have their own load balancer.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Network separation and hardening")],
            examples: [
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "ClusterIP"}}"#, .pass),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"ports": [{"port": 80}]}}"#, .pass, "ClusterIP by default"),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["203.0.113.0/24"]}}"#, .violation),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": \#(Baseline.unknown)}}"#, .indeterminate),
            ],
            equivalents: compliance("kubernetes-core-v1-service-disallow-load-balancer")),
        types: [KubernetesTypes.service]
    ) { service, _ in
        .check(try service.string("spec.type") != "LoadBalancer", "Service \(service.name) is a LoadBalancer.")
    }

    /// Annotations that make a cloud load balancer internal.
    static let internalLoadBalancerAnnotations: [(key: String, value: String?)] = [
        ("service.beta.kubernetes.io/aws-load-balancer-internal", nil), ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
        ("networking.gke.io/load-balancer-type", "Internal"), ("cloud.google.com/load-balancer-type", "Internal"),
        ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),
    ]

    static let serviceLoadBalancerSourceRanges = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-service-load-balancer-source-ranges", "Internet-facing LoadBalancer Services restrict source ranges.", .medium,
            rationale: "A LoadBalancer Service without source ranges is reachable from the whole internet.",
            remediation: "Set `spec.loadBalancerSourceRanges`, make the load balancer internal, or put the Service behind an Ingress.",
            frameworks: [BaselineFrameworks.nsaKubernetes("Network separation and hardening"), nist("SC-7")],
            examples: [
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["203.0.113.0/24"]}}"#, .pass),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "LoadBalancer"}}"#, .violation),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "LoadBalancer", "loadBalancerSourceRanges": ["0.0.0.0/0"]}}"#, .violation),
                Baseline.ex(KubernetesTypes.service, #"{"metadata": {"annotations": {"networking.gke.io/load-balancer-type": "Internal"}}, "spec": {"type": "LoadBalancer"}}"#, .pass),
                Baseline.ex(KubernetesTypes.service, #"{"spec": {"type": "ClusterIP"}}"#, .notApplicable),
            ]),
        types: [KubernetesTypes.service]
    ) { service, _ in
        guard try service.string("spec.type") == "LoadBalancer" else { return .notApplicable("not a LoadBalancer Service") }
        let annotations = try service.value("metadata.annotations")
        for (key, value) in internalLoadBalancerAnnotations {
            if let actual = annotations[key].string, value == nil || actual.lowercased() == value!.lowercased() { return .pass }
        }
        let ranges = try service.value("spec.loadBalancerSourceRanges").requireElements("spec.loadBalancerSourceRanges").compactMap(\.string)
        return .check(!ranges.isEmpty && !ranges.contains(where: BaselineNetwork.isAnywhere),
                      "LoadBalancer Service \(service.name) is open to the internet (no restrictive loadBalancerSourceRanges).")
    }

    static let ingressTLS = SwiftResourcePolicy(
        Baseline.descriptor("kubernetes-ingress-tls", "Ingresses terminate TLS.", .medium,
            rationale: "An Ingress without TLS serves its hosts over plain HTTP.",
            remediation: "Add `spec.tls` with the hosts and a certificate Secret (e.g. issued by cert-manager).",
            frameworks: [BaselineFrameworks.nsaKubernetes("Network separation and hardening"), nist("SC-8")],
            examples: [
                Baseline.ex("kubernetes:networking.k8s.io/v1:Ingress", #"{"spec": {"tls": [{"hosts": ["a.example.com"], "secretName": "a-tls"}]}}"#, .pass),
                Baseline.ex("kubernetes:networking.k8s.io/v1:Ingress", #"{"spec": {"rules": [{"host": "a.example.com"}]}}"#, .violation),
                Baseline.ex("kubernetes:extensions/v1beta1:Ingress", #"{"spec": {"tls": []}}"#, .violation),
            ]),
        types: KubernetesTypes.ingresses
    ) { ingress, _ in
        .check(try ingress.value("spec.tls").count ?? 0 > 0, "Ingress \(ingress.name) has no TLS configuration.")
    }
}
