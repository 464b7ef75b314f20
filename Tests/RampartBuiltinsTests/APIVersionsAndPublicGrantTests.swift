import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

@Suite struct APIVersionsPackTests {
    let policy = BuiltinPacks.named("api-versions")?.policy(named: "stable-api-versions")

    func outcome(_ type: String) throws -> Outcome? {
        let policy = try #require(policy)
        return try PolicyExampleRunner.run(policy, example: PolicyExample(type: type, properties: "{}", expect: .violation)).outcomes.first
    }

    func message(_ type: String) throws -> String? {
        if case .violation(let v)? = try outcome(type) { return v.message }
        return nil
    }

    @Test func removedKubernetesAPIsNameTheReleaseThatRemovedThemAndTheReplacement() throws {
        let cases = [
            ("kubernetes:extensions/v1beta1:Deployment", "removed in Kubernetes 1.16 (use apps/v1)"),
            ("kubernetes:extensions/v1beta1:Ingress", "removed in Kubernetes 1.22 (use networking.k8s.io/v1)"),
            ("kubernetes:policy/v1beta1:PodSecurityPolicy", "removed in Kubernetes 1.25"),
            ("kubernetes:batch/v1beta1:CronJob", "removed in Kubernetes 1.25 (use batch/v1)"),
            ("kubernetes:batch/v1beta1:CronJobPatch", "removed in Kubernetes 1.25 (use batch/v1)"),
            ("kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler", "removed in Kubernetes 1.26 (use autoscaling/v2)"),
            ("kubernetes:flowcontrol.apiserver.k8s.io/v1beta2:FlowSchema", "removed in Kubernetes 1.29"),
            ("kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRoleBinding", "removed in Kubernetes 1.22"),
        ]
        for (type, expected) in cases {
            let text = try #require(try message(type), "\(type) is not a violation")
            #expect(text.contains(expected), "\(type): \(text)")
        }
    }

    @Test func previewBetaAndAlphaModulesOfEachProviderAreViolationsAndStableOnesPass() throws {
        for type in ["azure-native:network/v20230201preview:VirtualNetwork", "azure-native:dbforpostgresql/v20220308privatepreview:Server",
                     "google-native:compute/alpha:Instance", "google-native:securitycenter/v1p1beta1:NotificationConfig",
                     "kubernetes:resource.k8s.io/v1alpha2:ResourceClaim", "kubernetes:networking.k8s.io/v1beta1:IngressClassList"] {
            guard case .violation? = try outcome(type) else { Issue.record("\(type) should be a violation"); continue }
        }
        for type in ["azure-native:network/v20230201:VirtualNetwork", "google-native:compute/v1:Instance", "kubernetes:core/v1:Pod",
                     "kubernetes:policy/v1:PodDisruptionBudget"] {
            #expect(try outcome(type) == .pass, "\(type)")
        }
        for type in ["kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig", "kubernetes:yaml/v2:ConfigGroup",
                     "kubernetes:helm.sh/v3:Release", "azure-native:network:VirtualNetwork", "gcp:compute/instance:Instance"] {
            guard case .notApplicable? = try outcome(type) else { Issue.record("\(type) should not be judged"); continue }
        }
    }

    /// The catalogue names the generated upstream families by glob; each glob must match the family's names and
    /// none of the 178 substantive checks (so catalogue scripts count it apart).
    @Test func familyEquivalentsMatchGeneratedNamesOnly() throws {
        let policy = try #require(policy)
        let globs = policy.descriptor.equivalents.map(\.policy)
        #expect(globs.count == 5)
        for generated in ["azurenative-network-v20230201preview-virtualnetwork-disallow-preview-resource",
                          "googlenative-compute-beta-firewallpolicy-disallow-beta-resource",
                          "googlenative-compute-alpha-instance-disallow-alpha-resource",
                          "kubernetes-batch-v1beta1-cronjob-disallow-beta-resource",
                          "kubernetes-batch-v2alpha1-cronjob-disallow-alpha-resource"] {
            #expect(globs.contains { Glob.matches($0, generated) }, "\(generated)")
        }
        for check in ["kubernetes-core-v1-pod-disallow-pod", "googlenative-compute-v1-firewallpolicy-disallow-inbound-http-traffic",
                      "azurenative-compute-disk-disallow-unencrypted-disk"] {
            #expect(!globs.contains { Glob.matches($0, check) }, "\(check)")
        }
    }
}

/// Public grants through separate IAM resources (issue #18): each is reported by some policy of `builtin:gcp`.
@Suite struct GCPPublicGrantTests {
    @Test func everyPublicGrantResourceIsReportedByTheGCPPack() throws {
        let pack = try #require(BuiltinPacks.named("gcp"))
        let grants = [
            ("gcp:storage/bucketIAMBinding:BucketIAMBinding", #"{"bucket": "elsewhere", "role": "roles/storage.objectViewer", "members": ["allUsers"]}"#),
            ("gcp:storage/bucketIAMMember:BucketIAMMember", #"{"bucket": "elsewhere", "role": "roles/storage.objectViewer", "member": "allAuthenticatedUsers"}"#),
            ("gcp:projects/iAMBinding:IAMBinding", #"{"project": "p", "role": "roles/viewer", "members": ["allUsers"]}"#),
            ("gcp:projects/iAMMember:IAMMember", #"{"project": "p", "role": "roles/viewer", "member": "allAuthenticatedUsers"}"#),
            ("gcp:pubsub/topicIAMMember:TopicIAMMember", #"{"topic": "t", "role": "roles/pubsub.subscriber", "member": "allUsers"}"#),
            ("gcp:pubsub/subscriptionIAMBinding:SubscriptionIAMBinding", #"{"subscription": "s", "role": "roles/pubsub.subscriber", "members": ["allUsers"]}"#),
            ("gcp:cloudfunctions/functionIamMember:FunctionIamMember", #"{"cloudFunction": "f", "role": "roles/cloudfunctions.invoker", "member": "allUsers"}"#),
            ("gcp:projects/iAMPolicy:IAMPolicy", #"{"project": "p", "policyData": "{\"bindings\":[{\"role\":\"roles/viewer\",\"members\":[\"allUsers\"]}]}"}"#),
            ("gcp:storage/objectACL:ObjectACL", #"{"bucket": "elsewhere", "object": "o", "roleEntities": ["READER:allUsers"]}"#),
        ]
        for (type, properties) in grants {
            let example = PolicyExample(type: type, properties: properties, expect: .violation)
            var reporters: [String] = []
            for policy in pack.policies {
                guard let resourcePolicy = policy as? any ResourcePolicy, resourcePolicy.types.matches(type) else { continue }
                if try PolicyExampleRunner.run(policy, example: example).passed { reporters.append(policy.descriptor.name) }
            }
            #expect(reporters.count == 1, "\(type): reported by \(reporters)")
        }
    }
}
