import RampartAnalyzer
import RampartJSON
import RampartModel
import RampartPolicy

/// Test-only packs: small policies over the sample states, each exercising one part of the protocol.
enum FixturePacks {
    static let all = [guardPack, stackPack]

    static let guardPack = PolicyPack(
        name: "fixture-guard", version: "1.2.3", description: "Resource policies for the analyzer tests",
        policies: [SubnetPublicIPPolicy(), PasswordLengthPolicy(), SQLPasswordPolicy()], origin: "test")

    static let stackPack = PolicyPack(
        name: "fixture-stack", version: "0.0.1", description: "Stack policies for the analyzer tests",
        policies: [InternetRoutePolicy(), StackSizePolicy(), GeneratedPasswordPolicy()], origin: "test")
}

/// Reads inputs; unknown during preview → indeterminate. Can remediate (sets the flag to false).
struct SubnetPublicIPPolicy: RemediatingPolicy {
    let descriptor = PolicyDescriptor(name: "subnet-no-public-ip", description: "Subnets do not assign public IPs.",
                                      severity: .high)
    let types = TypeSelector(["aws:ec2/subnet:Subnet"])

    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        switch resource.props["mapPublicIpOnLaunch"] {
        case .unknown: return .indeterminate("mapPublicIpOnLaunch is not known until the subnet is created")
        case .value(let v) where v.bool == true: return .violation(Violation("subnet '\(resource.name)' maps public IPs on launch"))
        default: return .pass
        }
    }

    func remediate(_ resource: ResourceContext, config: PolicyConfig) throws -> PropertyValue? {
        guard resource.props["mapPublicIpOnLaunch"].bool == true, let inputs = resource.resource.inputs else { return nil }
        var writer = JSONWriter()
        writer.beginObject()
        for (key, value) in inputs.members where key != "mapPublicIpOnLaunch" {
            writer.key(key)
            writer.node(value.node)
        }
        writer.key("mapPublicIpOnLaunch")
        writer.bool(false)
        writer.endObject()
        return try PropertyValue.parse(json: writer.string)
    }
}

/// Config through `Configure`: `minLength`.
struct PasswordLengthPolicy: ResourcePolicy {
    let descriptor = PolicyDescriptor(
        name: "password-min-length", description: "Generated passwords are long enough.", severity: .medium,
        configSchema: ConfigSchema(properties: ["minLength": ConfigProperty(type: .integer, description: "shortest allowed",
                                                                             default: .number(12), minimum: 1)]))
    let types = TypeSelector(["random:index/randomPassword:RandomPassword"])

    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        let minimum = Int(config.number("minLength") ?? 12)
        guard let length = resource.props["length"].number else { return .notApplicable("no length given") }
        return Int(length) < minimum ? .violation(Violation("length \(Int(length)) is below \(minimum)")) : .pass
    }
}

/// Secrets on the wire: the policy must see a secret, decrypted; its value must not reach the diagnostic.
struct SQLPasswordPolicy: ResourcePolicy {
    let descriptor = PolicyDescriptor(name: "sql-admin-password", description: "SQL admin passwords are secret and long.",
                                      severity: .critical, enforcementLevel: .mandatory)
    let types = TypeSelector(["azure:sql/sqlServer:SqlServer"])

    func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        guard let raw = resource.resource.inputs?["administratorLoginPassword"] else { return .notApplicable("no password") }
        guard raw.isSecret, case .decrypted(let inner)? = raw.secret, let password = inner.string else {
            return .violation(Violation("administratorLoginPassword is not a readable secret"))
        }
        // Quoting the value on purpose: the analyzer must redact it.
        return password.count < 32 ? .violation(Violation("password '\(password)' has \(password.count) characters; 32 needed")) : .pass
    }
}

/// Stack policy using property dependencies and parents: routes whose `gatewayId` depends on an internet gateway.
struct InternetRoutePolicy: StackPolicy {
    let descriptor = PolicyDescriptor(name: "no-internet-routes", description: "Route tables do not route to the internet.",
                                      severity: .low)

    func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        var entries: [StackEvaluation.Entry] = []
        for route in stack.resources(matching: TypeSelector(["aws:ec2/route:Route"])) {
            let gatewayURNs = route.resource.propertyDependencies.first { $0.property == "gatewayId" }?.urns ?? []
            let viaGateway = gatewayURNs.contains { stack.graph.resource($0)?.type == "aws:ec2/internetGateway:InternetGateway" }
            guard viaGateway else { continue }
            let parent = route.parent?.name ?? "no parent"
            entries.append(.init(resourceIndex: route.index,
                                 outcome: .violation(Violation("route under '\(parent)' goes through an internet gateway"))))
        }
        return StackEvaluation(entries)
    }
}

/// A stack-level outcome: attributed to the root stack resource.
struct StackSizePolicy: StackPolicy {
    let descriptor = PolicyDescriptor(
        name: "stack-size", description: "Stacks stay small.", severity: .medium,
        configSchema: ConfigSchema(properties: ["maxResources": ConfigProperty(type: .integer, default: .number(10))]))

    func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let maximum = Int(config.number("maxResources") ?? 10)
        guard stack.graph.count > maximum else { return .pass }
        return .stackLevel(.violation(Violation("\(stack.graph.count) resources, more than \(maximum)")))
    }
}

/// Secrets in outputs (AnalyzeStack): reads a decrypted secret output, quotes it, must be redacted.
struct GeneratedPasswordPolicy: StackPolicy {
    let descriptor = PolicyDescriptor(name: "generated-password-secret", description: "Generated passwords stay secret.",
                                      severity: .high)

    func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let passwords = stack.resources(matching: TypeSelector(["random:index/randomPassword:RandomPassword"]))
        guard !passwords.isEmpty else { return .stackLevel(.notApplicable("no generated passwords in this stack")) }
        return StackEvaluation(passwords.map { password in
            let result = password.resource.outputs?["result"]
            guard let result, result.isSecret, case .decrypted(let inner)? = result.secret, let text = inner.string else {
                return .init(resourceIndex: password.index, outcome: .violation(Violation("result is not a readable secret")))
            }
            return .init(resourceIndex: password.index,
                         outcome: .violation(Violation("result '\(text)' is secret but only \(text.count) characters long")))
        })
    }
}
