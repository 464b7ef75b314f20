import RampartModel
import RampartPolicy

/// A resource policy written in the rule language: evaluated per resource whose type matches.
public struct RuleResourcePolicy: ResourcePolicy {
    public let descriptor: PolicyDescriptor
    public let types: TypeSelector
    let applicability: Condition?
    let validation: Condition
    let message: MessageTemplate
    let evaluator: Evaluator
    /// The direct forms of `where` and `validate` (`DirectCondition`), answered where they can tell without a scope
    /// per evaluation; nil when a leaf has none.
    let directApplicability: DirectCondition?
    let directValidation: DirectCondition?
    /// Whether both conditions have direct forms (`where` may be absent).
    let direct: Bool

    init(descriptor: PolicyDescriptor, types: TypeSelector, applicability: Condition?, validation: Condition,
         message: MessageTemplate, evaluator: Evaluator) {
        self.descriptor = descriptor
        self.types = types
        self.applicability = applicability
        self.validation = validation
        self.message = message
        self.evaluator = evaluator
        directApplicability = applicability.flatMap(DirectCondition.init)
        directValidation = DirectCondition(validation)
        direct = directValidation != nil && (applicability == nil || directApplicability != nil)
    }

    static let whereDoesNotHold = "the policy's 'where' condition does not hold for this resource"

    /// Inlined into the protocol witness, as `directOutcome` is: called apart, each was handed a copy of the whole
    /// policy for every evaluation (docs/performance.md, round eighteen).
    @inline(__always)
    public func evaluate(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        if direct, let outcome = directOutcome(resource, config: config) { return outcome }
        return try generalOutcome(resource, config: config)
    }

    /// The outcome worked out by `Evaluator`, which every condition has (and which `directOutcome` must agree with).
    func generalOutcome(_ resource: ResourceContext, config: PolicyConfig) throws -> Outcome {
        let effective = evaluator.effective(config)
        let scope = Scope(resource, config: effective)
        var trace = Trace()
        if let applicability {
            switch try evaluator.evaluate(applicability, scope, &trace) {
            case .no: return .notApplicable(Self.whereDoesNotHold)
            case .unknown:
                return .indeterminate("cannot tell whether the policy applies: \(trace.reason ?? "a value is not known")")
            case .yes: break
            }
        }
        switch try evaluator.evaluate(validation, scope, &trace) {
        case .yes: return .pass
        case .no: return .violation(violation(resource, scope))
        case .unknown: return .indeterminate(trace.reason ?? "a value the policy needs is not known")
        }
    }

    /// The outcome worked out from the leaves' direct forms, or nil when one of them cannot tell (the general
    /// evaluation then starts over and gives it).
    @inline(__always)
    func directOutcome(_ resource: ResourceContext, config: PolicyConfig) -> Outcome? {
        // The scope's root as `Scope` makes it, without the `Item`: a direct answer needs a plain object or array.
        // Lent by the context where it holds them (a copy costs a reference count per evaluation), else held here.
        let answer: DirectAnswer?
        if let root = resource.lentProperties, let kind = resource.propertiesKind {
            answer = Self.directAnswer(directApplicability, directValidation, root, kind)
        } else {
            guard let root = resource.properties else { return nil }
            answer = Self.directAnswer(directApplicability, directValidation, root.lent, resource.propertiesKind ?? root.kind)
            // The lent value is read through `root`'s hold on the document: keep it until the answer is made.
            withExtendedLifetime(root) {}
        }
        switch answer {
        case nil: return nil
        case .pass: return .pass
        case .notApplicable: return .notApplicable(Self.whereDoesNotHold)
        case .violation: return .violation(violation(resource, Scope(resource, config: evaluator.effective(config))))
        }
    }

    private enum DirectAnswer {
        case pass, notApplicable, violation
    }

    /// What the direct forms of a policy's `where` and `validate` answer for the properties `root`, of `kind`; nil
    /// when one of them cannot tell. Static, and given the parts it reads: a method would be handed a copy of the
    /// whole policy, made afresh for every evaluation.
    private static func directAnswer(_ applicability: DirectCondition?, _ validation: DirectCondition?,
                                     _ root: LentPropertyValue, _ kind: PropertyKind) -> DirectAnswer? {
        if let applicability {
            guard let applies = applicability.answer(root, kind) else { return nil }
            if !applies { return .notApplicable }
        }
        guard let valid = validation?.answer(root, kind) else { return nil }
        return valid ? .pass : .violation
    }

    private func violation(_ resource: ResourceContext, _ scope: Scope) -> Violation {
        Violation(message.render(evaluator, scope: scope, stack: resource.stack))
    }
}

/// One `require` entry of a stack policy: a count over the stack's resources.
struct StackRequirement: Sendable {
    var types: TypeSelector
    var condition: Condition?
    var count: CountRequirement
}

/// A stack policy written in the rule language: evaluated once per stack.
public struct RuleStackPolicy: StackPolicy {
    public let descriptor: PolicyDescriptor
    /// `stack.where.stack`: a glob over `org/project/stack`.
    let stackPattern: String?
    let requirements: [StackRequirement]
    let message: MessageTemplate
    let evaluator: Evaluator

    public func evaluate(_ context: StackContext, config: PolicyConfig) throws -> StackEvaluation {
        let stack = context.stack
        if let stackPattern, !StackGlob.matches(stackPattern, stack.identity) {
            return .stackLevel(.notApplicable("stack \(stack.identity.fullyQualified) does not match '\(stackPattern)'"))
        }
        let effective = evaluator.effective(config)
        var trace = Trace()
        var result = Truth.yes
        for requirement in requirements {
            var certain = 0, uncertain = 0
            for index in evaluator.candidates(requirement.types, stack.graph) {
                var truth = Truth.yes
                if let condition = requirement.condition {
                    truth = try evaluator.evaluate(condition, Scope(stack: stack, index: index, config: effective), &trace)
                }
                if truth == .yes { certain += 1 } else if truth == .unknown { uncertain += 1 }
            }
            let t = try evaluator.countTruth(requirement.count, certain: certain, uncertain: uncertain, config: effective, &trace)
            if t == .no { result = .no; break }
            if t == .unknown { result = .unknown }
        }
        switch result {
        case .yes: return .pass
        case .no: return .stackLevel(.violation(Violation(message.render(evaluator, scope: nil, stack: stack))))
        case .unknown: return .stackLevel(.indeterminate(trace.reason ?? "a value the policy needs is not known"))
        }
    }
}

/// Stack globs: `*/*/prod`; a pattern with fewer parts matches the trailing parts (`prod` ≡ `*/*/prod`).
enum StackGlob {
    static func matches(_ pattern: String, _ identity: StackIdentity) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).count
        let full = parts >= 3 ? pattern : Array(repeating: "*", count: 3 - parts).joined(separator: "/") + "/" + pattern
        return Glob.matches(full, identity.fullyQualified)
    }
}

extension Evaluator {
    /// The config a rule reads: schema defaults under the engine's effective config.
    func effective(_ config: PolicyConfig) -> PolicyConfig {
        if defaults.values.isEmpty { return config }
        if config.values.isEmpty { return defaults }
        // The engine passes the schema defaults (or settings over them) as the config: nothing to merge, and no
        // dictionary to build on every evaluation.
        if defaults.values.keys.allSatisfy({ config.values[$0] != nil }) { return config }
        return defaults.merging(config)
    }
}
