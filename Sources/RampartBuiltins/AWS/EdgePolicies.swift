import RampartPolicy

extension AWSBaseline {
    static var edgePolicies: [any Policy] {
        [cloudfrontViewerHTTPS, cloudfrontMinTLS, cloudfrontLogging, cloudfrontWAF, cloudfrontOriginHTTPS, cloudfrontOriginTLS, listenerTLSPolicy, albDropInvalidHeaders,
         classicELBNoHTTP, searchNodeToNode, searchHTTPS, efsEncrypted, sagemakerNoInternet]
    }

    static let distribution = "aws:cloudfront/distribution:Distribution"
    static let nativeDistribution = "aws-native:cloudfront:Distribution"

    /// aws-native nests everything under `distributionConfig`.
    static func distributionPath(_ d: ResourceContext, _ path: String) -> String {
        d.type == nativeDistribution ? "distributionConfig.\(path)" : path
    }

    static let cloudfrontViewerHTTPS = SwiftResourcePolicy(
        baseline("cloudfront-viewer-https", "CloudFront distributions do not serve viewers over plain HTTP.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "With `allow-all`, viewers can fetch content and send cookies over unencrypted HTTP.",
                 remediation: "Set `viewerProtocolPolicy` to `redirect-to-https` or `https-only` on the default and every ordered cache behaviour.",
                 examples: [
                     example(distribution, #"{"defaultCacheBehavior": {"viewerProtocolPolicy": "redirect-to-https"}, "orderedCacheBehaviors": [{"viewerProtocolPolicy": "https-only"}]}"#, .pass),
                     example(distribution, #"{"defaultCacheBehavior": {"viewerProtocolPolicy": "redirect-to-https"}, "orderedCacheBehaviors": [{"viewerProtocolPolicy": "allow-all"}]}"#, .violation),
                     example(nativeDistribution, #"{"distributionConfig": {"defaultCacheBehavior": {"viewerProtocolPolicy": "allow-all"}}}"#, .violation),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-disallow-unencrypted-traffic", "awsnative-cloudfront-distribution-disallow-unencrypted-traffic")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        var policies = [try d.string(distributionPath(d, "defaultCacheBehavior.viewerProtocolPolicy"))]
        let ordered = distributionPath(d, d.type == nativeDistribution ? "cacheBehaviors" : "orderedCacheBehaviors")
        for behavior in try d.value(ordered).requireElements(ordered) { policies.append(behavior["viewerProtocolPolicy"].string) }
        return .check(!policies.contains("allow-all"), "CloudFront distribution \(d.name) serves content over HTTP (allow-all).")
    }

    static let cloudfrontMinTLS = SwiftResourcePolicy(
        baseline("cloudfront-minimum-tls", "CloudFront distributions accept TLS 1.2 or later only.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "Older TLS versions have known weaknesses; the default certificate allows TLSv1.",
                 remediation: "Use a custom certificate (`viewerCertificate.acmCertificateArn`) with `minimumProtocolVersion: \"TLSv1.2_2021\"`.",
                 examples: [
                     example(distribution, #"{"viewerCertificate": {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1.2_2021"}}"#, .pass),
                     example(distribution, #"{"viewerCertificate": {"acmCertificateArn": "arn:c", "minimumProtocolVersion": "TLSv1"}}"#, .violation),
                     example(distribution, #"{"viewerCertificate": {"cloudfrontDefaultCertificate": true}}"#, .violation, "the default certificate allows TLSv1"),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-configure-secure-tls", "awsnative-cloudfront-distribution-configure-secure-tls")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        let version = try d.string(distributionPath(d, "viewerCertificate.minimumProtocolVersion")) ?? "TLSv1"
        if try d.bool(distributionPath(d, "viewerCertificate.cloudfrontDefaultCertificate")) == true {
            return .violation("CloudFront distribution \(d.name) uses the default certificate, which allows TLSv1.")
        }
        return .check(version.hasPrefix("TLSv1.2") || version.hasPrefix("TLSv1.3"), "CloudFront distribution \(d.name) accepts \(version).")
    }

    static let cloudfrontLogging = SwiftResourcePolicy(
        baseline("cloudfront-access-logging", "CloudFront distributions write access logs.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("AU-12")],
                 rationale: "Access logs record every viewer request; without them abuse of the distribution cannot be traced.",
                 remediation: "Set `loggingConfig: { bucket }` (aws-native: `distributionConfig.logging.bucket`).",
                 examples: [
                     example(distribution, #"{"loggingConfig": {"bucket": "logs.s3.amazonaws.com"}}"#, .pass),
                     example(distribution, #"{}"#, .violation),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-configure-access-logging", "aws-cloudfront-distribution-enable-access-logging", "awsnative-cloudfront-distribution-configure-access-logging", "awsnative-cloudfront-distribution-enable-access-logging")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        .check(try d.truthy(distributionPath(d, d.type == nativeDistribution ? "logging.bucket" : "loggingConfig.bucket")),
               "CloudFront distribution \(d.name) writes no access logs.")
    }

    static let cloudfrontWAF = SwiftResourcePolicy(
        baseline("cloudfront-waf", "CloudFront distributions are protected by a WAF web ACL.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "A web ACL filters common attacks (injection, bad bots, floods) before they reach the origin.",
                 remediation: "Set `webAclId` to a WAFv2 web ACL ARN (scope CLOUDFRONT).",
                 examples: [
                     example(distribution, #"{"webAclId": "arn:aws:wafv2:us-east-1:1:global/webacl/a/b"}"#, .pass),
                     example(distribution, #"{"webAclId": ""}"#, .violation),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-configure-waf", "awsnative-cloudfront-distribution-configure-waf-acl")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        .check(try d.truthy(distributionPath(d, "webAclId")), "CloudFront distribution \(d.name) has no WAF web ACL.")
    }

    static let cloudfrontOriginHTTPS = SwiftResourcePolicy(
        baseline("cloudfront-origin-https", "CloudFront talks to custom origins over HTTPS only.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "With `http-only` or `match-viewer`, content and headers travel between CloudFront and the origin unencrypted.",
                 remediation: "Set `customOriginConfig.originProtocolPolicy: \"https-only\"` on every custom origin.",
                 examples: [
                     example(distribution, #"{"origins": [{"originId": "a", "customOriginConfig": {"originProtocolPolicy": "https-only"}}, {"originId": "s3", "s3OriginConfig": {}}]}"#, .pass),
                     example(distribution, #"{"origins": [{"originId": "a", "customOriginConfig": {"originProtocolPolicy": "http-only"}}]}"#, .violation),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-enable-tls-to-origin", "awsnative-cloudfront-distribution-enable-tls-to-origin")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        let path = distributionPath(d, "origins")
        let insecure = try d.value(path).requireElements(path).filter { origin in
            let policy = origin["customOriginConfig"]["originProtocolPolicy"].string
            return policy != nil && policy != "https-only"
        }.map { $0["originId"].string ?? "?" }
        return .check(insecure.isEmpty, "CloudFront distribution \(d.name) reaches origin(s) \(insecure.joined(separator: ", ")) without HTTPS only.")
    }

    /// Origin protocols older than TLS 1.2.
    static let insecureOriginProtocols: Set<String> = ["SSLv3", "TLSv1", "TLSv1.1"]

    static let cloudfrontOriginTLS = SwiftResourcePolicy(
        baseline("cloudfront-origin-tls12", "CloudFront offers custom origins TLS 1.2 only.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "`originSslProtocols` lists the protocols CloudFront may negotiate with the origin; with SSLv3, TLSv1 or TLSv1.1 listed, an origin (or someone in the path) can settle on a broken protocol. Origins reached over plain HTTP (`http-only`) negotiate no TLS and are `cloudfront-origin-https`'s finding.",
                 remediation: "Set `customOriginConfig.originSslProtocols: [\"TLSv1.2\"]` on every custom origin (aws-native: under `distributionConfig.origins`).",
                 examples: [
                     example(distribution, #"{"origins": [{"originId": "web", "customOriginConfig": {"originProtocolPolicy": "https-only", "originSslProtocols": ["TLSv1.2"]}}, {"originId": "s3", "s3OriginConfig": {}}]}"#, .pass),
                     example(distribution, #"{"origins": [{"originId": "web", "customOriginConfig": {"originProtocolPolicy": "https-only", "originSslProtocols": ["TLSv1.2", "TLSv1"]}}]}"#, .violation),
                     example(distribution, #"{"origins": [{"originId": "web", "customOriginConfig": {"originProtocolPolicy": "http-only", "originSslProtocols": ["TLSv1"]}}]}"#, .pass, "no TLS to this origin at all"),
                     example(nativeDistribution, #"{"distributionConfig": {"origins": [{"id": "web", "customOriginConfig": {"originProtocolPolicy": "https-only", "originSslProtocols": ["SSLv3"]}}]}}"#, .violation),
                     example(nativeDistribution, #"{"distributionConfig": {"origins": [{"id": "web", "customOriginConfig": {"originProtocolPolicy": "https-only", "originSslProtocols": "\#(unknown)"}}]}}"#, .indeterminate, "preview: computed protocol list"),
                 ],
                 equivalents: compliance("aws-cloudfront-distribution-configure-secure-tls-to-origin", "awsnative-cloudfront-distribution-configure-secure-tls-to-origin")),
        types: [distribution, nativeDistribution]
    ) { d, _ in
        let path = distributionPath(d, "origins")
        var weak: [String] = []
        for (i, origin) in try d.value(path).requireElements(path).enumerated() {
            let custom = origin["customOriginConfig"]
            if custom.isAbsent || custom["originProtocolPolicy"].string == "http-only" { continue }
            let protocols = try custom["originSslProtocols"].require("\(path)[\(i)].customOriginConfig.originSslProtocols").strings
            let old = protocols.filter(insecureOriginProtocols.contains)
            if !old.isEmpty { weak.append("\(origin["originId"].string ?? origin["id"].string ?? "#\(i)") (\(old.joined(separator: ", ")))") }
        }
        return .check(weak.isEmpty, "CloudFront distribution \(d.name) offers custom origin(s) protocols older than TLS 1.2: \(weak.joined(separator: "; ")).")
    }

    static let modernTLSPolicies: [ConfigValue] = [
        "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-2019-08",
    ].map { .string($0) }

    static let listenerTLSPolicy = SwiftResourcePolicy(
        baseline("lb-listener-tls-policy", "HTTPS/TLS listeners use a TLS 1.2+ security policy.", severity: .high,
                 frameworks: frameworks("iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "Older ELB security policies accept TLS 1.0/1.1 and weak ciphers. Policy names are compared exactly against the allowed list: a misspelt name (`ELBSELBSecurityPolicy-TLS13-…`, which AWS rejects) is a violation, where Pulumi's compliance-ready policy matches substrings and passes it.",
                 remediation: "Set `sslPolicy` to a TLS 1.2+ policy such as `ELBSecurityPolicy-TLS13-1-2-2021-06`.",
                 schema: ConfigSchema(properties: ["allowedPolicies": ConfigProperty(type: .array(items: .string), description: "Accepted ELB security policies.", default: .array(modernTLSPolicies))]),
                 examples: [
                     example("aws:lb/listener:Listener", #"{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}"#, .pass),
                     example("aws:alb/listener:Listener", #"{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"}"#, .violation),
                     example("aws:lb/listener:Listener", #"{"protocol": "TCP"}"#, .notApplicable),
                 ],
                 equivalents: compliance("aws-alb-listener-configure-secure-tls", "aws-lb-listener-configure-secure-tls")),
        types: AWSTypes.listeners
    ) { listener, config in
        guard let proto = try listener.string("protocol")?.uppercased(), proto == "HTTPS" || proto == "TLS" else {
            return .notApplicable("not a TLS listener")
        }
        let policy = try listener.string("sslPolicy") ?? "ELBSecurityPolicy-2016-08"
        return .check((config.strings("allowedPolicies") ?? []).contains(policy), "Listener \(listener.name) uses TLS policy \(policy).")
    }

    static let albDropInvalidHeaders = SwiftResourcePolicy(
        baseline("alb-drop-invalid-header-fields", "Application load balancers drop invalid HTTP header fields.", severity: .medium,
                 rationale: "Forwarding malformed headers enables HTTP desync and request smuggling against the targets.",
                 remediation: "Set `dropInvalidHeaderFields: true`.",
                 examples: [
                     example("aws:lb/loadBalancer:LoadBalancer", #"{"loadBalancerType": "application", "dropInvalidHeaderFields": true}"#, .pass),
                     example("aws:alb/loadBalancer:LoadBalancer", #"{}"#, .violation, "application is the default type"),
                     example("aws:lb/loadBalancer:LoadBalancer", #"{"loadBalancerType": "network"}"#, .notApplicable),
                 ]),
        types: AWSTypes.loadBalancersV2
    ) { lb, _ in
        guard (try lb.string("loadBalancerType") ?? "application") == "application" else { return .notApplicable("not an application load balancer") }
        return .check(try lb.bool("dropInvalidHeaderFields") == true, "Load balancer \(lb.name) forwards invalid header fields.")
    }

    static let classicELBNoHTTP = SwiftResourcePolicy(
        baseline("elb-classic-no-plain-http", "Classic load balancers have no plain HTTP listeners.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "An HTTP listener carries requests and cookies unencrypted.",
                 remediation: "Use HTTPS/SSL listeners, or migrate to an application load balancer with an HTTP→HTTPS redirect.",
                 examples: [
                     example(AWSTypes.classicLoadBalancers[0], #"{"listeners": [{"lbProtocol": "https", "lbPort": 443}]}"#, .pass),
                     example(AWSTypes.classicLoadBalancers[0], #"{"listeners": [{"lbProtocol": "HTTP", "lbPort": 80}]}"#, .violation),
                 ],
                 equivalents: compliance("aws-elb-loadbalancer-disallow-unencrypted-traffic")),
        types: AWSTypes.classicLoadBalancers
    ) { lb, _ in
        let plain = try lb.value("listeners").requireElements("listeners").filter { $0["lbProtocol"].string?.lowercased() == "http" }
        return .check(plain.isEmpty, "Classic load balancer \(lb.name) has a plain HTTP listener.")
    }
}
