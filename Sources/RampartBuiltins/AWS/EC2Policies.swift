import RampartPolicy

extension AWSBaseline {
    static var computePolicies: [any Policy] {
        [imdsv2, instanceNotPubliclyAddressed, instanceVolumesEncrypted, launchTemplateVolumesEncrypted, launchTemplateNoPublicIP,
         ebsVolumeEncrypted, ebsEncryptionByDefault, amiNotPublic]
    }

    static let ec2 = "aws:ec2/instance:Instance"
    static let launchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
    static let nativeLaunchTemplate = "aws-native:ec2:LaunchTemplate"

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
                 frameworks: [nist("SC-7")],
                 rationale: "An instance with a public address is one security-group rule away from the internet. `associatePublicIpAddress` left unset takes the subnet's `mapPublicIpOnLaunch`.",
                 remediation: "Set `associatePublicIpAddress: false`, or launch into a subnet without `mapPublicIpOnLaunch`; publish through a load balancer.",
                 examples: [
                     example(ec2, #"{"associatePublicIpAddress": false}"#, .pass),
                     example(ec2, #"{"associatePublicIpAddress": true}"#, .violation),
                     joined(.violation, "public through its subnet", ExampleResource("vm", type: ec2, properties: #"{"subnetId": "subnet-1"}"#, propertyDependencies: ["subnetId": ["public"]]),
                            ExampleResource("public", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                     joined(.pass, "private subnet joined by id", ExampleResource("vm", type: ec2, properties: #"{"subnetId": "private-id"}"#),
                            ExampleResource("private", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": false}"#)),
                     joined(.indeterminate, "preview: the subnet is unknown", preview: true,
                            ExampleResource("vm", type: ec2, properties: #"{"subnetId": "\#(unknown)"}"#),
                            ExampleResource("public", type: "aws:ec2/subnet:Subnet", properties: #"{"mapPublicIpOnLaunch": true}"#)),
                 ]),
        types: [ec2]
    ) { vm, _ in
        if let explicit = try vm.bool("associatePublicIpAddress") {
            return .check(!explicit, "EC2 instance \(vm.name) has a public IP address.")
        }
        guard let subnets = AWSJoin.targets(of: vm, property: "subnetId", types: ["aws:ec2/subnet:Subnet"], keyFields: ["subnetId"]) else {
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
                     example("aws:ec2/launchConfiguration:LaunchConfiguration", #"{"rootBlockDevice": {"encrypted": false}}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-launchconfiguration-disallow-unencrypted-block-device", "aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device", "aws-ec2-launchtemplate-disallow-unencrypted-block-device")),
        types: [launchTemplate, "aws:ec2/launchConfiguration:LaunchConfiguration"]
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
        baseline("ec2-launch-template-no-public-ip", "Launch templates do not assign public IP addresses.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "Every instance launched from the template gets a public address.",
                 remediation: "Set `networkInterfaces[].associatePublicIpAddress: \"false\"` or leave it unset in a private subnet.",
                 examples: [
                     example(launchTemplate, #"{"networkInterfaces": [{"associatePublicIpAddress": "false"}]}"#, .pass),
                     example(launchTemplate, #"{"networkInterfaces": [{"associatePublicIpAddress": "true"}]}"#, .violation, "string boolean (pulumi-aws#2257)"),
                     example(nativeLaunchTemplate, #"{"launchTemplateData": {"networkInterfaces": [{"associatePublicIpAddress": true}]}}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-launchtemplate-disallow-public-ip")),
        types: [launchTemplate, nativeLaunchTemplate]
    ) { template, _ in
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
}
