import RampartJSON

/// Generates realistic `pulumi stack export` documents deterministically: a mix of AWS, Kubernetes and random
/// resources with inputs, outputs, tags, nested blocks, provider references, parents and dependencies.
public struct SyntheticState {
    /// Deterministic generator (SplitMix64), so every run measures the same bytes.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func hex(_ count: Int) -> String {
            var s = ""
            while s.count < count { s += String(next(), radix: 16) }
            return String(s.prefix(count))
        }
    }

    public static let types: [(type: String, weight: Int)] = [
        ("aws:s3/bucket:Bucket", 14), ("aws:s3/bucketV2:BucketV2", 6),
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", 6), ("aws:ec2/instance:Instance", 10),
        ("aws:ec2/securityGroup:SecurityGroup", 10), ("aws:iam/role:Role", 10), ("aws:rds/instance:Instance", 5),
        ("aws:lambda/function:Function", 8), ("aws:ebs/volume:Volume", 5), ("aws:dynamodb/table:Table", 4),
        ("kubernetes:apps/v1:Deployment", 8), ("kubernetes:core/v1:Service", 6), ("random:index/randomPassword:RandomPassword", 4),
        ("aws:kms/key:Key", 4),
    ]

    public let project = "bench"
    public let stack = "prod"

    /// How well the generated estate follows the checks of the benchmark's YAML pack.
    public enum Estate: Sendable {
        /// Every setting drawn at random: about a third of all evaluations are violations (a stress test for
        /// building and writing findings).
        case mixed
        /// Resources set up the way the YAML pack expects, except `percent` of them drawn as in `mixed` — closer
        /// to an estate that a policy gate already keeps in shape.
        case mostlyCompliant(misconfiguredPercent: Int)
    }

    public init() {}

    public func export(resourceCount: Int, seed: UInt64 = 42, estate: Estate = .mixed) -> [UInt8] {
        var random = Random(state: seed)
        let weights = SyntheticState.types.flatMap { Array(repeating: $0.type, count: $0.weight) }
        let stackURN = "urn:pulumi:\(stack)::\(project)::pulumi:pulumi:Stack::\(project)-\(stack)"
        let providerURN = "urn:pulumi:\(stack)::\(project)::pulumi:providers:aws::default_6_63_0"
        var w = JSONWriter(style: .pretty(indent: 4))
        w.beginObject()
        w.key("version"); w.number(3)
        w.key("deployment"); w.beginObject()
        w.key("manifest"); w.beginObject()
        w.key("time"); w.string("2026-11-01T10:00:00.000000000Z")
        w.key("magic"); w.string(random.hex(64))
        w.key("version"); w.string("v3.140.0")
        w.endObject()
        w.key("secrets_providers"); w.beginObject()
        w.key("type"); w.string("service")
        w.key("state"); w.beginObject(); w.key("url"); w.string("https://api.pulumi.com"); w.key("owner"); w.string("acme")
        w.key("project"); w.string(project); w.key("stack"); w.string(stack); w.endObject()
        w.endObject()
        w.key("resources"); w.beginArray()
        resource(&w, urn: stackURN, type: "pulumi:pulumi:Stack", custom: false) { _ in }
        let providerID = random.hex(36)
        resource(&w, urn: providerURN, type: "pulumi:providers:aws", custom: true, parent: stackURN, id: providerID) { w in
            w.key("region"); w.string("us-west-2")
            w.key("version"); w.string("6.63.0")
        }
        var previous: String?
        for i in 0..<max(0, resourceCount - 2) {
            let type = weights[random.below(weights.count)]
            let name = "res-\(i)"
            let urn = "urn:pulumi:\(stack)::\(project)::\(type)::\(name)"
            let id = "\(name)-\(random.hex(8))"
            // Every resource names the one provider by its URN and id, as Pulumi writes it. The draw that once made
            // a different id per resource is kept, so the rest of the estate stays what it was.
            _ = random.hex(36)
            let providerRef = providerURN + "::" + providerID
            var propsRandom = Random(state: random.next())
            var compliant = false
            if case .mostlyCompliant(let percent) = estate { compliant = random.below(100) >= percent }
            resource(&w, urn: urn, type: type, custom: true, parent: stackURN, id: id,
                     provider: providerRef, dependency: previous, random: &random) { w in
                var local = propsRandom
                if compliant {
                    SyntheticState.compliantProperties(&w, type: type, name: name, random: &local)
                } else {
                    SyntheticState.properties(&w, type: type, name: name, random: &local)
                }
            }
            propsRandom = Random(state: 0)
            previous = i % 5 == 0 ? urn : previous
        }
        w.endArray()
        w.endObject()
        w.endObject()
        return w.bytes
    }

    private func resource(_ w: inout JSONWriter, urn: String, type: String, custom: Bool, parent: String? = nil,
                          id: String? = nil, provider: String? = nil, dependency: String? = nil,
                          random: inout Random, props: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.key("urn"); w.string(urn)
        w.key("custom"); w.bool(custom)
        if let id { w.key("id"); w.string(id) }
        w.key("type"); w.string(type)
        // Inputs hold what the program set (tags here); outputs hold everything the provider reports.
        w.key("inputs"); w.beginObject(); w.key("tags"); w.beginObject(); w.key("env"); w.string("prod"); w.endObject(); w.endObject()
        w.key("outputs"); w.beginObject(); props(&w)
        if custom { w.key("arn"); w.string("arn:aws:\(type.split(separator: ":")[1]):us-west-2:123456789012:\(random.hex(12))") }
        w.endObject()
        if let parent { w.key("parent"); w.string(parent) }
        if let dependency {
            w.key("dependencies"); w.beginArray(); w.string(dependency); w.endArray()
            w.key("propertyDependencies"); w.beginObject(); w.key("tags"); w.beginArray(); w.string(dependency); w.endArray(); w.endObject()
        }
        if let provider { w.key("provider"); w.string(provider) }
        w.key("created"); w.string("2026-10-01T12:00:00Z")
        w.key("modified"); w.string("2026-10-02T12:00:00Z")
        w.endObject()
    }

    private func resource(_ w: inout JSONWriter, urn: String, type: String, custom: Bool, parent: String? = nil,
                          id: String? = nil, props: (inout JSONWriter) -> Void) {
        var random = Random(state: 1)
        resource(&w, urn: urn, type: type, custom: custom, parent: parent, id: id, random: &random, props: props)
    }

    static func tags(_ w: inout JSONWriter, name: String, random: inout Random) {
        w.key("tags"); w.beginObject()
        w.key("Name"); w.string(name)
        w.key("env"); w.string(random.below(3) == 0 ? "dev" : "prod")
        w.key("team"); w.string(["payments", "search", "platform", "data"][random.below(4)])
        w.endObject()
    }

    static func properties(_ w: inout JSONWriter, type: String, name: String, random: inout Random) {
        tags(&w, name: name, random: &random)
        switch type {
        case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
            w.key("bucket"); w.string(name + "-" + random.hex(6))
            w.key("acl"); w.string(random.below(10) == 0 ? "public-read" : "private")
            w.key("forceDestroy"); w.bool(false)
            w.key("versioning"); w.beginObject(); w.key("enabled"); w.bool(random.below(2) == 0); w.key("mfaDelete"); w.bool(false); w.endObject()
            if random.below(3) > 0 {
                w.key("serverSideEncryptionConfiguration"); w.beginObject(); w.key("rule"); w.beginObject()
                w.key("applyServerSideEncryptionByDefault"); w.beginObject(); w.key("sseAlgorithm"); w.string(random.below(2) == 0 ? "aws:kms" : "AES256")
                w.endObject(); w.key("bucketKeyEnabled"); w.bool(true); w.endObject(); w.endObject()
            }
            w.key("loggings"); w.beginArray()
            if random.below(2) == 0 { w.beginObject(); w.key("targetBucket"); w.string("logs"); w.key("targetPrefix"); w.string(name + "/"); w.endObject() }
            w.endArray()
        case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
            w.key("bucket"); w.string("res-\(random.below(1000))")
            for key in ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] { w.key(key); w.bool(random.below(8) != 0) }
        case "aws:ec2/instance:Instance":
            w.key("ami"); w.string("ami-" + random.hex(17))
            w.key("instanceType"); w.string(["t3.micro", "m5.large", "c5.xlarge"][random.below(3)])
            w.key("associatePublicIpAddress"); w.bool(random.below(4) == 0)
            w.key("ebsOptimized"); w.bool(true)
            w.key("monitoring"); w.bool(random.below(2) == 0)
            w.key("rootBlockDevice"); w.beginObject(); w.key("encrypted"); w.bool(random.below(3) > 0); w.key("volumeSize"); w.number(8 + random.below(100))
            w.key("volumeType"); w.string("gp3"); w.endObject()
            w.key("metadataOptions"); w.beginObject(); w.key("httpTokens"); w.string(random.below(2) == 0 ? "required" : "optional"); w.endObject()
            w.key("userData"); w.string("#!/bin/bash\necho \"hello from \(name)\"\nsystemctl start app\n")
        case "aws:ec2/securityGroup:SecurityGroup":
            w.key("description"); w.string("security group for \(name)")
            w.key("ingress"); w.beginArray()
            for _ in 0..<(1 + random.below(3)) {
                let port = [22, 80, 443, 3389, 5432][random.below(5)]
                w.beginObject(); w.key("protocol"); w.string("tcp"); w.key("fromPort"); w.number(port); w.key("toPort"); w.number(port)
                w.key("cidrBlocks"); w.beginArray(); w.string(random.below(4) == 0 ? "0.0.0.0/0" : "10.0.0.0/8"); w.endArray()
                w.key("ipv6CidrBlocks"); w.beginArray(); w.endArray(); w.key("self"); w.bool(false); w.endObject()
            }
            w.endArray()
            w.key("egress"); w.beginArray(); w.beginObject(); w.key("protocol"); w.string("-1"); w.key("fromPort"); w.number(0); w.key("toPort"); w.number(0)
            w.key("cidrBlocks"); w.beginArray(); w.string("0.0.0.0/0"); w.endArray(); w.endObject(); w.endArray()
        case "aws:iam/role:Role":
            w.key("assumeRolePolicy"); w.string(#"{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"},"Effect":"Allow","Sid":""}]}"#)
            w.key("maxSessionDuration"); w.number(3600)
            w.key("path"); w.string("/")
            w.key("forceDetachPolicies"); w.bool(false)
        case "aws:rds/instance:Instance":
            w.key("engine"); w.string("postgres"); w.key("engineVersion"); w.string("15.4")
            w.key("instanceClass"); w.string("db.t3.micro"); w.key("allocatedStorage"); w.number(20)
            w.key("storageEncrypted"); w.bool(random.below(3) > 0); w.key("publiclyAccessible"); w.bool(random.below(6) == 0)
            w.key("multiAz"); w.bool(random.below(2) == 0); w.key("backupRetentionPeriod"); w.number(random.below(14))
            w.key("password"); w.beginObject(); w.key("4dabf18193072939515e22adb298388d"); w.string("1b47061264138c4ac30d75fd1eb44270")
            w.key("ciphertext"); w.string("v1:" + random.hex(16) + ":" + random.hex(48)); w.endObject()
        case "aws:lambda/function:Function":
            w.key("runtime"); w.string(["nodejs18.x", "python3.12", "nodejs20.x"][random.below(3)])
            w.key("handler"); w.string("index.handler"); w.key("memorySize"); w.number(128 * (1 + random.below(8)))
            w.key("timeout"); w.number(3 + random.below(60))
            w.key("environment"); w.beginObject(); w.key("variables"); w.beginObject()
            w.key("STAGE"); w.string("prod"); w.key("TABLE"); w.string("table-\(random.below(100))"); w.endObject(); w.endObject()
            w.key("tracingConfig"); w.beginObject(); w.key("mode"); w.string(random.below(2) == 0 ? "Active" : "PassThrough"); w.endObject()
        case "aws:ebs/volume:Volume":
            w.key("availabilityZone"); w.string("us-west-2a"); w.key("size"); w.number(10 + random.below(500))
            w.key("encrypted"); w.bool(random.below(3) > 0); w.key("type"); w.string("gp3")
        case "aws:dynamodb/table:Table":
            w.key("billingMode"); w.string("PAY_PER_REQUEST"); w.key("hashKey"); w.string("id")
            w.key("attributes"); w.beginArray(); w.beginObject(); w.key("name"); w.string("id"); w.key("type"); w.string("S"); w.endObject(); w.endArray()
            w.key("serverSideEncryption"); w.beginObject(); w.key("enabled"); w.bool(random.below(2) == 0); w.endObject()
            w.key("pointInTimeRecovery"); w.beginObject(); w.key("enabled"); w.bool(random.below(2) == 0); w.endObject()
        case "kubernetes:apps/v1:Deployment":
            w.key("metadata"); w.beginObject(); w.key("name"); w.string(name); w.key("namespace"); w.string("default"); w.endObject()
            w.key("spec"); w.beginObject(); w.key("replicas"); w.number(1 + random.below(5))
            w.key("template"); w.beginObject(); w.key("spec"); w.beginObject(); w.key("containers"); w.beginArray()
            w.beginObject(); w.key("name"); w.string("app"); w.key("image"); w.string("nginx:1.\(random.below(30))")
            w.key("securityContext"); w.beginObject(); w.key("privileged"); w.bool(random.below(10) == 0)
            w.key("runAsNonRoot"); w.bool(random.below(2) == 0); w.endObject()
            w.key("ports"); w.beginArray(); w.beginObject(); w.key("containerPort"); w.number(8080); w.endObject(); w.endArray()
            w.endObject(); w.endArray(); w.endObject(); w.endObject(); w.endObject()
        case "kubernetes:core/v1:Service":
            w.key("metadata"); w.beginObject(); w.key("name"); w.string(name); w.endObject()
            w.key("spec"); w.beginObject(); w.key("type"); w.string(random.below(4) == 0 ? "LoadBalancer" : "ClusterIP")
            w.key("ports"); w.beginArray(); w.beginObject(); w.key("port"); w.number(80); w.key("targetPort"); w.number(8080); w.endObject(); w.endArray(); w.endObject()
        case "random:index/randomPassword:RandomPassword":
            w.key("length"); w.number(32); w.key("special"); w.bool(true)
            w.key("result"); w.beginObject(); w.key("4dabf18193072939515e22adb298388d"); w.string("1b47061264138c4ac30d75fd1eb44270")
            w.key("ciphertext"); w.string("v1:" + random.hex(16) + ":" + random.hex(64)); w.endObject()
        default:
            w.key("description"); w.string("key for \(name)"); w.key("enableKeyRotation"); w.bool(random.below(2) == 0)
            w.key("deletionWindowInDays"); w.number(7 + random.below(23))
        }
    }

    /// Properties that pass every check of the benchmark's YAML pack (and many of the built-in packs').
    static func compliantProperties(_ w: inout JSONWriter, type: String, name: String, random: inout Random) {
        w.key("tags"); w.beginObject()
        w.key("Name"); w.string(name)
        w.key("env"); w.string("prod")
        w.key("team"); w.string(["payments", "search", "platform", "data"][random.below(4)])
        w.key("cost-center"); w.string("cc-\(100 + random.below(900))")
        w.endObject()
        switch type {
        case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
            w.key("bucket"); w.string(name + "-" + random.hex(6))
            w.key("acl"); w.string("private")
            w.key("forceDestroy"); w.bool(false)
            w.key("versioning"); w.beginObject(); w.key("enabled"); w.bool(true); w.key("mfaDelete"); w.bool(false); w.endObject()
            w.key("serverSideEncryptionConfiguration"); w.beginObject(); w.key("rule"); w.beginObject()
            w.key("applyServerSideEncryptionByDefault"); w.beginObject(); w.key("sseAlgorithm"); w.string("aws:kms")
            w.endObject(); w.key("bucketKeyEnabled"); w.bool(true); w.endObject(); w.endObject()
            w.key("loggings"); w.beginArray()
            w.beginObject(); w.key("targetBucket"); w.string("logs"); w.key("targetPrefix"); w.string(name + "/"); w.endObject()
            w.endArray()
        case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
            w.key("bucket"); w.string("res-\(random.below(1000))")
            for key in ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] { w.key(key); w.bool(true) }
        case "aws:ec2/instance:Instance":
            w.key("ami"); w.string("ami-" + random.hex(17))
            w.key("instanceType"); w.string(["t3.micro", "m5.large", "c5.xlarge"][random.below(3)])
            w.key("associatePublicIpAddress"); w.bool(false)
            w.key("ebsOptimized"); w.bool(true)
            w.key("monitoring"); w.bool(true)
            w.key("rootBlockDevice"); w.beginObject(); w.key("encrypted"); w.bool(true); w.key("volumeSize"); w.number(8 + random.below(100))
            w.key("volumeType"); w.string("gp3"); w.endObject()
            w.key("metadataOptions"); w.beginObject(); w.key("httpTokens"); w.string("required"); w.endObject()
            w.key("userData"); w.string("#!/bin/bash\necho \"hello from \(name)\"\nsystemctl start app\n")
        case "aws:ec2/securityGroup:SecurityGroup":
            w.key("description"); w.string("security group for \(name)")
            w.key("ingress"); w.beginArray()
            w.beginObject(); w.key("protocol"); w.string("tcp"); w.key("fromPort"); w.number(443); w.key("toPort"); w.number(443)
            w.key("cidrBlocks"); w.beginArray(); w.string("10.0.0.0/8"); w.endArray()
            w.key("ipv6CidrBlocks"); w.beginArray(); w.endArray(); w.key("self"); w.bool(false); w.endObject()
            w.endArray()
            w.key("egress"); w.beginArray(); w.beginObject(); w.key("protocol"); w.string("tcp"); w.key("fromPort"); w.number(443); w.key("toPort"); w.number(443)
            w.key("cidrBlocks"); w.beginArray(); w.string("10.0.0.0/8"); w.endArray(); w.endObject(); w.endArray()
        case "aws:rds/instance:Instance":
            w.key("engine"); w.string("postgres"); w.key("engineVersion"); w.string("15.4")
            w.key("instanceClass"); w.string("db.t3.micro"); w.key("allocatedStorage"); w.number(20)
            w.key("storageEncrypted"); w.bool(true); w.key("publiclyAccessible"); w.bool(false)
            w.key("multiAz"); w.bool(true); w.key("backupRetentionPeriod"); w.number(14)
            w.key("password"); w.beginObject(); w.key("4dabf18193072939515e22adb298388d"); w.string("1b47061264138c4ac30d75fd1eb44270")
            w.key("ciphertext"); w.string("v1:" + random.hex(16) + ":" + random.hex(48)); w.endObject()
        case "aws:lambda/function:Function":
            w.key("runtime"); w.string("nodejs20.x")
            w.key("handler"); w.string("index.handler"); w.key("memorySize"); w.number(128 * (1 + random.below(8)))
            w.key("timeout"); w.number(3 + random.below(60))
            w.key("environment"); w.beginObject(); w.key("variables"); w.beginObject()
            w.key("STAGE"); w.string("prod"); w.key("TABLE"); w.string("table-\(random.below(100))"); w.endObject(); w.endObject()
            w.key("tracingConfig"); w.beginObject(); w.key("mode"); w.string("Active"); w.endObject()
        case "aws:ebs/volume:Volume":
            w.key("availabilityZone"); w.string("us-west-2a"); w.key("size"); w.number(10 + random.below(500))
            w.key("encrypted"); w.bool(true); w.key("type"); w.string("gp3")
        case "aws:dynamodb/table:Table":
            w.key("billingMode"); w.string("PAY_PER_REQUEST"); w.key("hashKey"); w.string("id")
            w.key("attributes"); w.beginArray(); w.beginObject(); w.key("name"); w.string("id"); w.key("type"); w.string("S"); w.endObject(); w.endArray()
            w.key("serverSideEncryption"); w.beginObject(); w.key("enabled"); w.bool(true); w.endObject()
            w.key("pointInTimeRecovery"); w.beginObject(); w.key("enabled"); w.bool(true); w.endObject()
        case "kubernetes:apps/v1:Deployment":
            w.key("metadata"); w.beginObject(); w.key("name"); w.string(name); w.key("namespace"); w.string("apps"); w.endObject()
            w.key("spec"); w.beginObject(); w.key("replicas"); w.number(1 + random.below(5))
            w.key("template"); w.beginObject(); w.key("spec"); w.beginObject(); w.key("containers"); w.beginArray()
            w.beginObject(); w.key("name"); w.string("app"); w.key("image"); w.string("registry.example.com/app:1.\(random.below(30)).0")
            w.key("securityContext"); w.beginObject(); w.key("privileged"); w.bool(false)
            w.key("runAsNonRoot"); w.bool(true); w.key("allowPrivilegeEscalation"); w.bool(false)
            w.key("readOnlyRootFilesystem"); w.bool(true); w.endObject()
            w.key("ports"); w.beginArray(); w.beginObject(); w.key("containerPort"); w.number(8080); w.endObject(); w.endArray()
            w.endObject(); w.endArray(); w.endObject(); w.endObject(); w.endObject()
        case "kubernetes:core/v1:Service":
            w.key("metadata"); w.beginObject(); w.key("name"); w.string(name); w.key("namespace"); w.string("apps"); w.endObject()
            w.key("spec"); w.beginObject(); w.key("type"); w.string("ClusterIP")
            w.key("ports"); w.beginArray(); w.beginObject(); w.key("port"); w.number(80); w.key("targetPort"); w.number(8080); w.endObject(); w.endArray(); w.endObject()
        case "random:index/randomPassword:RandomPassword":
            w.key("length"); w.number(32); w.key("special"); w.bool(true)
            w.key("result"); w.beginObject(); w.key("4dabf18193072939515e22adb298388d"); w.string("1b47061264138c4ac30d75fd1eb44270")
            w.key("ciphertext"); w.string("v1:" + random.hex(16) + ":" + random.hex(64)); w.endObject()
        case "aws:kms/key:Key":
            w.key("description"); w.string("key for \(name)"); w.key("enableKeyRotation"); w.bool(true)
            w.key("deletionWindowInDays"); w.number(30)
        case "aws:iam/role:Role":
            w.key("assumeRolePolicy"); w.string(#"{"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":"lambda.amazonaws.com"},"Effect":"Allow","Sid":""}]}"#)
            w.key("maxSessionDuration"); w.number(3600)
            w.key("path"); w.string("/")
            w.key("forceDetachPolicies"); w.bool(false)
        default:
            break
        }
    }
}
