import RampartModel
import RampartPolicy

/// Hierarchical and network firewall policies: the rules of `gcp:compute/*FirewallPolicyRule` resources, of the
/// `*WithRules` resources, and of google-native firewall policies (any API version: `compute/v1`, `beta`, `alpha`).
extension GCPBaseline {
    static var firewallPolicyPolicies: [any Policy] { [firewallPolicyNoInboundHTTP] }

    /// Resources that are one rule.
    static let firewallPolicyRuleTypes = [
        "gcp:compute/firewallPolicyRule:FirewallPolicyRule", "gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule",
        "gcp:compute/regionNetworkFirewallPolicyRule:RegionNetworkFirewallPolicyRule",
    ]
    /// Resources that hold a `rules` list.
    static let firewallPolicyTypes = [
        "gcp:compute/firewallPolicyWithRules:FirewallPolicyWithRules", "gcp:compute/networkFirewallPolicyWithRules:NetworkFirewallPolicyWithRules",
        "google-native:compute/*:FirewallPolicy", "google-native:compute/*:NetworkFirewallPolicy", "google-native:compute/*:RegionNetworkFirewallPolicy",
    ]

    /// Whether a rule's sources are limited to known addresses: address ranges none of which is "anywhere", or,
    /// without ranges, address groups, secure tags or FQDNs. Region codes (whole countries) do not limit.
    static func sourcesRestricted(_ match: PropertyLookup, _ path: String) throws(PolicyControl) -> Bool {
        let ranges = try match["srcIpRanges"].requireElements(path + ".srcIpRanges")
        if !ranges.isEmpty {
            let texts = try ranges.enumerated().map { i, range throws(PolicyControl) in try range.requireString("\(path).srcIpRanges[\(i)]") ?? "" }
            return !texts.contains(where: BaselineNetwork.isAnywhere)
        }
        for key in ["srcAddressGroups", "srcSecureTags", "srcFqdns"] where try match[key].requireElements(path + "." + key).count > 0 {
            return true
        }
        return false
    }

    /// Why `rule` lets plain HTTP (tcp/80) in from unrestricted sources; nil when it does not.
    static func inboundHTTP(_ rule: PropertyLookup, _ path: String) throws(PolicyControl) -> String? {
        let prefix = path.isEmpty ? "" : path + "."
        if try rule["disabled"].requireBool(prefix + "disabled") == true { return nil }
        guard (try rule["direction"].requireString(prefix + "direction") ?? "INGRESS").uppercased() == "INGRESS" else { return nil }
        // allow and apply_security_profile_group let traffic through; deny and goto_next do not decide it here.
        guard let action = try rule["action"].requireString(prefix + "action")?.lowercased(),
              action == "allow" || action == "apply_security_profile_group" else { return nil }
        let match = try rule["match"].require(prefix + "match")
        if try sourcesRestricted(match, prefix + "match") { return nil }
        for (i, config) in try match["layer4Configs"].requireElements(prefix + "match.layer4Configs").enumerated() {
            let here = "\(prefix)match.layer4Configs[\(i)]"
            let proto = try config["ipProtocol"].requireString(here + ".ipProtocol")?.lowercased() ?? "all"
            guard proto == "all" || proto == "tcp" || proto == "6" else { continue }
            let ports = try config["ports"].requireElements(here + ".ports").compactMap(\.string)
            if ports.isEmpty || ports.contains(where: { BaselineNetwork.covers($0, 80) }) {
                return proto == "all" ? "allows all protocols" : (ports.isEmpty ? "allows every TCP port" : "allows tcp/80")
            }
        }
        return nil
    }

    static let firewallPolicyNoInboundHTTP = SwiftResourcePolicy(
        Baseline.descriptor("gcp-firewall-policy-no-inbound-http", "Firewall policy rules do not let plain HTTP in from anywhere.", .critical,
            rationale: "HTTP (tcp/80) carries credentials, cookies and data in clear text; an allow rule of a hierarchical or network firewall policy applies to every VM under the folder, organization or network. A rule whose sources are limited (specific address ranges, address groups, secure tags, FQDNs) is not a finding; Pulumi's compliance-ready check flags tcp/80 whatever the sources.",
            remediation: "Serve HTTPS (tcp/443) instead, or limit `match.srcIpRanges` to the addresses that need HTTP (a load balancer's health-check and proxy ranges).",
            frameworks: frameworks("cis", "iso27001", "pcidss"),
            examples: [
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"srcIpRanges": ["0.0.0.0/0"], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["443"]}]}}"#, .pass),
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"srcIpRanges": ["0.0.0.0/0"], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["80"]}]}}"#, .violation),
                Baseline.ex("gcp:compute/networkFirewallPolicyRule:NetworkFirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"layer4Configs": [{"ipProtocol": "tcp"}]}}"#, .violation, "every TCP port"),
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"layer4Configs": [{"ipProtocol": "udp", "ports": ["80"]}]}}"#, .pass),
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"srcIpRanges": ["130.211.0.0/22", "35.191.0.0/16"], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["80"]}]}}"#, .pass, "Google load balancer ranges only"),
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "deny", "direction": "INGRESS", "match": {"layer4Configs": [{"ipProtocol": "tcp", "ports": ["80"]}]}}"#, .pass),
                Baseline.ex("google-native:compute/v1:FirewallPolicy", #"{"rules": [{"direction": "INGRESS", "action": "allow", "match": {"layer4Configs": [{"ipProtocol": "tcp", "ports": ["443"]}]}}, {"direction": "INGRESS", "action": "allow", "match": {"layer4Configs": [{"ipProtocol": "tcp", "ports": ["80-90"]}]}}]}"#, .violation),
                Baseline.ex("google-native:compute/beta:FirewallPolicy", #"{"rules": [{"direction": "EGRESS", "action": "allow", "match": {"layer4Configs": [{"ipProtocol": "all"}]}}]}"#, .pass),
                Baseline.ex("gcp:compute/firewallPolicyRule:FirewallPolicyRule", #"{"action": "allow", "direction": "INGRESS", "match": {"srcIpRanges": [\#(Baseline.unknown)], "layer4Configs": [{"ipProtocol": "tcp", "ports": ["80"]}]}}"#, .indeterminate),
            ],
            equivalents: compliance("gcp-compute-firewallpolicyrule-disallow-inbound-http-traffic",
                                    "googlenative-compute-v1-firewallpolicy-disallow-inbound-http-traffic")),
        types: firewallPolicyRuleTypes + firewallPolicyTypes
    ) { resource, _ in
        if firewallPolicyRuleTypes.contains(resource.type) {
            let problem = try inboundHTTP(resource.props, "")
            return .check(problem == nil, "Firewall policy rule \(resource.name) \(problem ?? "") from unrestricted sources (inbound HTTP).")
        }
        var problems: [String] = []
        for (i, rule) in try resource.value("rules").requireElements("rules").enumerated() {
            if let problem = try inboundHTTP(rule, "rules[\(i)]") {
                let label = rule["ruleName"].string ?? rule["priority"].number.map { "priority \(ConfigValue.number($0).rendered)" } ?? "#\(i)"
                problems.append("Firewall policy \(resource.name) rule \(label) \(problem) from unrestricted sources (inbound HTTP).")
            }
        }
        return .violations(problems)
    }
}
