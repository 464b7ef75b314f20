import RampartModel

/// Runs a policy's own examples, so every policy documents and tests itself (CONVENTIONS.md, habit 1). Used by
/// the built-in packs' test and available to teams that write their own Swift packs.
public enum PolicyExampleRunner {
    /// What running one example produced.
    public struct Result: Sendable {
        public var expected: PolicyExample.Expectation
        public var observed: PolicyExample.Expectation?
        /// The outcomes the policy returned (for failure messages).
        public var outcomes: [Outcome]
        public var passed: Bool { expected == observed }
    }

    /// The example's properties did not parse as JSON.
    public struct ExampleError: Error, Sendable, CustomStringConvertible {
        public var policy: String
        public var resource: String
        public var message: String
        public var description: String { "policy \(policy), example resource \(resource): \(message)" }
    }

    /// Runs one example of `policy` with the policy's schema defaults overlaid by the example's config.
    public static func run(_ policy: any Policy, example: PolicyExample) throws(ExampleError) -> Result {
        let stack = try makeStack(example, policy: policy.descriptor.name)
        let config = policy.descriptor.configSchema.defaults.merging(example.config)
        var outcomes: [Outcome] = []
        if let resourcePolicy = policy.asResourcePolicy {
            let subject = ResourceContext(stack: stack, index: 0)
            do { outcomes = [try resourcePolicy.evaluate(subject, config: config)] } catch { outcomes = [.error(String(describing: error))] }
        } else if let stackPolicy = policy.asStackPolicy {
            do { outcomes = try stackPolicy.evaluate(StackContext(stack: stack), config: config).entries.map(\.outcome) }
            catch { outcomes = [.error(String(describing: error))] }
        }
        return Result(expected: example.expectation, observed: summarize(outcomes), outcomes: outcomes)
    }

    /// One expectation for a set of outcomes: any violation wins, then indeterminate, then pass; all
    /// not-applicable (or none at all for a stack policy) counts as not-applicable / pass respectively.
    static func summarize(_ outcomes: [Outcome]) -> PolicyExample.Expectation? {
        let kinds = outcomes.map(\.kind)
        if kinds.contains(.error) { return nil }
        if kinds.contains(.violation) { return .violation }
        if kinds.contains(.indeterminate) { return .indeterminate }
        if !kinds.isEmpty && kinds.allSatisfy({ $0 == .notApplicable }) { return .notApplicable }
        return .pass
    }

    /// A one-stack graph holding the example's resources (outputs = the example properties, as in state; in a
    /// preview example policies see the inputs, which default to the same text).
    public static func makeStack(_ example: PolicyExample, policy: String = "example") throws(ExampleError) -> Stack {
        let specs = example.resources.isEmpty
            ? [ExampleResource("example", type: example.type, properties: example.properties)]
            : example.resources
        func urn(_ name: String, _ type: String) -> String { "urn:pulumi:example::example::\(type)::\(name)" }
        let typeByName = Dictionary(specs.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        var resources: [Resource] = []
        for spec in specs {
            guard let parsed = URN(urn(spec.name, spec.type)) else { continue }
            var resource = Resource(urn: parsed, type: spec.type)
            do {
                resource.outputs = try PropertyValue.parse(json: spec.properties)
                resource.inputs = try PropertyValue.parse(json: spec.inputs ?? spec.properties)
            } catch {
                throw ExampleError(policy: policy, resource: spec.name, message: String(describing: error))
            }
            // A preview has no ids yet: joins must go by property dependency, not by value.
            resource.id = example.preview ? nil : spec.name + "-id"
            resource.propertyDependencies = spec.propertyDependencies.keys.sorted().map { key in
                (property: key, urns: spec.propertyDependencies[key]!.compactMap { name in typeByName[name].map { urn(name, $0) } })
            }
            resource.dependencies = resource.propertyDependencies.flatMap(\.urns)
            if let provider = spec.provider, let type = typeByName[provider] {
                resource.provider = ProviderReference(urn(provider, type) + "::" + provider + "-id")
            }
            resources.append(resource)
        }
        return Stack(identity: StackIdentity(organization: "example", project: "example", stack: "example"),
                     source: "example", kind: example.preview ? .previewDigest : .stateExport,
                     propertySource: example.preview ? .inputs : .outputs, graph: ResourceGraph(resources: resources))
    }
}
