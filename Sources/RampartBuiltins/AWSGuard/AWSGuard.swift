import RampartModel
import RampartPolicy

/// `builtin:awsguard`: every AWSGuard (pulumi/pulumi-policy-aws) policy that can be decided offline, under the
/// same policy names and config keys, so a team moving from AWSGuard keeps its `--policy-pack-config` files.
///
/// Differences from AWSGuard, on purpose:
/// - type tokens of every AWS provider major are matched (`aws:lb/*` and `aws:alb/*` beside the removed
///   `aws:elasticloadbalancingv2/*` and `aws:applicationloadbalancing/*`; `aws:s3/bucketV2:BucketV2` beside
///   `aws:s3/bucket:Bucket`), and both the list-of-one and the object shapes of S3 logging are read;
/// - "absent" means the provider default where AWSGuard assumed the worst (API Gateway endpoint type, Redshift
///   encryption and public access under provider v7);
/// - an unknown (preview) or encrypted value gives `indeterminate`, never a guess;
/// - `elasticsearch-in-vpc-only` requires `vpcOptions` to name a subnet; AWSGuard accepts any `vpcOptions`, even
///   `{}` (the state of a deployed public domain records exactly that);
/// - `efs-encrypted` passes only `encrypted: true`, whatever `kmsKeyId` says (AWS rejects a key without it);
/// - resources the stack only reads (preview `read` steps, `.get()` lookups, `external` in state) are not
///   evaluated, as in CrossGuard;
/// - the three policies that call live AWS APIs (`acm-certificate-expiration`, `access-keys-rotated`,
///   `mfa-enabled-for-iam-console-access`) are left out: they cannot be decided offline.
public enum AWSGuard {
    public static let packName = "awsguard"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "AWSGuard's offline policies (pulumi/pulumi-policy-aws), with the same names and config keys.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(packName)")
    }

    static var policies: [any Policy] {
        apiGatewayPolicies + computePolicies + loadBalancerPolicies + databasePolicies + redshiftPolicies
            + storagePolicies + [SecurityGroupRuleConflicts.policy, IAMRolePolicyConflicts.policy]
    }
}

/// Type tokens that name one AWS resource under several provider majors.
enum AWSTypes {
    /// Application/network load balancers (v2 API): `aws:lb` and `aws:alb` are live aliases; the other two
    /// modules existed until provider v6 and still appear in old state.
    static let loadBalancersV2 = [
        "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer",
        "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer", "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
    ]
    /// Classic load balancers.
    static let classicLoadBalancers = ["aws:elb/loadBalancer:LoadBalancer", "aws:elasticloadbalancing/loadBalancer:LoadBalancer"]
    static let listeners = [
        "aws:lb/listener:Listener", "aws:alb/listener:Listener",
        "aws:elasticloadbalancingv2/listener:Listener", "aws:applicationloadbalancing/listener:Listener",
    ]
    static let searchDomains = ["aws:elasticsearch/domain:Domain", "aws:opensearch/domain:Domain"]
    static let buckets = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]
    static let bucketLoggings = ["aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketLogging:BucketLogging"]
}

/// The AWS provider major a resource was created with, from its provider resource's `version` or, failing
/// that, the default provider's URN name (`default_6_63_0`). nil when neither says.
enum AWSProvider {
    static func major(of resource: ResourceContext) -> Int? {
        if let provider = resource.provider, let version = provider.props["version"].string,
           let major = Int(version.prefix { $0.isNumber }) {
            return major
        }
        guard let reference = resource.resource.provider, let urn = URN(reference.urn) else { return nil }
        let name = urn.name
        guard name.hasPrefix("default_") else { return nil }
        return Int(name.dropFirst("default_".count).prefix { $0.isNumber })
    }
}

// MARK: - Descriptor shorthand

/// Builds an AWSGuard descriptor; every AWSGuard policy defaults to the pack level (advisory).
func awsguard(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference] = [],
              rationale: String, remediation: String, schema: ConfigSchema = ConfigSchema(), examples: [PolicyExample],
              equivalents: [PolicyEquivalent] = []) -> PolicyDescriptor {
    PolicyDescriptor(name: name, description: description, severity: severity, rationale: rationale,
                     remediation: remediation, frameworks: frameworks, configSchema: schema, examples: examples,
                     equivalents: [PolicyEquivalent(.awsguard, name)] + equivalents)
}

/// A single-resource example.
func example(_ type: String, _ properties: String, _ expectation: PolicyExample.Expectation, _ note: String? = nil,
             config: [String: ConfigValue] = [:]) -> PolicyExample {
    PolicyExample(type: type, properties: properties, expect: expectation, note: note, config: PolicyConfig(config))
}
