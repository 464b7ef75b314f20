import RampartPolicy

extension AWSBaseline {
    static let sgNoUnrestrictedEgress = SwiftResourcePolicy(
        baseline("security-group-no-unrestricted-egress", "Security groups do not allow all outbound traffic to 0.0.0.0/0.", severity: .low,
                 frameworks: [nist("SC-7")],
                 level: .disabled,
                 rationale: "Unrestricted egress lets a compromised workload reach any host to exfiltrate data. Opt-in: AWS creates every group with this rule, and most workloads need some internet access.",
                 remediation: "Replace the allow-all egress rule with rules for the destinations and ports the workload needs.",
                 examples: [
                     example(SecurityGroups.group, #"{"egress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}"#, .pass),
                     example(SecurityGroups.group, #"{"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}"#, .violation),
                     example("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", #"{"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}"#, .violation),
                 ]),
        types: [SecurityGroups.group, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]
    ) { subject, _ in
        if subject.type == SecurityGroups.group {
            let open = try subject.value("egress").requireElements("egress").filter { entry in
                ["-1", "all"].contains(entry["protocol"].string ?? "") && !(entry["cidrBlocks"].strings + entry["ipv6CidrBlocks"].strings).filter(IngressPermission.isWorld).isEmpty
            }
            return .check(open.isEmpty, "Security group \(subject.name) allows all egress to the internet.")
        }
        let all = ["-1", "all"].contains(try subject.string("ipProtocol") ?? "-1")
        let world = [try subject.string("cidrIpv4"), try subject.string("cidrIpv6")].compactMap { $0 }.contains(where: IngressPermission.isWorld)
        return .check(!(all && world), "Egress rule \(subject.name) allows all traffic to the internet.")
    }

    static let defaultSecurityGroupClosed = SwiftResourcePolicy(
        baseline("vpc-default-security-group-closed", "Default security groups allow no traffic.", severity: .medium,
                 frameworks: [cis("5.4"), nist("SC-7")],
                 rationale: "Resources launched without a group land in the default group; if it allows traffic they are reachable by accident.",
                 remediation: "Manage the VPC's default group with `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup` and no `ingress` or `egress` rules.",
                 examples: [
                     example("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", #"{"vpcId": "vpc-1", "ingress": [], "egress": []}"#, .pass),
                     example("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", #"{"ingress": [{"protocol": "-1", "self": true, "fromPort": 0, "toPort": 0}]}"#, .violation),
                 ]),
        types: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]
    ) { group, _ in
        let rules = try group.value("ingress").requireElements("ingress").count + group.value("egress").requireElements("egress").count
        return .check(rules == 0, "Default security group \(group.name) has \(rules) rule(s); it should allow no traffic.")
    }

    static let naclNoPublicAdminPorts = SwiftResourcePolicy(
        baseline("network-acl-no-public-admin-ports", "Network ACLs do not allow SSH or RDP from 0.0.0.0/0 or ::/0.", severity: .medium,
                 frameworks: [cis("5.1"), nist("SC-7")],
                 rationale: "A network ACL that admits remote administration ports from anywhere leaves every instance in its subnets one security-group mistake from exposure.",
                 remediation: "Deny (or do not allow) ports 22 and 3389 from 0.0.0.0/0 and ::/0 in the ACL's ingress entries.",
                 examples: [
                     example("aws:ec2/networkAcl:NetworkAcl", #"{"ingress": [{"ruleNo": 100, "action": "allow", "protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlock": "0.0.0.0/0"}]}"#, .pass),
                     example("aws:ec2/networkAcl:NetworkAcl", #"{"ingress": [{"ruleNo": 50, "action": "deny", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlock": "0.0.0.0/0"}, {"ruleNo": 100, "action": "allow", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlock": "0.0.0.0/0"}]}"#,
                             .violation, "22 denied first, but 3389 still allowed"),
                     example("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", #"{"ingress": [{"ruleNo": 100, "action": "allow", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlock": "0.0.0.0/0"}]}"#, .violation),
                     example("aws:ec2/networkAclRule:NetworkAclRule", #"{"egress": false, "ruleNumber": 100, "ruleAction": "allow", "protocol": "6", "fromPort": 3389, "toPort": 3389, "cidrBlock": "0.0.0.0/0"}"#, .violation),
                     example("aws:ec2/networkAclRule:NetworkAclRule", #"{"egress": true, "ruleNumber": 100, "ruleAction": "allow", "protocol": "-1", "cidrBlock": "0.0.0.0/0"}"#, .notApplicable),
                 ]),
        types: ["aws:ec2/networkAcl:NetworkAcl", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws:ec2/networkAclRule:NetworkAclRule"]
    ) { acl, _ in
        struct Entry { var number: Double; var allow: Bool; var permission: IngressPermission }
        func entry(_ e: PropertyLookup, number: String, action: String, origin: String) throws(PolicyControl) -> Entry {
            let cidrs = [try e["cidrBlock"].requireString("cidrBlock"), try e["ipv6CidrBlock"].requireString("ipv6CidrBlock")].compactMap { $0 }
            // `protocol` is a string ("tcp", "6", "-1") in state, a number in some inputs.
            let protoNumber = try e["protocol"].requireNumber("protocol")
            let proto = try e["protocol"].requireString("protocol") ?? protoNumber.map { String($0.clampedInt) } ?? "-1"
            return Entry(number: try e[number].requireNumber(number) ?? 0, allow: try e[action].requireString(action) == "allow",
                         permission: IngressPermission(proto: proto.lowercased(), from: (try e["fromPort"].requireNumber("fromPort") ?? 0).clampedInt,
                                                       to: (try e["toPort"].requireNumber("toPort") ?? 65535).clampedInt, cidrs: cidrs, origin: origin))
        }
        var entries: [Entry] = []
        if acl.type == "aws:ec2/networkAclRule:NetworkAclRule" {
            guard try acl.bool("egress") != true else { return .notApplicable("egress rule") }
            entries = [try entry(acl.props, number: "ruleNumber", action: "ruleAction", origin: "rule \(acl.name)")]
        } else {
            for (i, e) in try acl.value("ingress").requireElements("ingress").enumerated() {
                entries.append(try entry(e, number: "ruleNo", action: "action", origin: "ingress #\(i)"))
            }
        }
        entries.sort { $0.number < $1.number }
        // The lowest-numbered entry that matches a packet decides it.
        var open: [String] = []
        for port in [22, 3389] {
            let decisive = entries.first { $0.permission.exposes(port) && !$0.permission.fromWorld.isEmpty }
            if let decisive, decisive.allow { open.append("\(port) (\(decisive.permission.origin))") }
        }
        return .check(open.isEmpty, "Network ACL \(acl.name) allows from the internet port \(open.joined(separator: ", ")).")
    }

    static let flowLogTypes = ["aws:ec2/flowLog:FlowLog", "aws-native:ec2:FlowLog"]
    static let flowLogJoin = ReferenceIndex.Query(types: [flowLogTypes[0]], property: "vpcId")
    static let nativeFlowLogJoin = ReferenceIndex.Query(types: [flowLogTypes[1]], property: "resourceId")

    static let vpcFlowLogs = SwiftResourcePolicy(
        baseline("vpc-flow-logs-enabled", "VPCs have flow logs.", severity: .medium, frameworks: [cis("3.9"), nist("AU-12")],
                 rationale: "Flow logs record accepted and rejected connections; without them network activity during an incident cannot be traced.",
                 remediation: "Add an `aws:ec2/flowLog:FlowLog` with `vpcId` set to the VPC (aws-native: `resourceId` and `resourceType: VPC`).",
                 examples: [
                     joined(.pass, nil, ExampleResource("vpc", type: "aws:ec2/vpc:Vpc", properties: #"{"cidrBlock": "10.0.0.0/16"}"#),
                            ExampleResource("fl", type: "aws:ec2/flowLog:FlowLog", properties: #"{"vpcId": "vpc-id", "trafficType": "ALL"}"#, propertyDependencies: ["vpcId": ["vpc"]])),
                     joined(.pass, "joined by id", ExampleResource("vpc", type: "aws:ec2/vpc:Vpc", properties: #"{"cidrBlock": "10.0.0.0/16"}"#),
                            ExampleResource("fl", type: "aws-native:ec2:FlowLog", properties: #"{"resourceId": "vpc-id", "resourceType": "VPC"}"#)),
                     example("aws:ec2/vpc:Vpc", #"{"cidrBlock": "10.0.0.0/16"}"#, .violation),
                     joined(.indeterminate, "preview: the flow log's VPC is unknown", preview: true,
                            ExampleResource("vpc", type: "aws:ec2/vpc:Vpc", properties: #"{"cidrBlock": "10.0.0.0/16"}"#),
                            ExampleResource("fl", type: "aws:ec2/flowLog:FlowLog", properties: #"{"vpcId": "\#(unknown)"}"#)),
                     joined(.pass, "preview: joined by dependency", preview: true,
                            ExampleResource("vpc", type: "aws:ec2/vpc:Vpc", properties: #"{"cidrBlock": "10.0.0.0/16"}"#),
                            ExampleResource("fl", type: "aws:ec2/flowLog:FlowLog", properties: #"{"vpcId": "\#(unknown)"}"#, propertyDependencies: ["vpcId": ["vpc"]])),
                 ]),
        types: ["aws:ec2/vpc:Vpc", "aws-native:ec2:VPC"]
    ) { vpc, _ in
        let keys = vpc.keys("vpcId")
        var logs = AWSJoin.referrers(to: vpc, flowLogJoin, keys: keys)
        let native = AWSJoin.referrers(to: vpc, nativeFlowLogJoin, keys: keys)
        logs.matches += native.matches
        logs.undecided = logs.undecided ?? native.undecided
        return joinedOutcome(found: !logs.matches.isEmpty, logs, "VPC \(vpc.name) has no flow log.")
    }

    static let subnetNoAutoPublicIP = SwiftResourcePolicy(
        baseline("subnet-no-auto-public-ip", "Subnets do not give instances public IP addresses automatically.", severity: .low,
                 frameworks: [nist("SC-7")],
                 rationale: "With `mapPublicIpOnLaunch` every instance launched in the subnet gets a public address, whether or not it should be reachable.",
                 remediation: "Set `mapPublicIpOnLaunch: false`; give public addresses explicitly (an EIP, a load balancer) to what must be public.",
                 examples: [
                     example("aws:ec2/subnet:Subnet", #"{"mapPublicIpOnLaunch": false}"#, .pass),
                     example("aws:ec2/subnet:Subnet", #"{}"#, .pass),
                     example("aws:ec2/subnet:Subnet", #"{"mapPublicIpOnLaunch": "true"}"#, .violation, "string boolean"),
                     example("aws-native:ec2:Subnet", #"{"mapPublicIpOnLaunch": true}"#, .violation),
                 ]),
        types: ["aws:ec2/subnet:Subnet", "aws-native:ec2:Subnet"]
    ) { subnet, _ in
        .check(try subnet.bool("mapPublicIpOnLaunch") != true, "Subnet \(subnet.name) assigns public IP addresses on launch.")
    }
}
