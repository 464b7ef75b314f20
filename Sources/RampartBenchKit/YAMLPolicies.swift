import Foundation
import RampartPolicy

/// A generated YAML pack of `count` policies over the synthetic state's types, and one YAML/Swift policy pair that
/// check the same thing, for comparing compiled rules with Swift-defined policies.
public enum YAMLPolicies {
    /// Condition templates by type: (type token, validate condition as YAML flow text).
    static let templates: [(type: String, condition: String)] = [
        ("aws:s3/bucket:Bucket", "{ path: acl, notEquals: public-read }"),
        ("aws:s3/bucket:Bucket", "{ path: versioning.enabled, equals: true }"),
        ("aws:s3/bucketV2:BucketV2", "{ path: tags.team, exists: true }"),
        ("aws:ec2/instance:Instance", "{ path: metadataOptions.httpTokens, equals: required }"),
        ("aws:ec2/instance:Instance", "{ path: rootBlockDevice.encrypted, equals: true }"),
        ("aws:ec2/securityGroup:SecurityGroup", "{ path: ingress, none: { all: [ { path: cidrBlocks, contains: \"0.0.0.0/0\" }, { path: fromPort, lessOrEqual: 22 }, { path: toPort, greaterOrEqual: 22 } ] } }"),
        ("aws:iam/role:Role", "{ path: maxSessionDuration, lessOrEqual: 43200 }"),
        ("aws:rds/instance:Instance", "{ all: [ { path: storageEncrypted, equals: true }, { path: publiclyAccessible, notEquals: true } ] }"),
        ("aws:lambda/function:Function", "{ path: tracingConfig.mode, equals: Active }"),
        ("aws:ebs/volume:Volume", "{ path: encrypted, equals: true }"),
        ("aws:dynamodb/table:Table", "{ path: pointInTimeRecovery.enabled, equals: true }"),
        ("kubernetes:apps/v1:Deployment", "{ path: spec.template.spec.containers, every: { path: securityContext.privileged, notEquals: true } }"),
        ("kubernetes:core/v1:Service", "{ path: spec.type, notIn: [NodePort, LoadBalancer] }"),
        ("aws:kms/key:Key", "{ path: enableKeyRotation, equals: true }"),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "{ all: [ { path: blockPublicAcls, equals: true }, { path: restrictPublicBuckets, equals: true } ] }"),
        ("random:index/randomPassword:RandomPassword", "{ path: length, greaterOrEqual: 16 }"),
        ("aws:s3/bucket:Bucket", "{ path: tags.env, in: [dev, prod, staging] }"),
        ("aws:lambda/function:Function", "{ path: runtime, matches: \"^(nodejs20|python3\\\\.1[2-9])\" }"),
        ("aws:ec2/instance:Instance", "{ path: tags.cost-center, startsWith: cc- }"),
        ("aws:ec2/securityGroup:SecurityGroup", "{ path: description, isEmpty: false }"),
    ]

    /// Writes a pack directory with `count` policies (templates cycled) and returns its path.
    public static func writePack(count: Int, to directory: String) throws -> String {
        let root = directory + "/yaml-pack-\(count)"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var text = "name: bench-yaml\nversion: 1.0.0\ndescription: Generated policies for rampart-bench\nenforcementLevel: advisory\npolicies:\n"
        for i in 0..<count {
            let t = templates[i % templates.count]
            text += """
              - name: rule-\(i)
                description: generated rule \(i)
                severity: medium
                resources: { types: ["\(t.type)"] }
                validate: \(t.condition)
                message: "{{ type }} {{ name }} breaks rule \(i)"

            """
        }
        try text.write(toFile: root + "/pack.yaml", atomically: true, encoding: .utf8)
        return root
    }

    /// The Swift twin of the YAML rule `{ path: encrypted, equals: true }` on EBS volumes.
    public static let swiftEBSEncrypted = SwiftResourcePolicy(
        PolicyDescriptor(name: "ebs-encrypted-swift", description: "EBS volumes are encrypted."),
        types: ["aws:ebs/volume:Volume"]
    ) { resource, _ in
        switch resource.props["encrypted"] {
        case .unknown, .encrypted: return .indeterminate("encrypted is not known")
        case .value(let v) where v.bool == true: return .pass
        default: return .violation("\(resource.type) \(resource.name) is not encrypted")
        }
    }

    public static func writeEBSPack(to directory: String) throws -> String {
        let root = directory + "/yaml-ebs"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let text = """
        name: bench-ebs
        version: 1.0.0
        description: One rule, the twin of a Swift policy
        policies:
          - name: ebs-encrypted-yaml
            description: EBS volumes are encrypted.
            resources: { types: ["aws:ebs/volume:Volume"] }
            validate: { path: encrypted, equals: true }
            message: "{{ type }} {{ name }} is not encrypted"

        """
        try text.write(toFile: root + "/pack.yaml", atomically: true, encoding: .utf8)
        return root
    }
}
