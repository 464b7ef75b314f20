import RampartPolicy

extension AWSBaseline {
    static let secret = "aws:secretsmanager/secret:Secret"
    static let nativeSecret = "aws-native:secretsmanager:Secret"
    static let secretRotationType = "aws:secretsmanager/secretRotation:SecretRotation"
    static let secretRotationJoin = ReferenceIndex.Query(types: [secretRotationType], property: "secretId")

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
        let rotations = AWSJoin.referrers(to: subject, secretRotationJoin, keys: subject.keys("name"))
        return joinedOutcome(found: !rotations.matches.isEmpty, rotations, "Secret \(subject.name) has no rotation.")
    }

    static let apiStageLogging = SwiftResourcePolicy(
        baseline("apigateway-stage-access-logging", "API Gateway stages write access logs.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("AU-12")],
                 rationale: "Access logs record who called which route and with what result; without them API abuse cannot be investigated. A destination with an empty `format` is a violation too: API Gateway writes nothing without a format (and rejects an empty one).",
                 remediation: "Set `accessLogSettings: { destinationArn, format }` on the stage (REST `aws:apigateway/stage`, HTTP/WebSocket `aws:apigatewayv2/stage`).",
                 examples: [
                     example("aws:apigateway/stage:Stage", #"{"accessLogSettings": {"destinationArn": "arn:aws:logs:us-east-1:1:log-group:api", "format": "$context.requestId"}}"#, .pass),
                     example("aws:apigateway/stage:Stage", #"{}"#, .violation),
                     example("aws:apigatewayv2/stage:Stage", #"{"accessLogSettings": {"format": "x"}}"#, .violation),
                     example("aws:apigatewayv2/stage:Stage", #"{"accessLogSettings": {"destinationArn": "arn:aws:logs:us-east-1:1:log-group:api", "format": ""}}"#, .violation, "empty format"),
                     example("aws-native:apigateway:Stage", #"{"accessLogSetting": {"destinationArn": "arn:aws:logs:us-east-1:1:log-group:api"}}"#, .pass),
                 ],
                 equivalents: compliance("aws-apigatewayv2-stage-configure-access-logging", "aws-apigatewayv2-stage-enable-access-logging")),
        types: ["aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage", "aws-native:apigateway:Stage", "aws-native:apigatewayv2:Stage"]
    ) { stage, _ in
        let block = stage.type == "aws-native:apigateway:Stage" ? "accessLogSetting" : "accessLogSettings"
        guard try stage.truthy("\(block).destinationArn") else { return .violation("API Gateway stage \(stage.name) writes no access logs.") }
        if try stage.string("\(block).format") == "" {
            return .violation("API Gateway stage \(stage.name) has an access log destination but an empty format.")
        }
        return .pass
    }

    static let apiDomainTLS = SwiftResourcePolicy(
        baseline("apigateway-domain-tls12", "API Gateway custom domains require TLS 1.2.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-8")],
                 rationale: "TLS 1.0 and 1.1 have known weaknesses and are no longer accepted by compliance regimes such as PCI DSS.",
                 remediation: "Set `securityPolicy: \"TLS_1_2\"` (v2: `domainNameConfiguration.securityPolicy`; aws-native v2: each of `domainNameConfigurations`).",
                 examples: [
                     example("aws:apigateway/domainName:DomainName", #"{"securityPolicy": "TLS_1_2"}"#, .pass),
                     example("aws:apigateway/domainName:DomainName", #"{"securityPolicy": "TLS_1_0"}"#, .violation),
                     example("aws:apigatewayv2/domainName:DomainName", #"{"domainNameConfiguration": {"securityPolicy": "TLS_1_2"}}"#, .pass),
                     example("aws:apigateway/domainName:DomainName", #"{}"#, .violation, "the REST default is TLS_1_0"),
                     example("aws-native:apigateway:DomainName", #"{"domainName": "api.example.com", "securityPolicy": "TLS_1_2"}"#, .pass),
                     example("aws-native:apigateway:DomainName", #"{"domainName": "api.example.com"}"#, .violation, "the REST default is TLS_1_0"),
                     example("aws-native:apigatewayv2:DomainName", #"{"domainNameConfigurations": [{"securityPolicy": "TLS_1_2"}, {"endpointType": "REGIONAL"}]}"#, .pass,
                             "HTTP/WebSocket domains default to TLS 1.2"),
                 ],
                 equivalents: compliance("aws-apigateway-domainname-configure-security-policy", "aws-apigatewayv2-domainname-configure-domain-name-security-policy", "aws-apigatewayv2-domainname-enable-domain-name-configuration", "awsnative-apigateway-domainname-configure-security-policy")),
        types: ["aws:apigateway/domainName:DomainName", "aws:apigatewayv2/domainName:DomainName", "aws-native:apigateway:DomainName",
                "aws-native:apigatewayv2:DomainName"]
    ) { domain, _ in
        var policies: [String] = []
        switch domain.type {
        case "aws:apigatewayv2/domainName:DomainName":
            policies = [try domain.string("domainNameConfiguration.securityPolicy") ?? "TLS_1_0"]
        case "aws-native:apigatewayv2:DomainName":
            for (i, configuration) in try domain.value("domainNameConfigurations").requireElements("domainNameConfigurations").enumerated() {
                policies.append(try configuration["securityPolicy"].requireString("domainNameConfigurations[\(i)].securityPolicy") ?? "TLS_1_2")
            }
        default:
            policies = [try domain.string("securityPolicy") ?? "TLS_1_0"]
        }
        let weak = policies.filter { !($0.hasPrefix("TLS_1_2") || $0.contains("TLS13")) }
        return .check(weak.isEmpty, "API Gateway domain \(domain.name) accepts \(weak.joined(separator: ", ")).")
    }

    static let secretCustomerKey = SwiftResourcePolicy(
        baseline("secretsmanager-secret-customer-managed-key", "Secrets Manager secrets are encrypted with a customer-managed KMS key.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: """
                 Without `kmsKeyId` a secret (and each replica) is encrypted with the AWS-managed `aws/secretsmanager` key, usable by \
                 anyone in the account allowed to read the secret, and not shareable with other accounts. A customer-managed key \
                 adds its key policy as a second gate and lets the secret be read cross-account. Opt-in; an `alias/aws/...` key \
                 does not count.
                 """,
                 remediation: "Set `kmsKeyId` to a customer-managed KMS key, and `kmsKeyId` on each replica region (`replicas`; aws-native: `replicaRegions`).",
                 examples: [
                     example(secret, #"{"description": "Orders database password", "kmsKeyId": "key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#, .pass),
                     example(secret, #"{"description": "Orders database password"}"#, .violation),
                     example(secret, #"{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k", "replicas": [{"region": "eu-west-1"}]}"#, .violation, "a replica on the AWS-managed key"),
                     example(nativeSecret, #"{"kmsKeyId": "alias/aws/secretsmanager"}"#, .violation, "the AWS-managed key"),
                     example(nativeSecret, #"{"kmsKeyId": "alias/orders", "replicaRegions": [{"region": "eu-west-1", "kmsKeyId": "alias/orders"}]}"#, .pass),
                 ],
                 equivalents: compliance("aws-secretsmanager-secret-configure-customer-managed-key")),
        types: [secret, nativeSecret]
    ) { subject, _ in
        guard KMSKeyReference.isCustomerManaged(try subject.string("kmsKeyId")) else {
            return .violation("Secret \(subject.name) is encrypted with the AWS-managed key, not a customer-managed one.")
        }
        let path = subject.type == nativeSecret ? "replicaRegions" : "replicas"
        for (i, replica) in try subject.value(path).requireElements(path).enumerated()
        where !KMSKeyReference.isCustomerManaged(try replica["kmsKeyId"].requireString("\(path)[\(i)].kmsKeyId")) {
            let region = replica["region"].string ?? "#\(i)"
            return .violation("Secret \(subject.name)'s replica in \(region) is encrypted with the AWS-managed key, not a customer-managed one.")
        }
        return .pass
    }

    static let secretDescription = SwiftResourcePolicy(
        baseline("secretsmanager-secret-description", "Secrets Manager secrets say what they hold in a description.", severity: .low,
                 rationale: "Secret names are often generated; the description is what tells a reviewer or an incident responder what a secret unlocks and who must rotate it. Placeholders shorter than `minimumLength` (6 by default) do not count.",
                 remediation: "Set `description` to what the secret grants access to.",
                 schema: ResourceDescription.schema,
                 examples: [
                     example(secret, #"{"description": "Orders database password"}"#, .pass),
                     example(secret, #"{"kmsKeyId": "key/k"}"#, .violation),
                     example(nativeSecret, #"{"description": "abc"}"#, .violation, "a placeholder"),
                 ],
                 equivalents: compliance("aws-secretsmanager-secret-missing-description")),
        types: [secret, nativeSecret]
    ) { subject, config in
        try ResourceDescription.outcome(subject, config: config, what: "Secret")
    }
}
