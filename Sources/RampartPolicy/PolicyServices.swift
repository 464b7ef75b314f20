/// The cloud service a policy is about, for selection (`--service s3,rds`) and the catalogue.
///
/// A service is the module of a Pulumi type token up to its first `/`, lowercased: `aws:s3/bucketV2:BucketV2` → `s3`,
/// `aws-native:s3:Bucket` → `s3`, `azure-native:storage:StorageAccount` → `storage`, `kubernetes:apps/v1:Deployment`
/// → `apps`, `kubernetes:core/v1:Pod` → `core`. The provider is not part of it, so one name selects a service across
/// the classic and native providers (Pulumi's compliance-policies name services the same way). Names follow the
/// providers' modules, not the marketing names: the v2 load balancers are `lb`, `alb` and `elasticloadbalancingv2`,
/// the classic ones `elb`.
public enum PolicyServices {
    /// The service of one type token or type pattern; nil when the token has no module (`*`, `aws:*`, a bare name)
    /// or its module is a wildcard.
    public static func of(typeToken token: String) -> String? {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let module = parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard !module.isEmpty, !module.contains("*"), !module.contains("?") else { return nil }
        return module.lowercased()
    }

    /// The services of a policy, sorted: those its descriptor declares (stack policies), and for a resource policy
    /// those of its type tokens and patterns. Empty for a policy that is about no particular service (a stack
    /// policy declaring none, a resource policy for every type).
    public static func of(_ policy: any Policy) -> [String] {
        var services = Set(policy.descriptor.services.map { $0.lowercased() })
        if let resource = policy.asResourcePolicy {
            for token in resource.types.exact { if let service = of(typeToken: token) { services.insert(service) } }
            for pattern in resource.types.globs { if let service = of(typeToken: pattern) { services.insert(service) } }
        }
        return services.sorted()
    }
}

extension PolicyDescriptor {
    /// This descriptor with `services` declared: for stack policies, which have no type tokens to derive them from.
    public func declaring(services: String...) -> PolicyDescriptor {
        var copy = self
        copy.services = services
        return copy
    }
}

extension PolicyDescriptor {
    /// This descriptor with the services of `typeTokens` declared: for a stack policy that reads those types.
    public func declaring(servicesOf typeTokens: [String]) -> PolicyDescriptor {
        var copy = self
        copy.services = Array(Set(typeTokens.compactMap(PolicyServices.of(typeToken:)))).sorted()
        return copy
    }
}
