import RampartPolicy

extension AWSGuard {
    static var apiGatewayPolicies: [any Policy] { [stageCached, methodCachedAndEncrypted, endpointType] }

    static let stageCached = SwiftResourcePolicy(
        awsguard("apigateway-stage-cached", "API Gateway stages have caching enabled.", severity: .low,
                 rationale: "A stage cache absorbs repeated requests and protects the backend from load; a cost and resilience practice rather than a control.",
                 remediation: "Set `cacheClusterEnabled: true` (and a `cacheClusterSize`) on the stage.",
                 examples: [
                     example("aws:apigateway/stage:Stage", #"{"stageName": "prod", "cacheClusterEnabled": true}"#, .pass),
                     example("aws:apigateway/stage:Stage", #"{"stageName": "prod", "cacheClusterEnabled": false}"#, .violation),
                     example("aws:apigateway/stage:Stage", #"{"stageName": "prod"}"#, .violation, "absent means no cache"),
                 ]),
        types: ["aws:apigateway/stage:Stage"]
    ) { stage, _ in
        .check(try stage.truthy("cacheClusterEnabled"), "API Gateway stages must have caching enabled.")
    }

    static let methodCachedAndEncrypted = SwiftResourcePolicy(
        awsguard("apigateway-method-cached-and-encrypted", "API Gateway methods cache responses and encrypt the cache.",
                 severity: .medium,
                 frameworks: [nist("SC-28")],
                 rationale: "Cached responses may hold sensitive data; an unencrypted cache stores it in clear.",
                 remediation: "In the method settings set `settings.cachingEnabled: true` and `settings.cacheDataEncrypted: true`.",
                 examples: [
                     example("aws:apigateway/methodSettings:MethodSettings",
                             #"{"methodPath": "*/*", "settings": {"cachingEnabled": true, "cacheDataEncrypted": true}}"#, .pass),
                     example("aws:apigateway/methodSettings:MethodSettings",
                             #"{"methodPath": "*/*", "settings": {"cachingEnabled": true, "cacheDataEncrypted": false}}"#, .violation),
                     example("aws:apigateway/methodSettings:MethodSettings", #"{"methodPath": "*/*", "settings": {}}"#, .violation),
                 ]),
        types: ["aws:apigateway/methodSettings:MethodSettings"]
    ) { method, _ in
        var messages: [String] = []
        if !(try method.truthy("settings.cachingEnabled")) { messages.append("API Gateway must have caching enabled.") }
        if !(try method.truthy("settings.cacheDataEncrypted")) { messages.append("API Gateway must encrypt cache data.") }
        return .violations(messages)
    }

    static let endpointType = SwiftResourcePolicy(
        awsguard("apigateway-endpoint-type", "API Gateway REST APIs use an allowed endpoint type.", severity: .medium,
                 rationale: "The endpoint type decides who can reach the API: EDGE and REGIONAL are public, PRIVATE only from a VPC.",
                 remediation: "Set `endpointConfiguration.types` to an allowed type, or allow the type in this policy's config.",
                 schema: ConfigSchema(properties: [
                     "allowEdge": ConfigProperty(type: .boolean, description: "Allow EDGE endpoints.", default: .bool(true)),
                     "allowRegional": ConfigProperty(type: .boolean, description: "Allow REGIONAL endpoints.", default: .bool(false)),
                     "allowPrivate": ConfigProperty(type: .boolean, description: "Allow PRIVATE endpoints.", default: .bool(false)),
                 ]),
                 examples: [
                     example("aws:apigateway/restApi:RestApi", #"{"name": "api", "endpointConfiguration": {"types": "EDGE"}}"#, .pass),
                     example("aws:apigateway/restApi:RestApi", #"{"name": "api"}"#, .pass, "absent means EDGE, AWS's default"),
                     example("aws:apigateway/restApi:RestApi", #"{"name": "api", "endpointConfiguration": {"types": ["REGIONAL"]}}"#, .violation),
                     example("aws:apigateway/restApi:RestApi", #"{"name": "api", "endpointConfiguration": {"types": ["PRIVATE"]}}"#, .pass,
                             config: ["allowPrivate": .bool(true)]),
                 ]),
        types: ["aws:apigateway/restApi:RestApi"]
    ) { api, config in
        var allowed: [String] = []
        if config.bool("allowEdge") ?? true { allowed.append("EDGE") }
        if config.bool("allowRegional") ?? false { allowed.append("REGIONAL") }
        if config.bool("allowPrivate") ?? false { allowed.append("PRIVATE") }
        // `types` is a string in some provider versions and a list of one in others.
        let types = try api.value("endpointConfiguration.types")
        var actual: [String] = []
        if let single = types.string { actual = [single] }
        for element in try types.requireElements("endpointConfiguration.types") {
            if let s = try element.requireString("endpointConfiguration.types[]") { actual.append(s) }
        }
        if actual.isEmpty { actual = ["EDGE"] }
        let disallowed = actual.filter { !allowed.contains($0.uppercased()) }
        return .check(disallowed.isEmpty,
                      "API Gateway endpoint type \(disallowed.joined(separator: ", ")) is not allowed; allowed: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", ")).")
    }
}
