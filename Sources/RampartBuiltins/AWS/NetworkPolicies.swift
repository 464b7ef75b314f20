import RampartPolicy

extension AWSBaseline {
    static var networkPolicies: [any Policy] {
        [sgNoPublicSSH, sgNoPublicRDP, sgNoPublicAllPorts, sgNoPublicDatabasePorts, sgNoPublicIngress, sgNoHTTPIngress, sgDescribed,
         sgRulesDescribed, sgNoUnrestrictedEgress, defaultSecurityGroupClosed, naclNoPublicAdminPorts, vpcFlowLogs, subnetNoAutoPublicIP]
    }

    static let sgRule = SecurityGroups.rule
    static let openRule = #"{"type": "ingress", "securityGroupId": "sg-1", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}"#

    /// A security-group exposure policy over every shape; examples cover inline, joined and preview forms.
    static func openIngressPolicy(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference],
                                  what: String, from: Int, to: Int, schema: ConfigSchema = ConfigSchema(), extra: [PolicyExample] = [],
                                  equivalents: [PolicyEquivalent] = [], rationale: String? = nil, showPorts: Bool = false, note: String = "",
                                  exposes: @escaping @Sendable (IngressPermission, PolicyConfig) -> Bool) -> SwiftResourcePolicy {
        let sg = SecurityGroups.group
        let open = #"{"ingress": [{"protocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrBlocks": ["0.0.0.0/0"]}]}"#
        return SwiftResourcePolicy(
            baseline(name, description, severity: severity, frameworks: frameworks,
                     rationale: (rationale ?? "Anyone on the internet can reach \(what) behind this group and try credentials or exploits against it.") + note,
                     remediation: "Allow \(what) only from known CIDRs, a VPN or bastion security group, or use SSM Session Manager / private endpoints.",
                     schema: schema,
                     examples: [
                         example(sg, #"{"ingress": [{"protocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrBlocks": ["10.0.0.0/8"]}]}"#, .pass),
                         example(sg, open, .violation, "inline rule"),
                         example(sg, #"{"ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": ["::/0"]}]}"#, .violation, "all traffic from ::/0"),
                         example(SecurityGroups.nativeGroup, #"{"securityGroupIngress": [{"ipProtocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrIp": "0.0.0.0/0"}]}"#, .violation),
                         joined(.violation, "standalone vpc ingress rule joined to its group",
                                ExampleResource("web", type: sg, properties: #"{"name": "web", "ingress": []}"#),
                                ExampleResource("r", type: SecurityGroups.ingressRule, properties: #"{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrIpv4": "0.0.0.0/0"}"#,
                                                propertyDependencies: ["securityGroupId": ["web"]])),
                         joined(.notApplicable, "the rule is reported on its group",
                                ExampleResource("r", type: SecurityGroups.ingressRule, properties: #"{"securityGroupId": "sg-1", "ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}"#,
                                                propertyDependencies: ["securityGroupId": ["web"]]),
                                ExampleResource("web", type: sg, properties: #"{"name": "web"}"#)),
                         example(sgRule, #"{"type": "ingress", "securityGroupId": "sg-outside", "protocol": "tcp", "fromPort": \#(max(from - 1, 0)), "toPort": \#(min(to + 1, 65535)), "cidrBlocks": ["0.0.0.0/0"]}"#,
                                 .violation, "rule for a group outside the stack, port in range"),
                         example(sgRule, #"{"type": "egress", "securityGroupId": "sg-1", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}"#, .pass),
                         joined(.indeterminate, "preview: the rule's CIDR is unknown", preview: true,
                                ExampleResource("web", type: sg, properties: #"{"ingress": []}"#),
                                ExampleResource("r", type: SecurityGroups.ingressRule, properties: #"{"securityGroupId": "\#(unknown)", "ipProtocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrIpv4": "\#(unknown)"}"#,
                                                propertyDependencies: ["securityGroupId": ["web"]])),
                         joined(.indeterminate, "preview: a rule's group is unknown and no dependency recorded", preview: true,
                                ExampleResource("web", type: sg, properties: #"{"ingress": []}"#),
                                ExampleResource("r", type: sgRule, properties: #"{"type": "ingress", "securityGroupId": "\#(unknown)", "protocol": "tcp", "fromPort": 1, "toPort": 2, "cidrBlocks": ["10.0.0.0/8"]}"#)),
                     ] + extra,
                     equivalents: equivalents),
            types: SecurityGroups.all
        ) { subject, config in
            SecurityGroups.openIngressOutcome(subject, what: what, showPorts: showPorts) { exposes($0, config) }
        }
    }

    static let sgNoPublicSSH = openIngressPolicy(
        "security-group-no-public-ssh", "Security groups do not allow SSH (22) from 0.0.0.0/0 or ::/0.", severity: .high,
        frameworks: [cis("5.2"), cis("5.3")], what: "SSH (port 22)", from: 22, to: 22) { p, _ in p.exposes(22) }

    static let sgNoPublicRDP = openIngressPolicy(
        "security-group-no-public-rdp", "Security groups do not allow RDP (3389) from 0.0.0.0/0 or ::/0.", severity: .high,
        frameworks: [cis("5.2"), cis("5.3")], what: "RDP (port 3389)", from: 3389, to: 3389) { p, _ in p.exposes(3389, protocols: IngressPermission.tcpOrUDP) }

    static let sgNoPublicAllPorts = openIngressPolicy(
        "security-group-no-public-all-ports", "Security groups do not allow every port from 0.0.0.0/0 or ::/0.", severity: .critical,
        frameworks: [cis("5.2"), cis("5.3")], what: "every port", from: 0, to: 65535,
        extra: [example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}"#, .pass, "one public port")],
        note: " A single public port such as 443 is allowed on purpose (a public web endpoint needs it); SSH, RDP and database ports have their own policies. Pulumi's compliance-ready `disallow-public-internet-ingress` flags any world-open port, so its 443 cases differ by design."
    ) { p, _ in p.exposesAllPorts }

    static let databasePorts: [ConfigValue] = [3306, 5432, 1433, 1521, 5439, 6379, 11211, 27017, 9200, 9042].map { .number(Double($0)) }
    static let sgNoPublicDatabasePorts = openIngressPolicy(
        "security-group-no-public-database-ports", "Security groups do not expose database ports to 0.0.0.0/0 or ::/0.", severity: .high,
        frameworks: [], what: "a database port", from: 5432, to: 5432,
        schema: ConfigSchema(properties: ["ports": ConfigProperty(type: .array(items: .integer), description: "Ports that count as database ports.", default: .array(databasePorts))])
    ) { p, config in
        (config["ports"]?.array ?? databasePorts).compactMap(\.number).contains { p.exposes($0.clampedInt) }
    }

    static let sgNoPublicIngress = openIngressPolicy(
        "security-group-no-public-ingress", "Security groups allow no ingress from 0.0.0.0/0 or ::/0, on any port.", severity: .critical,
        frameworks: frameworks("hitrust", "iso27001", "pcidss"), what: "its ports", from: 443, to: 443,
        schema: ConfigSchema(properties: ["allowedPorts": ConfigProperty(type: .array(items: .integer), description: "Ports that may be open to the internet (e.g. 443 on a public load balancer's group).", default: .array([]))]),
        extra: [example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}"#, .pass,
                        "an allowed public port", config: ["allowedPorts": .array([.number(443)])]),
                example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 80, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}"#, .violation,
                        "a range wider than the allowed ports", config: ["allowedPorts": .array([.number(443)])])],
        equivalents: compliance("aws-ec2-securitygroup-disallow-public-internet-ingress"),
        rationale: "Every port open to 0.0.0.0/0 or ::/0 is reachable by anyone on the internet; the narrower policies catch administration, database and all-port exposures, this one any exposure, as Pulumi's compliance-ready policy does. `allowedPorts` lists ports that are meant to be public (443 on an internet-facing load balancer).",
        showPorts: true
    ) { p, config in
        let allowed = Set((config["allowedPorts"]?.array ?? []).compactMap(\.number).map(\.clampedInt))
        guard !p.allProtocols, !allowed.isEmpty, p.from <= p.to else { return true }
        return !(p.from...p.to).allSatisfy(allowed.contains)
    }

    static let sgNoHTTPIngress = SwiftResourcePolicy(
        baseline("security-group-no-http-ingress", "Security groups do not allow inbound HTTP (port 80), from any source.", severity: .critical,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "Port 80 carries plain HTTP: requests, cookies and credentials cross the network unencrypted, inside the VPC as much as from the internet. Only TCP rules whose port range covers 80 count: an all-protocol rule (EKS node-to-node traffic, say) is not an HTTP service, and from the internet it is `security-group-no-public-all-ports`'s finding. A public load balancer's HTTP-to-HTTPS redirect listener is the usual exception: exempt that group.",
                 remediation: "Serve HTTPS (443) instead and remove the port-80 rule; keep a redirect listener only where it is needed, with an exemption.",
                 examples: [
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "TCP", "fromPort": 443, "toPort": 443, "description": "https"}]}"#, .pass),
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "TCP", "fromPort": 80, "toPort": 80}]}"#, .violation, "any source"),
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 79, "toPort": 81, "cidrBlocks": ["10.0.0.0/8"]}]}"#, .violation, "80 inside the range"),
                     example(SecurityGroups.nativeGroup, #"{"securityGroupIngress": [{"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "cidrIp": "0.0.0.0/0"}]}"#, .violation),
                     example(sgRule, #"{"type": "egress", "securityGroupId": "sg-1", "protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]}"#, .pass, "egress"),
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}]}"#, .pass, "all traffic between members: not an HTTP service"),
                     joined(.violation, "standalone rule joined to its group",
                            ExampleResource("web", type: SecurityGroups.group, properties: #"{"ingress": []}"#),
                            ExampleResource("r", type: SecurityGroups.ingressRule, properties: #"{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "referencedSecurityGroupId": "sg-2"}"#,
                                            propertyDependencies: ["securityGroupId": ["web"]])),
                     joined(.indeterminate, "preview: a rule's group is unknown and no dependency recorded", preview: true,
                            ExampleResource("web", type: SecurityGroups.group, properties: #"{"ingress": []}"#),
                            ExampleResource("r", type: sgRule, properties: #"{"type": "ingress", "securityGroupId": "\#(unknown)", "protocol": "tcp", "fromPort": 22, "toPort": 22}"#)),
                 ],
                 equivalents: compliance("aws-ec2-securitygroup-disallow-inbound-http-traffic")),
        types: SecurityGroups.all
    ) { subject, _ in
        SecurityGroups.ingressOutcome(subject, what: "HTTP (port 80)", worldOnly: false, showPorts: true) { !$0.allProtocols && $0.exposes(80) }
    }

    static let sgDescribed = describedPolicy(
        baseline("security-group-described", "Security groups carry a description.", severity: .low,
                 rationale: "A group's description says what it protects and why its rules exist, which reviews of network exposure depend on. The AWS provider's default (\"Managed by Pulumi\") counts as none, so a preview and a state export of the same program agree.",
                 remediation: "Set `description` (aws-native: `groupDescription`); changing it replaces the group.",
                 examples: [
                     example(SecurityGroups.group, #"{"description": "Web tier: HTTPS from the load balancer"}"#, .pass),
                     example(SecurityGroups.group, #"{"vpcId": "vpc-1"}"#, .violation),
                     example(SecurityGroups.group, #"{"description": "Managed by Pulumi"}"#, .violation, "the provider default"),
                     example(SecurityGroups.nativeGroup, #"{"groupDescription": "Database tier"}"#, .pass),
                 ],
                 equivalents: compliance("aws-ec2-securitygroup-missing-description")),
        paths: [SecurityGroups.group: "description", SecurityGroups.nativeGroup: "groupDescription"],
        placeholders: ["Managed by Pulumi", "Managed by Terraform"]
    ) { _ in "Security group" }

    static let sgRulesDescribed = SwiftResourcePolicy(
        baseline("security-group-rules-described", "Security group ingress and egress rules carry a description.", severity: .low,
                 rationale: "A rule's description says who needs the access it opens; without it, nobody can tell a stale rule from a needed one. Inline rules are checked on their group, standalone rule resources on themselves.",
                 remediation: "Set `description` on every `ingress` and `egress` entry (aws-native: `securityGroupIngress`/`securityGroupEgress`) and on standalone rule resources.",
                 examples: [
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "description": "HTTPS from the LB"}], "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "description": "all out"}]}"#, .pass),
                     example(SecurityGroups.group, #"{"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443}]}"#, .violation, "ingress rule"),
                     example(SecurityGroups.group, #"{"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "description": ""}]}"#, .violation, "egress rule"),
                     example(SecurityGroups.nativeGroup, #"{"securityGroupIngress": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22}]}"#, .violation),
                     example(SecurityGroups.ingressRule, #"{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "description": "HTTPS"}"#, .pass),
                     example("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", #"{"securityGroupId": "sg-1", "ipProtocol": "-1"}"#, .violation),
                 ],
                 equivalents: compliance("aws-ec2-securitygroup-missing-ingress-rule-description", "aws-ec2-securitygroup-missing-egress-rule-description")),
        types: SecurityGroups.groups + [sgRule, SecurityGroups.ingressRule, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                                        SecurityGroups.nativeIngress, "aws-native:ec2:SecurityGroupEgress"]
    ) { subject, _ in
        guard SecurityGroups.groups.contains(subject.type) else {
            return .check(try subject.props.at("description").requireText("description"), "Security group rule \(subject.name) has no description.")
        }
        let native = subject.type == SecurityGroups.nativeGroup
        var undescribed: [String] = []
        for (kind, path) in [("ingress", native ? "securityGroupIngress" : "ingress"), ("egress", native ? "securityGroupEgress" : "egress")] {
            for (i, rule) in try subject.value(path).requireElements(path).enumerated()
            where try !rule["description"].requireText("\(path)[\(i)].description") {
                undescribed.append("\(kind) #\(i)")
            }
        }
        return .check(undescribed.isEmpty, "Security group \(subject.name) has rules without a description: \(undescribed.joined(separator: ", ")).")
    }
}
