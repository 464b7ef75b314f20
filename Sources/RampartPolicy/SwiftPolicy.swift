import RampartModel

// MARK: - Policies written as closures

/// A resource policy written in Swift: a descriptor, the type tokens it applies to, and a closure.
///
/// ```swift
/// let logging = SwiftResourcePolicy(
///     PolicyDescriptor(name: "s3-bucket-logging-enabled", description: "S3 buckets have access logging enabled."),
///     types: ["aws:s3/bucket:Bucket"]
/// ) { resource, config in
///     try resource.props["loggings"].require("loggings").count ?? 0 > 0 ? .pass : .violation("Bucket logging must be defined.")
/// }
/// ```
///
/// Inside the closure, `try` on the `require…` helpers turns an unknown (preview) or encrypted value into the
/// outcome `indeterminate`, and `throw PolicyControl.notApplicable(…)` into `not-applicable`; any other error is
/// reported as the outcome `error` and the run goes on.
public struct SwiftResourcePolicy: ResourcePolicy {
    public let descriptor: PolicyDescriptor
    public let types: TypeSelector
    private let body: @Sendable (ResourceContext, PolicyConfig) throws -> Outcome

    public init(_ descriptor: PolicyDescriptor, types: [String],
                evaluate body: @escaping @Sendable (ResourceContext, PolicyConfig) throws -> Outcome) {
        self.descriptor = descriptor
        self.types = TypeSelector(types)
        self.body = body
    }

    public func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        do { return try body(resource, config) } catch let control as PolicyControl { return control.outcome }
    }
}

/// A stack policy written in Swift: a descriptor and a closure over the whole stack.
public struct SwiftStackPolicy: StackPolicy {
    public let descriptor: PolicyDescriptor
    private let body: @Sendable (StackContext, PolicyConfig) throws -> StackEvaluation

    public init(_ descriptor: PolicyDescriptor,
                evaluate body: @escaping @Sendable (StackContext, PolicyConfig) throws -> StackEvaluation) {
        self.descriptor = descriptor
        self.body = body
    }

    public func evaluate(_ stack: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        do { return try body(stack, config) } catch let control as PolicyControl { return .stackLevel(control.outcome) }
    }
}

/// Early exits from a policy closure that are outcomes, not failures (CrossGuard's `notApplicable()` throws too).
public enum PolicyControl: Error, Sendable {
    /// The verdict needs a value that is not known: a preview unknown or an encrypted secret.
    case indeterminate(String)
    case notApplicable(String)

    public var outcome: Outcome {
        switch self {
        case .indeterminate(let reason): return .indeterminate(reason)
        case .notApplicable(let reason): return .notApplicable(reason)
        }
    }
}

// MARK: - Outcome helpers

extension Violation: ExpressibleByStringInterpolation {
    /// `.violation("Bucket \(name) has no logging")` — a violation with that message.
    public init(stringLiteral value: String) { self.init(value) }
}

extension Outcome {
    /// Pass when `messages` is empty, else one violation whose message lists them one per line (a CrossGuard
    /// policy may call `reportViolation` several times for one resource; Rampart keeps one outcome per pair).
    public static func violations(_ messages: [String]) -> Outcome {
        messages.isEmpty ? .pass : .violation(Violation(messages.joined(separator: "\n")))
    }

    /// Pass when `condition` holds, else a violation with `message`.
    public static func check(_ condition: Bool, _ message: @autoclosure () -> String) -> Outcome {
        condition ? .pass : .violation(Violation(message()))
    }
}

extension StackEvaluation {
    /// Appends an outcome for one resource (by graph index) or for the stack (nil).
    public mutating func add(_ outcome: Outcome, resource: Int?) {
        entries.append(Entry(resourceIndex: resource, outcome: outcome))
    }
}

// MARK: - Typed reads that know about unknowns and secrets

extension PropertyLookup {
    /// This value, or throws `PolicyControl.indeterminate` when it is unknown or encrypted. `path` names it in
    /// the reason; it is spelled out only then (policies pass paths built from parts, and nearly every value is
    /// known).
    public func require(_ path: @autoclosure () -> String) throws(PolicyControl) -> PropertyLookup {
        switch self {
        case .unknown: throw .indeterminate("\(path()) is not known until the resource is deployed (preview unknown)")
        case .encrypted: throw .indeterminate("\(path()) is an encrypted secret")
        case .absent, .value: return self
        }
    }

    /// The boolean value, nil when absent (or not a boolean). Strings `"true"`/`"false"` count as booleans:
    /// some AWS provider versions type nullable booleans as strings (pulumi/pulumi-aws#2257).
    public func requireBool(_ path: @autoclosure () -> String) throws(PolicyControl) -> Bool? {
        let known = try require(path())
        if let b = known.bool { return b }
        switch known.string?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The string value, nil when absent or not a string.
    public func requireString(_ path: @autoclosure () -> String) throws(PolicyControl) -> String? { try require(path()).string }

    /// The number, nil when absent. Numeric strings count (`"7"`), as some providers store them so.
    public func requireNumber(_ path: @autoclosure () -> String) throws(PolicyControl) -> Double? {
        let known = try require(path())
        return known.number ?? known.string.flatMap(Double.init)
    }

    /// The elements of an array, empty when absent; throws when the array itself is not known.
    public func requireElements(_ path: @autoclosure () -> String) throws(PolicyControl) -> [PropertyLookup] { try require(path()).elements }

    /// JavaScript truthiness, which is what CrossGuard policies test (`if (!x)`): absent, null, false, 0 and ""
    /// are false; every other known value is true.
    public func requireTruthy(_ path: @autoclosure () -> String) throws(PolicyControl) -> Bool {
        let known = try require(path())
        guard let v = known.value else { return false }
        switch v.kind {
        case .bool: return v.bool ?? false
        case .number: return (v.number ?? 0) != 0
        case .string: return !(v.string ?? "").isEmpty
        default: return true
        }
    }
}

extension ResourceContext {
    /// The default property at a dotted path (`accessLogs.enabled`), or indeterminate when not known.
    public func value(_ path: String) throws(PolicyControl) -> PropertyLookup { try props.at(path).require(path) }
    public func bool(_ path: String) throws(PolicyControl) -> Bool? { try props.at(path).requireBool(path) }
    public func string(_ path: String) throws(PolicyControl) -> String? { try props.at(path).requireString(path) }
    public func number(_ path: String) throws(PolicyControl) -> Double? { try props.at(path).requireNumber(path) }
    public func truthy(_ path: String) throws(PolicyControl) -> Bool { try props.at(path).requireTruthy(path) }

    /// The URNs this resource's property `name` depends on (its `propertyDependencies` entry).
    public func propertyDependencies(_ name: String) -> [String] {
        resource.propertyDependencies.first { $0.property == name }?.urns ?? []
    }

    /// The in-stack resources this resource's property `name` depends on, in graph order.
    public func dependencies(ofProperty name: String) -> [ResourceContext] {
        var seen = Set<Int>()
        return propertyDependencies(name).compactMap { stack.graph.index(of: $0) }
            .filter { seen.insert($0).inserted }
            .map { ResourceContext(stack: stack, index: $0, evidence: evidence) }
    }

    /// Whether the resource's type is one of `types`.
    public func isType(_ types: String...) -> Bool { types.contains(type) }
}
