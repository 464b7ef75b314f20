import RampartPolicy

extension AWSBaseline {
    static var computePolicies: [any Policy] {
        [imdsv2, instanceNotPubliclyAddressed, instanceVolumesEncrypted, launchTemplateVolumesEncrypted, launchTemplateNoPublicIP,
         ebsVolumeEncrypted, ebsEncryptionByDefault, amiNotPublic, ebsVolumeCMK, launchTemplateVolumesCMK]
    }

    static let ec2 = "aws:ec2/instance:Instance"
    static let launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
    /// Subnets, known by id, ARN or subnet id (an instance's `subnetId`).
    static let subnetKeys = KeyIndex.Query(types: ["aws:ec2/subnet:Subnet"], fields: ["subnetId"])
    static let nativeLaunchTemplate = "aws-native:ec2:LaunchTemplate"
    static let launchConfiguration = "aws:ec2/launchConfiguration:LaunchConfiguration"

    static let imdsv2 = SwiftResourcePolicy(
        baseline("ec2-imdsv2-required", "EC2 instances and launch templates require IMDSv2 session tokens.", severity: .high,
                 frameworks: [cis("5.6", version: "2.0.0")],
                 rationale: "IMDSv1 answers any GET from the instance, so a server-side request forgery hands out the instance role's credentials; IMDSv2 requires a PUT-issued token.",
                 remediation: "Set `metadataOptions: { httpTokens: \"required\" }` (aws-native: `launchTemplateData.metadataOptions.httpTokens`).",
                 examples: [
                     example(ec2, #"{"metadataOptions": {"httpTokens": "required"}}"#, .pass),
                     example(ec2, #"{"metadataOptions": {"httpTokens": "optional"}}"#, .violation),
                     example(ec2, #"{}"#, .violation, "the provider default is optional"),
                     example(launchTemplate, #"{"metadataOptions": {"httpTokens": "required"}}"#, .pass),
                     example(nativeLaunchTemplate, #"{"launchTemplateData": {"metadataOptions": {"httpTokens": "optional"}}}"#, .violation),
                     example(ec2, #"{"metadataOptions": {"httpEndpoint": "disabled"}}"#, .pass, "metadata service off"),
                 ]),
        types: [ec2, launchTemplate, nativeLaunchTemplate]
    ) { subject, _ in
        let prefix = subject.type == nativeLaunchTemplate ? "launchTemplateData.metadataOptions" : "metadataOptions"
        if try subject.string("\(prefix).httpEndpoint") == "disabled" { return .pass }
        return .check(try subject.string("\(prefix).httpTokens") == "required", "\(subject.name) does not require IMDSv2 (httpTokens is not \"required\").")
    }

    static let instanceNotPubliclyAddressed = SwiftResourcePolicy(
        baseline("ec2-instance-not-publicly-addressed", "EC2 instances get no public IP, directly or from their subnet.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "An instance with a public address is one security-group rule away from the internet. `associatePublicIpAddress` left unset takes the subnet's `mapPublicIpOnLaunch`: by default Rampart resolves it from the subnet when the stack has it (and passes when it does not); `requireExplicitOptOut: true` instead requires `associatePublicIpAddress: false` on every instance, as Pulumi's compliance-ready policy does.",
                 remediation: "Set `associatePublicIpAddress: false`, or launch into a subnet without `mapPublicIpOnLaunch`; publish through a load balancer.",
                 schema: ConfigSchema(properties: ["requireExplicitOptOut": ConfigProperty(type: .boolean, description: "Treat an unset associatePublicIpAddress as public, whatever the subnet.", default: .bool(false))]),
                 examples: [
                     example(ec2, #"{"associatePublicIpAddress": false}"#, .pass),
                     example(ec2, #"{"associatePublicIpAddress": true}"#, .violation),
                     example(ec2, #"{"subnetId": "subnet-outside"}"#, .violation, "strict mode: unset counts as public", config: ["requireExplicitOptOut": .bool(true)]),
                     joined(.violation, "public through its subnet", ExampleResource("vm", type: ec2, properties: #"{"subnetId": "subnet-1"}"#, propertyDependencies: ["subnetId": ["public"]]),
                            ExampleResource("public", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                     joined(.pass, "private subnet joined by id", ExampleResource("vm", type: ec2, properties: #"{"subnetId": "private-id"}"#),
                            ExampleResource("private", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": false}"#)),
                     joined(.indeterminate, "preview: the subnet is unknown", preview: true,
                            ExampleResource("vm", type: ec2, properties: #"{"subnetId": "\#(unknown)"}"#),
                            ExampleResource("public", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                 ],
                 equivalents: compliance("aws-ec2-instance-disallow-public-ip")),
        types: [ec2]
    ) { vm, config in
        if let explicit = try vm.bool("associatePublicIpAddress") {
            return .check(!explicit, "EC2 instance \(vm.name) has a public IP address.")
        }
        if config.bool("requireExplicitOptOut") == true {
            return .violation("EC2 instance \(vm.name) does not set associatePublicIpAddress: false, so its subnet decides whether it gets a public IP.")
        }
        guard let subnets = AWSJoin.targets(of: vm, property: "subnetId", subnetKeys) else {
            return .indeterminate("subnetId is not known")
        }
        for subnet in subnets where try subnet.bool("mapPublicIpOnLaunch") == true {
            return .violation("EC2 instance \(vm.name) gets a public IP from subnet \(subnet.name) (mapPublicIpOnLaunch).")
        }
        return .pass
    }

    static let instanceVolumesEncrypted = SwiftResourcePolicy(
        baseline("ec2-instance-volumes-encrypted", "EC2 instance root and EBS block devices are encrypted.", severity: .high,
                 frameworks: [cis("2.2.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "Unencrypted volumes and their snapshots expose data to whoever obtains a copy.",
                 remediation: "Set `encrypted: true` on `rootBlockDevice` and every `ebsBlockDevices` entry, or turn on EBS encryption by default.",
                 examples: [
                     example(ec2, #"{"rootBlockDevice": {"encrypted": true}, "ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": "true"}]}"#, .pass),
                     example(ec2, #"{"rootBlockDevice": {"encrypted": false}}"#, .violation),
                     example(ec2, #"{"ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": false}]}"#, .violation),
                     example(ec2, #"{}"#, .pass, "no block devices declared: the AMI's and the account default apply"),
                 ],
                 equivalents: compliance("aws-ec2-instance-disallow-unencrypted-block-device", "aws-ec2-instance-disallow-unencrypted-root-block-device")),
        types: [ec2]
    ) { vm, _ in
        .violations(try AWSChecks.unencryptedInstanceVolumes(vm, kmsId: nil, rootRequired: false))
    }

    static let launchTemplateVolumesEncrypted = SwiftResourcePolicy(
        baseline("ec2-launch-template-volumes-encrypted", "Launch templates and configurations encrypt their EBS volumes.", severity: .high,
                 frameworks: [cis("2.2.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "Every instance launched from the template inherits its unencrypted volumes.",
                 remediation: "Set `blockDeviceMappings[].ebs.encrypted: \"true\"` (launch configurations: `rootBlockDevice.encrypted`, `ebsBlockDevices[].encrypted`).",
                 examples: [
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true"}}]}"#, .pass, "string boolean"),
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "false"}}]}"#, .violation),
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"volumeSize": 20}}]}"#, .violation),
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/sdb", "virtualName": "ephemeral0"}]}"#, .pass, "instance store"),
                     example(launchConfiguration, #"{"rootBlockDevice": {"encrypted": false}}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-launchconfiguration-disallow-unencrypted-block-device", "aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device", "aws-ec2-launchtemplate-disallow-unencrypted-block-device")),
        types: [launchTemplate, launchConfiguration]
    ) { template, _ in
        if template.type != launchTemplate {
            return .violations(try AWSChecks.unencryptedInstanceVolumes(template, kmsId: nil, rootRequired: false))
        }
        var messages: [String] = []
        for (i, mapping) in try template.value("blockDeviceMappings").requireElements("blockDeviceMappings").enumerated() {
            let ebs = try mapping["ebs"].require("blockDeviceMappings[\(i)].ebs")
            if ebs.isAbsent { continue }
            if try ebs["encrypted"].requireBool("blockDeviceMappings[\(i)].ebs.encrypted") != true {
                messages.append("Launch template \(template.name) volume \(mapping["deviceName"].string ?? "#\(i)") is not encrypted.")
            }
        }
        return .violations(messages)
    }

    static let launchTemplateNoPublicIP = SwiftResourcePolicy(
        baseline("ec2-launch-template-no-public-ip", "Launch templates and configurations do not assign public IP addresses.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "Every instance launched from the template or launch configuration gets a public address.",
                 remediation: "Set `networkInterfaces[].associatePublicIpAddress: \"false\"` (launch configurations: `associatePublicIpAddress: false`) or leave it unset in a private subnet.",
                 examples: [
                     example(launchTemplate, #"{"networkInterfaces": [{"associatePublicIpAddress": "false"}]}"#, .pass),
                     example(launchTemplate, #"{"networkInterfaces": [{"associatePublicIpAddress": "true"}]}"#, .violation, "string boolean (pulumi-aws#2257)"),
                     example(nativeLaunchTemplate, #"{"launchTemplateData": {"networkInterfaces": [{"associatePublicIpAddress": true}]}}"#, .violation),
                     example(launchConfiguration, #"{"imageId": "ami-1", "associatePublicIpAddress": false}"#, .pass),
                     example(launchConfiguration, #"{"imageId": "ami-1", "associatePublicIpAddress": true}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-launchtemplate-disallow-public-ip", "aws-ec2-launchconfiguration-disallow-public-ip")),
        types: [launchTemplate, nativeLaunchTemplate, launchConfiguration]
    ) { template, _ in
        if template.type == launchConfiguration {
            return .check(try template.bool("associatePublicIpAddress") != true, "Launch configuration \(template.name) assigns a public IP address.")
        }
        let path = template.type == nativeLaunchTemplate ? "launchTemplateData.networkInterfaces" : "networkInterfaces"
        for (i, interface) in try template.value(path).requireElements(path).enumerated()
        where try interface["associatePublicIpAddress"].requireBool("\(path)[\(i)].associatePublicIpAddress") == true {
            return .violation("Launch template \(template.name) assigns a public IP address (network interface #\(i)).")
        }
        return .pass
    }

    static let ebsVolumeEncrypted = SwiftResourcePolicy(
        baseline("ebs-volume-encrypted", "EBS volumes are encrypted.", severity: .high, frameworks: [cis("2.2.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "An unencrypted volume and every snapshot of it hold data in clear.",
                 remediation: "Set `encrypted: true` (with `kmsKeyId` for a customer-managed key); encryption is chosen at creation.",
                 examples: [
                     example("aws:ebs/volume:Volume", #"{"encrypted": true}"#, .pass),
                     example("aws:ebs/volume:Volume", #"{"encrypted": false}"#, .violation),
                     example("aws-native:ec2:Volume", #"{"encrypted": "false"}"#, .violation),
                 ],
                 equivalents: compliance("aws-ebs-volume-disallow-unencrypted-volume", "awsnative-ec2-volume-disallow-unencrypted-volume")),
        types: ["aws:ebs/volume:Volume", "aws-native:ec2:Volume"]
    ) { volume, _ in
        .check(try volume.bool("encrypted") == true, "EBS volume \(volume.name) is not encrypted.")
    }

    static let ebsEncryptionByDefault = SwiftResourcePolicy(
        baseline("ebs-encryption-by-default-enabled", "EBS encryption by default is not turned off.", severity: .medium, frameworks: [cis("2.2.1"), nist("SC-28")],
                 rationale: "Encryption by default makes every new volume and snapshot copy in the region encrypted, whatever its template says.",
                 remediation: "Set `enabled: true` on `aws:ebs/encryptionByDefault:EncryptionByDefault`.",
                 examples: [
                     example("aws:ebs/encryptionByDefault:EncryptionByDefault", #"{"enabled": true}"#, .pass),
                     example("aws:ebs/encryptionByDefault:EncryptionByDefault", #"{"enabled": false}"#, .violation),
                 ]),
        types: ["aws:ebs/encryptionByDefault:EncryptionByDefault"]
    ) { setting, _ in
        .check(try setting.bool("enabled") ?? true, "EBS encryption by default is turned off by \(setting.name).")
    }

    static let amiNotPublic = SwiftResourcePolicy(
        baseline("ec2-ami-not-public", "AMIs are not shared with everyone.", severity: .high,
                 frameworks: [nist("AC-3")],
                 rationale: "A public AMI lets any AWS account launch copies of the image, with whatever data and credentials were baked in.",
                 remediation: "Share the image with named accounts (`accountId`) or an organization, not the group `all`.",
                 examples: [
                     example("aws:ec2/amiLaunchPermission:AmiLaunchPermission", #"{"imageId": "ami-1", "accountId": "123456789012"}"#, .pass),
                     example("aws:ec2/amiLaunchPermission:AmiLaunchPermission", #"{"imageId": "ami-1", "group": "all"}"#, .violation),
                 ]),
        types: ["aws:ec2/amiLaunchPermission:AmiLaunchPermission"]
    ) { permission, _ in
        .check(try permission.string("group") != "all", "AMI launch permission \(permission.name) makes the image public.")
    }

    static let ebsVolumeCMK = SwiftResourcePolicy(
        baseline("ebs-volume-customer-managed-key", "Encrypted EBS volumes use a customer-managed KMS key.", severity: .low, frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 level: .disabled,
                 rationale: "Without `kmsKeyId`, EBS encrypts with the AWS-managed key `aws/ebs`, whose policy the account cannot restrict and which cannot be shared, so snapshots cannot be shared across accounts either. Opt-in, like the pack's other customer-managed-key policies; an unencrypted volume is `ebs-volume-encrypted`'s finding.",
                 remediation: "Set `kmsKeyId` to a customer-managed key (the key is chosen at creation; re-create from a snapshot copy to change it).",
                 examples: [
                     example("aws:ebs/volume:Volume", #"{"encrypted": true, "kmsKeyId": "\#(kmsKeyARN)"}"#, .pass),
                     example("aws:ebs/volume:Volume", #"{"encrypted": true}"#, .violation),
                     example("aws:ebs/volume:Volume", #"{"encrypted": true, "kmsKeyId": "alias/aws/ebs"}"#, .violation, "AWS-managed key"),
                     example("aws-native:ec2:Volume", #"{"encrypted": true, "kmsKeyId": ""}"#, .violation),
                     example("aws-native:ec2:Volume", #"{"encrypted": false}"#, .notApplicable, "not encrypted: ebs-volume-encrypted reports it"),
                 ],
                 equivalents: compliance("aws-ebs-volume-configure-customer-managed-key", "awsnative-ec2-volume-configure-customer-managed-key")),
        types: ["aws:ebs/volume:Volume", "aws-native:ec2:Volume"]
    ) { volume, _ in
        let key = try volume.string("kmsKeyId")
        guard try volume.bool("encrypted") == true || !(key ?? "").isEmpty else { return .notApplicable("the volume is not encrypted") }
        return .check(KMSKeyReference.isCustomerManaged(key), "EBS volume \(volume.name) is encrypted with the AWS-managed key, not a customer-managed one.")
    }

    static let launchTemplateVolumesCMK = SwiftResourcePolicy(
        baseline("ec2-launch-template-volumes-customer-managed-key", "Encrypted launch template volumes use a customer-managed KMS key.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: "An encrypted volume without `kmsKeyId` uses the AWS-managed key `aws/ebs` in every instance launched from the template. Opt-in, like the pack's other customer-managed-key policies; unencrypted volumes are `ec2-launch-template-volumes-encrypted`'s finding.",
                 remediation: "Set `blockDeviceMappings[].ebs.kmsKeyId` (aws-native: `launchTemplateData.blockDeviceMappings[].ebs.kmsKeyId`) to a customer-managed key.",
                 examples: [
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/sda1", "ebs": {"encrypted": "true", "kmsKeyId": "\#(kmsKeyARN)"}}]}"#, .pass),
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/sda1", "ebs": {"encrypted": "true", "volumeSize": 20}}]}"#, .violation),
                     example(launchTemplate, #"{"blockDeviceMappings": [{"deviceName": "/dev/sda1", "ebs": {"encrypted": "false"}}]}"#, .pass, "unencrypted: ec2-launch-template-volumes-encrypted reports it"),
                     example(nativeLaunchTemplate, #"{"launchTemplateData": {"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": true}}]}}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-launchtemplate-configure-customer-managed-key")),
        types: [launchTemplate, nativeLaunchTemplate]
    ) { template, _ in
        let path = template.type == nativeLaunchTemplate ? "launchTemplateData.blockDeviceMappings" : "blockDeviceMappings"
        var messages: [String] = []
        for (i, mapping) in try template.value(path).requireElements(path).enumerated() {
            let ebs = try mapping["ebs"].require("\(path)[\(i)].ebs")
            guard try ebs["encrypted"].requireBool("\(path)[\(i)].ebs.encrypted") == true else { continue }
            if !KMSKeyReference.isCustomerManaged(try ebs["kmsKeyId"].requireString("\(path)[\(i)].ebs.kmsKeyId")) {
                messages.append("Launch template \(template.name) volume \(mapping["deviceName"].string ?? "#\(i)") is encrypted with the AWS-managed key, not a customer-managed one.")
            }
        }
        return .violations(messages)
    }
}
