import RampartPolicy

extension AWSBaseline {
    static var loadBalancerPolicies: [any Policy] { [listenerNoPlainHTTP, classicELBMultiAZ, classicELBHealthCheck] }

    static let nativeListener = "aws-native:elasticloadbalancingv2:Listener"
    static let listenerRules = [
        "aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule",
        "aws:elasticloadbalancingv2/listenerRule:ListenerRule", "aws:applicationloadbalancing/listenerRule:ListenerRule",
    ]
    static let nativeListenerRule = "aws-native:elasticloadbalancingv2:ListenerRule"
    static let listenerRuleJoin = ReferenceIndex.Query(types: listenerRules, property: "listenerArn")
    static let nativeListenerRuleJoin = ReferenceIndex.Query(types: [nativeListenerRule], property: "listenerArn")

    static let listenerNoPlainHTTP = SwiftResourcePolicy(
        baseline("lb-listener-no-plain-http", "Load balancer listeners do not serve plain HTTP; an HTTP listener only redirects to HTTPS.",
                 severity: .critical, frameworks: frameworks("iso27001", "pcidss"),
                 rationale: """
                 A listener whose protocol is HTTP carries requests, cookies and responses unencrypted; forwarding them to a target \
                 group (by the default action or by a listener rule) serves the application over plain HTTP. An HTTP listener whose \
                 every action redirects to HTTPS is the standard way to upgrade clients and passes, unless `allowRedirectToHTTPS` is \
                 false (then every HTTP listener is flagged, as Pulumi's compliance-ready policy does). The protocol decides, not the \
                 port: an HTTPS listener on port 80 is encrypted and passes, where the compliance-ready policy flags any port-80 \
                 listener. A listener without `protocol` is HTTP (the application load balancer default) when it has a port; \
                 gateway load balancer listeners have neither.
                 """,
                 remediation: "Serve the application on an HTTPS listener (with `certificateArn` and a TLS 1.2+ `sslPolicy`), and give the HTTP listener one default action `{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }` (aws-native: `redirectConfig`) and no forwarding rules.",
                 schema: ConfigSchema(properties: [
                     "allowRedirectToHTTPS": ConfigProperty(type: .boolean, description: "Accept an HTTP listener whose every action redirects to HTTPS (false: flag every HTTP listener).", default: .bool(true)),
                 ]),
                 examples: [
                     example("aws:lb/listener:Listener", #"{"port": 443, "protocol": "HTTPS", "defaultActions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}"#, .pass),
                     example("aws:alb/listener:Listener", #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]}"#, .pass),
                     example("aws:lb/listener:Listener", #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}"#, .violation),
                     example("aws:alb/listener:Listener", #"{"port": 8080, "defaultActions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}"#, .violation, "no protocol: HTTP"),
                     example("aws:lb/listener:Listener", #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"port": "8443"}}]}"#, .violation, "redirect keeps the protocol (#{protocol})"),
                     example(nativeListener, #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}"#, .violation),
                     example(nativeListener, #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "statusCode": "HTTP_301"}}]}"#, .pass),
                     example("aws:lb/listener:Listener", #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS"}}]}"#, .violation,
                             "strict mode", config: ["allowRedirectToHTTPS": .bool(false)]),
                     example("aws:lb/listener:Listener", #"{"port": 80, "protocol": "HTTPS", "certificateArn": "arn:c"}"#, .pass, "the protocol decides, not the port"),
                     example("aws:lb/listener:Listener", #"{"port": 22, "protocol": "TCP"}"#, .notApplicable),
                     joined(.violation, "a listener rule forwards over plain HTTP",
                            ExampleResource("http", type: "aws:lb/listener:Listener", properties: #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS"}}]}"#),
                            ExampleResource("api", type: "aws:lb/listenerRule:ListenerRule", properties: #"{"listenerArn": "arn:l", "actions": [{"type": "forward", "targetGroupArn": "arn:tg"}]}"#,
                                            propertyDependencies: ["listenerArn": ["http"]])),
                     joined(.indeterminate, "preview: a rule's listener is unknown", preview: true,
                            ExampleResource("http", type: "aws:lb/listener:Listener", properties: #"{"port": 80, "protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS"}}]}"#),
                            ExampleResource("api", type: "aws:lb/listenerRule:ListenerRule", properties: #"{"listenerArn": "\#(unknown)", "actions": [{"type": "forward"}]}"#)),
                 ],
                 equivalents: compliance("aws-alb-listener-disallow-unencrypted-traffic", "aws-lb-listener-disallow-unencrypted-traffic")),
        types: AWSTypes.listeners + [nativeListener]
    ) { listener, config in
        let proto: String
        if let given = try listener.string("protocol") {
            proto = given.uppercased()
        } else {
            guard !(try listener.value("port")).isAbsent else { return .notApplicable("no protocol and no port (gateway load balancer listener)") }
            proto = "HTTP"
        }
        if proto == "HTTPS" || proto == "TLS" { return .pass }
        guard proto == "HTTP" else { return .notApplicable("\(proto) listener: not HTTP") }
        let message = "Listener \(listener.name) serves plain HTTP"
        if config.bool("allowRedirectToHTTPS") == false { return .violation("\(message).") }
        if let problem = try plainHTTPAction(listener.value("defaultActions"), "defaultActions", native: listener.type == nativeListener) {
            return .violation("\(message): its default action \(problem).")
        }
        let native = listener.type == nativeListener
        let rules = AWSJoin.referrers(to: listener, native ? nativeListenerRuleJoin : listenerRuleJoin, keys: listener.keys("listenerArn"))
        for rule in rules.matches {
            if let problem = try plainHTTPAction(rule.value("actions"), "\(rule.name).actions", native: native) {
                return .violation("\(message): listener rule \(rule.name) \(problem).")
            }
        }
        return rules.undecided.map { .indeterminate($0) } ?? .pass
    }

    /// What is wrong with the actions of a plain-HTTP listener or rule (nil when every action redirects to HTTPS).
    static func plainHTTPAction(_ actions: PropertyLookup, _ path: String, native: Bool) throws(PolicyControl) -> String? {
        let list = try actions.requireElements(path)
        if list.isEmpty { return "is missing (nothing redirects to HTTPS)" }
        for (i, action) in list.enumerated() {
            let type = try action["type"].requireString("\(path)[\(i)].type") ?? "?"
            guard type == "redirect" else { return "is \(type), not a redirect to HTTPS" }
            let redirect = action[native ? "redirectConfig" : "redirect"].single
            let target = try redirect["protocol"].requireString("\(path)[\(i)].redirect.protocol") ?? "#{protocol}"
            if target.uppercased() != "HTTPS" { return "redirects to \(target), not HTTPS" }
        }
        return nil
    }

    static let classicELBMultiAZ = SwiftResourcePolicy(
        baseline("elb-classic-multiple-availability-zones", "Classic load balancers span at least two availability zones.", severity: .high,
                 frameworks: frameworks("hitrust"),
                 rationale: "A load balancer in one availability zone goes down with that zone, and so does everything behind it. In a VPC the zones are those of `subnets` (one subnet per zone), so two subnets mean two zones.",
                 remediation: "List at least two `availabilityZones`, or (in a VPC) `subnets` in two availability zones.",
                 examples: [
                     example(AWSTypes.classicLoadBalancers[0], #"{"availabilityZones": ["us-west-2a", "us-west-2b"]}"#, .pass),
                     example(AWSTypes.classicLoadBalancers[0], #"{"subnets": ["subnet-a", "subnet-b"]}"#, .pass, "VPC load balancer"),
                     example(AWSTypes.classicLoadBalancers[0], #"{"availabilityZones": ["us-west-2a"]}"#, .violation),
                     example(AWSTypes.classicLoadBalancers[1], #"{}"#, .violation),
                     joined(.pass, "preview: subnet ids unknown, still two subnets", preview: true,
                            ExampleResource("lb", type: AWSTypes.classicLoadBalancers[0], properties: #"{"subnets": ["\#(unknown)", "\#(unknown)"]}"#)),
                 ],
                 equivalents: compliance("aws-elb-loadbalancer-configure-multi-availability-zone")),
        types: AWSTypes.classicLoadBalancers
    ) { lb, _ in
        let zones = try lb.value("availabilityZones").distinctEntryCount
        let subnets = try lb.value("subnets").distinctEntryCount
        return .check(max(zones, subnets) >= 2, "Classic load balancer \(lb.name) is in a single availability zone.")
    }

    static let classicELBHealthCheck = SwiftResourcePolicy(
        baseline("elb-classic-health-check", "Classic load balancers declare a health check.", severity: .high,
                 frameworks: frameworks("hitrust"),
                 rationale: "The health check is how the load balancer stops sending traffic to a failed instance; declaring it makes the probe (target, interval, thresholds) explicit and reviewable instead of an implicit TCP default.",
                 remediation: "Set `healthCheck: { target: \"HTTP:8080/health\", interval, timeout, healthyThreshold, unhealthyThreshold }`.",
                 examples: [
                     example(AWSTypes.classicLoadBalancers[0], #"{"healthCheck": {"target": "HTTP:8000/", "interval": 30, "timeout": 3, "healthyThreshold": 2, "unhealthyThreshold": 2}}"#, .pass),
                     example(AWSTypes.classicLoadBalancers[0], #"{"healthCheck": [{"target": "TCP:443"}]}"#, .pass, "list of one"),
                     example(AWSTypes.classicLoadBalancers[0], #"{"listeners": [{"lbPort": 443, "lbProtocol": "https"}]}"#, .violation),
                 ],
                 equivalents: compliance("aws-elb-loadbalancer-enable-health-check")),
        types: AWSTypes.classicLoadBalancers
    ) { lb, _ in
        let target = try lb.value("healthCheck").single["target"].requireString("healthCheck.target") ?? ""
        return .check(!target.isEmpty, "Classic load balancer \(lb.name) declares no health check.")
    }
}
