import RampartPolicy

extension AWSGuard {
    static var computePolicies: [any Policy] { [detailedMonitoring, noPublicIP, volumeInUse, encryptedVolumes] }

    static let instance = "aws:ec2/instance:Instance"

    static let detailedMonitoring = SwiftResourcePolicy(
        awsguard("ec2-instance-detailed-monitoring-enabled", "EC2 instances have detailed monitoring enabled.", severity: .low,
                 rationale: "One-minute metrics shorten the time to notice an instance in trouble.",
                 remediation: "Set `monitoring: true` on the instance.",
                 examples: [
                     example(instance, #"{"instanceType": "t3.micro", "monitoring": true}"#, .pass),
                     example(instance, #"{"instanceType": "t3.micro", "monitoring": false}"#, .violation),
                 ]),
        types: [instance]
    ) { ec2, _ in
        .check(try ec2.truthy("monitoring"), "EC2 instances must have detailed monitoring enabled.")
    }

    static let noPublicIP = SwiftResourcePolicy(
        awsguard("ec2-instance-no-public-ip", "EC2 instances do not have a public IP address.", severity: .high,
                 frameworks: [nist("SC-7")],
                 rationale: "An instance with a public address is reachable from the internet, limited only by its security groups.",
                 remediation: "Set `associatePublicIpAddress: false` and reach the instance through a load balancer, bastion or SSM.",
                 examples: [
                     example(instance, #"{"instanceType": "t3.micro", "associatePublicIpAddress": false}"#, .pass),
                     example(instance, #"{"instanceType": "t3.micro"}"#, .pass, "absent means the subnet default; AWSGuard passes it"),
                     example(instance, #"{"instanceType": "t3.micro", "associatePublicIpAddress": true}"#, .violation),
                     example(instance, #"{"associatePublicIpAddress": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}"#, .indeterminate),
                 ]),
        types: [instance]
    ) { ec2, _ in
        .check(!(try ec2.truthy("associatePublicIpAddress")), "EC2 instance must not have a public IP.")
    }

    static let volumeInUse = SwiftResourcePolicy(
        awsguard("ec2-volume-inuse", "EC2 instances have EBS volumes attached, deleted on termination.", severity: .low,
                 rationale: "Volumes left behind after their instance is terminated keep data and cost money with no owner.",
                 remediation: "Attach the instance's data volumes as `ebsBlockDevices` with `deleteOnTermination: true`, or set `checkDeletion: false`.",
                 schema: ConfigSchema(properties: [
                     "checkDeletion": ConfigProperty(type: .boolean, description: "Also require deleteOnTermination on every EBS block device.",
                                                     default: .bool(true)),
                 ]),
                 examples: [
                     example(instance, #"{"ebsBlockDevices": [{"deviceName": "/dev/sdf", "deleteOnTermination": true}]}"#, .pass),
                     example(instance, #"{"ebsBlockDevices": []}"#, .violation),
                     example(instance, #"{"ebsBlockDevices": [{"deviceName": "/dev/sdf", "deleteOnTermination": false}]}"#, .violation),
                     example(instance, #"{"ebsBlockDevices": [{"deviceName": "/dev/sdf"}]}"#, .pass, config: ["checkDeletion": .bool(false)]),
                 ]),
        types: [instance]
    ) { ec2, config in
        let devices = try ec2.value("ebsBlockDevices").requireElements("ebsBlockDevices")
        guard !devices.isEmpty else { return .violation("EC2 instance must have an EBS volume attached.") }
        guard config.bool("checkDeletion") ?? true else { return .pass }
        var messages: [String] = []
        for (i, device) in devices.enumerated() where try device["deleteOnTermination"].requireBool("ebsBlockDevices[\(i)].deleteOnTermination") != true {
            let name = device["deviceName"].string ?? "#\(i)"
            messages.append("EBS volume \(name) must be deleted when its instance is terminated.")
        }
        return .violations(messages)
    }

    static let encryptedVolumes = SwiftResourcePolicy(
        awsguard("encrypted-volumes", "EC2 instance volumes (root and EBS) are encrypted.", severity: .high,
                 frameworks: [nist("SC-28")],
                 rationale: "Unencrypted volumes and their snapshots expose data to anyone who gets hold of the snapshot or disk.",
                 remediation: "Set `rootBlockDevice.encrypted: true` and `encrypted: true` on every `ebsBlockDevices` entry (with `kmsKeyId` when a key is required).",
                 schema: ConfigSchema(properties: [
                     "kmsId": ConfigProperty(type: .string, description: "KMS key id or ARN every volume must be encrypted with."),
                 ]),
                 examples: [
                     example(instance, #"{"rootBlockDevice": {"encrypted": true}, "ebsBlockDevices": [{"encrypted": true}]}"#, .pass),
                     example(instance, #"{"ebsBlockDevices": []}"#, .violation, "no root block device configured"),
                     example(instance, #"{"rootBlockDevice": {"encrypted": true}, "ebsBlockDevices": [{"encrypted": false}]}"#, .violation),
                     example(instance, #"{"rootBlockDevice": {"encrypted": true, "kmsKeyId": "other"}}"#, .violation,
                             config: ["kmsId": .string("arn:aws:kms:us-east-1:123456789012:key/abc")]),
                 ]),
        types: [instance]
    ) { ec2, config in
        .violations(try AWSChecks.unencryptedInstanceVolumes(ec2, kmsId: config.string("kmsId"), rootRequired: true))
    }
}
