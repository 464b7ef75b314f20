import RampartPolicy

extension AWSBaseline {
    static let secret = "aws:secretsmanager/secret:Secret"
    static let secretRotationType = "aws:secretsmanager/secretRotation:SecretRotation"

    static let secretRotation = SwiftResourcePolicy(
        baseline("secretsmanager-secret-rotation", "Secrets Manager secrets rotate automatically.", severity: .medium,
                 frameworks: [nist("IA-5")],
                 rationale: "A secret that never rotates stays valid for as long as anyone who ever read it keeps a copy.",
                 remediation: "Add an `aws:secretsmanager/secretRotation:SecretRotation` for the secret (or `rotationRules` on older providers).",
                 examples: [
                     joined(.pass, nil, ExampleResource("db-password", type: secret, properties: #"{"name": "db"}"#),
                            ExampleResource("rotation", type: secretRotationType, properties: #"{"secretId": "arn:secret", "rotationRules": {"automaticallyAfterDays": 30}}"#,
                                            propertyDependencies: ["secretId": ["db-password"]])),
                     example(secret, #"{"rotationRules": {"automaticallyAfterDays": 30}}"#, .pass, "inline rules of old providers"),
                     example(secret, #"{"name": "db"}"#, .violation),
                     joined(.indeterminate, "preview: the rotation's secret is unknown", preview: true,
                            ExampleResource("db-password", type: secret, properties: #"{"name": "db"}"#),
                            ExampleResource("rotation", type: secretRotationType, properties: #"{"secretId": "\#(unknown)"}"#)),
                 ]),
        types: [secret]
    ) { subject, _ in
        if try subject.value("rotationRules").count ?? 0 > 0 { return .pass }
        let rotations = AWSJoin.referrers(to: subject, types: [secretRotationType], property: "secretId", keys: subject.keys("name"))
        return joinedOutcome(found: !rotations.matches.isEmpty, rotations, "Secret \(subject.name) has no rotation.")
    }

    static let apiStageLogging = SwiftResourcePolicy(
        baseline("apigateway-stage-access-logging", "API Gateway stages write access logs.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("AU-12")],
                 rationale: "Access logs record who called which route and with what result; without them API abuse cannot be investigated.",
                 remediation: "Set `accessLogSettings: { destinationArn, format }` on the stage (REST `aws:apigateway/stage`, HTTP/WebSocket `aws:apigatewayv2/stage`).",
                 examples: [
                     example("aws:apigateway/stage:Stage", #"{"accessLogSettings": {"destinationArn": "arn:aws:logs:us-east-1:1:log-group:api", "format": "$context.requestId"}}"#, .pass),
                     example("aws:apigateway/stage:Stage", #"{}"#, .violation),
                     example("aws:apigatewayv2/stage:Stage", #"{"accessLogSettings": {"format": "x"}}"#, .violation),
                     example("aws-native:apigateway:Stage", #"{"accessLogSetting": {"destinationArn": "arn:aws:logs:us-east-1:1:log-group:api"}}"#, .pass),
                 ],
                 equivalents: compliance("aws-apigatewayv2-stage-configure-access-logging", "aws-apigatewayv2-stage-enable-access-logging")),
        types: ["aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage", "aws-native:apigateway:Stage", "aws-native:apigatewayv2:Stage"]
    ) { stage, _ in
        let block = stage.type == "aws-native:apigateway:Stage" ? "accessLogSetting" : "accessLogSettings"
        return .check(try stage.truthy("\(block).destinationArn"), "API Gateway stage \(stage.name) writes no access logs.")
    }

    static let apiDomainTLS = SwiftResourcePolicy(
        baseline("apigateway-domain-tls12", "API Gateway custom domains require TLS 1.2.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "TLS 1.0 and 1.1 have known weaknesses and are no longer accepted by compliance regimes such as PCI DSS.",
                 remediation: "Set `securityPolicy: \"TLS_1_2\"` (v2: `domainNameConfiguration.securityPolicy`).",
                 examples: [
                     example("aws:apigateway/domainName:DomainName", #"{"securityPolicy": "TLS_1_2"}"#, .pass),
                     example("aws:apigateway/domainName:DomainName", #"{"securityPolicy": "TLS_1_0"}"#, .violation),
                     example("aws:apigatewayv2/domainName:DomainName", #"{"domainNameConfiguration": {"securityPolicy": "TLS_1_2"}}"#, .pass),
                     example("aws:apigateway/domainName:DomainName", #"{}"#, .violation, "the REST default is TLS_1_0"),
                 ],
                 equivalents: compliance("aws-apigateway-domainname-configure-security-policy", "aws-apigatewayv2-domainname-configure-domain-name-security-policy", "aws-apigatewayv2-domainname-enable-domain-name-configuration")),
        types: ["aws:apigateway/domainName:DomainName", "aws:apigatewayv2/domainName:DomainName"]
    ) { domain, _ in
        let path = domain.type == "aws:apigatewayv2/domainName:DomainName" ? "domainNameConfiguration.securityPolicy" : "securityPolicy"
        let policy = try domain.string(path) ?? "TLS_1_0"
        return .check(policy.hasPrefix("TLS_1_2") || policy.contains("TLS13"), "API Gateway domain \(domain.name) accepts \(policy).")
    }
}
