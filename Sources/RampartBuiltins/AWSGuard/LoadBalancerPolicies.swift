import RampartPolicy

extension AWSGuard {
    static var loadBalancerPolicies: [any Policy] { [elbLogging, elbDeletionProtection, httpToHttpsRedirection] }

    static let elbLogging = SwiftResourcePolicy(
        awsguard("elb-logging-enabled", "Load balancers (classic, application and network) have access logging enabled.",
                 severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("AU-12")],
                 rationale: "Access logs are the record of who called what through the load balancer; without them an incident cannot be reconstructed. Like AWSGuard, only `accessLogs.enabled` is read: `enabled: true` without a bucket passes (the provider requires a bucket, so that definition cannot be deployed); Pulumi's compliance-ready policy also requires the bucket.",
                 remediation: "Set `accessLogs: { bucket: <bucket>, enabled: true }` on the load balancer.",
                 examples: [
                     example("aws:lb/loadBalancer:LoadBalancer", #"{"accessLogs": {"bucket": "logs", "enabled": true}}"#, .pass),
                     example("aws:alb/loadBalancer:LoadBalancer", #"{"accessLogs": {"bucket": "", "enabled": false}}"#, .violation),
                     example("aws:elasticloadbalancingv2/loadBalancer:LoadBalancer", #"{}"#, .violation),
                     example("aws:elb/loadBalancer:LoadBalancer", #"{"accessLogs": {"bucket": "logs"}}"#, .pass,
                             "classic load balancers enable a configured log block by default"),
                 ],
                 equivalents: compliance("aws-alb-loadbalancer-configure-access-logging", "aws-alb-loadbalancer-enable-access-logging", "aws-elb-loadbalancer-configure-access-logging", "aws-lb-loadbalancer-configure-access-logging", "aws-lb-loadbalancer-enable-access-logging")),
        types: AWSTypes.loadBalancersV2 + AWSTypes.classicLoadBalancers
    ) { lb, _ in
        let logs = try lb.value("accessLogs")
        guard !logs.isAbsent else { return .violation("Elastic Load Balancer must have access logs enabled.") }
        // `enabled` defaults to true for classic load balancers and to false for the v2 API.
        let defaultEnabled = AWSTypes.classicLoadBalancers.contains(lb.type)
        let enabled = try logs["enabled"].requireBool("accessLogs.enabled") ?? defaultEnabled
        return .check(enabled, "Elastic Load Balancer must have access logs enabled.")
    }

    static let elbDeletionProtection = SwiftResourcePolicy(
        awsguard("elb-deletion-protection-enabled", "Application and network load balancers have deletion protection enabled.",
                 severity: .low,
                 rationale: "Deleting a load balancer takes the service behind it offline; protection makes it a deliberate two-step act.",
                 remediation: "Set `enableDeletionProtection: true` on the load balancer.",
                 examples: [
                     example("aws:lb/loadBalancer:LoadBalancer", #"{"enableDeletionProtection": true}"#, .pass),
                     example("aws:alb/loadBalancer:LoadBalancer", #"{"enableDeletionProtection": false}"#, .violation),
                     example("aws:applicationloadbalancing/loadBalancer:LoadBalancer", #"{}"#, .violation),
                 ]),
        types: AWSTypes.loadBalancersV2
    ) { lb, _ in
        .check(try lb.truthy("enableDeletionProtection"), "Elastic Load Balancer must have deletion protection enabled.")
    }

    static let httpToHttpsRedirection = SwiftResourcePolicy(
        awsguard("alb-http-to-https-redirection", "HTTP listeners of load balancers only redirect to HTTPS.", severity: .high,
                 frameworks: [nist("SC-8")],
                 rationale: "Traffic served over plain HTTP can be read and changed on the way; an HTTP listener should do nothing but redirect. Like AWSGuard, the listener's protocol decides, not its port: an HTTPS listener on port 80 is encrypted and passes (Pulumi's compliance-ready policy flags any listener on port 80).",
                 remediation: "Give the HTTP listener exactly one default action: `{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }`.",
                 examples: [
                     example("aws:lb/listener:Listener",
                             #"{"protocol": "HTTP", "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443"}}]}"#, .pass),
                     example("aws:lb/listener:Listener", #"{"protocol": "HTTPS", "defaultActions": [{"type": "forward"}]}"#, .pass),
                     example("aws:alb/listener:Listener", #"{"protocol": "HTTP", "defaultActions": [{"type": "forward"}]}"#, .violation),
                     example("aws:lb/listener:Listener", #"{"protocol": "HTTP", "defaultActions": []}"#, .violation),
                 ]),
        types: AWSTypes.listeners
    ) { listener, _ in
        guard try listener.string("protocol")?.uppercased() == "HTTP" else { return .pass }
        let message = "Application Load Balancer HTTP listeners must redirect to HTTPS (one default action of type 'redirect' with protocol 'HTTPS')."
        let actions = try listener.value("defaultActions").requireElements("defaultActions")
        guard actions.count == 1 else { return .violation(Violation(message)) }
        let type = try actions[0]["type"].requireString("defaultActions[0].type")
        let proto = try actions[0]["redirect"]["protocol"].requireString("defaultActions[0].redirect.protocol")
        return .check(type == "redirect" && proto?.uppercased() == "HTTPS", message)
    }
}
