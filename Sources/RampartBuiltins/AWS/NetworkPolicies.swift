import RampartPolicy

extension AWSBaseline {
    static var networkPolicies: [any Policy] {
        [sgNoPublicSSH, sgNoPublicRDP, sgNoPublicAllPorts, sgNoPublicDatabasePorts, sgNoUnrestrictedEgress,
         defaultSecurityGroupClosed, naclNoPublicAdminPorts, vpcFlowLogs, subnetNoAutoPublicIP]
    }

    static let sgRule = SecurityGroups.rule
    static let openRule = #"{"type": "ingress", "securityGroupId": "sg-1", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}"#

    /// A security-group exposure policy over every shape; examples cover inline, joined and preview forms.
    static func openIngressPolicy(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference],
                                  what: String, from: Int, to: Int, schema: ConfigSchema = ConfigSchema(), extra: [PolicyExample] = [], note: String = "",
                                  exposes: @escaping @Sendable (IngressPermission, PolicyConfig) -> Bool) -> SwiftResourcePolicy {
        let sg = SecurityGroups.group
        let open = #"{"ingress": [{"protocol": "tcp", "fromPort": \#(from), "toPort": \#(to), "cidrBlocks": ["0.0.0.0/0"]}]}"#
        return SwiftResourcePolicy(
            baseline(name, description, severity: severity, frameworks: frameworks,
                     rationale: "Anyone on the internet can reach \(what) behind this group and try credentials or exploits against it." + note,
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
                     ] + extra),
            types: SecurityGroups.all
        ) { subject, config in
            SecurityGroups.openIngressOutcome(subject, what: what) { exposes($0, config) }
        }
    }

    static let sgNoPublicSSH = openIngressPolicy(
        "security-group-no-public-ssh", "Security groups do not allow SSH (22) from 0.0.0.0/0 or ::/0.", severity: .high,
        frameworks: [cis("5.2"), cis("5.3")], what: "SSH (port 22)", from: 22, to: 22) { p, _ in p.exposes(22) }

    static let sgNoPublicRDP = openIngressPolicy(
        "security-group-no-public-rdp", "Security groups do not allow RDP (3389) from 0.0.0.0/0 or ::/0.", severity: .high,
        frameworks: [cis("5.2"), cis("5.3")], what: "RDP (port 3389)", from: 3389, to: 3389) { p, _ in p.exposes(3389, protocols: ["tcp", "6", "udp", "17"]) }

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
        (config["ports"]?.array ?? databasePorts).compactMap(\.number).contains { p.exposes(Int($0)) }
    }
}
