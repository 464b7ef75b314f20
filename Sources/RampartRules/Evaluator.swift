import RampartModel
import RampartPolicy

/// Why a policy could not be evaluated (reported as the outcome `error`, never a crash).
public enum RuleEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A config key the rule reads has no value (declared without a default and not set for the stack).
    case missingConfig(policy: String, key: String)
    /// A regular expression match ran past `CompiledRegex.matchBudget` and was stopped.
    case regexBudgetExceeded(policy: String, path: String, pattern: String)

    public var description: String {
        switch self {
        case .missingConfig(let policy, let key):
            return "policy '\(policy)' reads config '\(key)', which has no default and is not set for this stack"
        case .regexBudgetExceeded(let policy, let path, let pattern):
            return "policy '\(policy)': matching '\(path)' against /\(pattern)/ ran past \(CompiledRegex.matchBudget / 1_000_000) ms and was stopped; expected a pattern that does not backtrack catastrophically"
        }
    }
}

/// Where a condition is evaluated: a resource of a stack, the value paths are relative to (the resource's default
/// property set, or the current element in a quantifier), and the policy's effective config.
struct Scope {
    let stack: Stack
    let index: Int
    let root: Item
    let config: PolicyConfig

    init(stack: Stack, index: Int, config: PolicyConfig) {
        self.stack = stack
        self.index = index
        self.root = Item(stack.graph.resources[index].properties(stack.propertySource))
        self.config = config
    }

    /// The scope of a policy's own resource, read through the context's document handle.
    init(_ context: ResourceContext, config: PolicyConfig) {
        self.init(stack: context.stack, index: context.index, root: Item(context.properties, kind: context.propertiesKind),
                  config: config)
    }

    private init(stack: Stack, index: Int, root: Item, config: PolicyConfig) {
        self.stack = stack
        self.index = index
        self.root = root
        self.config = config
    }

    func element(_ item: Item) -> Scope { Scope(stack: stack, index: index, root: item, config: config) }
    func resource(_ other: Int) -> Scope { Scope(stack: stack, index: other, config: config) }
}

/// The first reason a condition became unknown, for the `indeterminate` outcome.
struct Trace {
    var reason: String?
    mutating func note(_ text: @autoclosure () -> String) { if reason == nil { reason = text() } }
}

/// Evaluates compiled conditions with three-valued logic (docs/rules.md, "Unknown values and secrets"). One exhaustive switch per construct.
struct Evaluator: Sendable {
    /// The policy's name, for errors.
    let policy: String
    /// The config schema's defaults.
    let defaults: PolicyConfig

    func evaluate(_ condition: Condition, _ scope: Scope, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        switch condition {
        case .all(let parts):
            var sawUnknown = false
            for part in parts {
                switch try evaluate(part, scope, &trace) {
                case .no: return .no
                case .unknown: sawUnknown = true
                case .yes: break
                }
            }
            return sawUnknown ? .unknown : .yes
        case .any(let parts):
            var sawUnknown = false
            for part in parts {
                switch try evaluate(part, scope, &trace) {
                case .yes: return .yes
                case .unknown: sawUnknown = true
                case .no: break
                }
            }
            return sawUnknown ? .unknown : .no
        case .not(let inner):
            return try evaluate(inner, scope, &trace).negated
        case .leaf(let leaf):
            return try evaluate(leaf, scope, &trace)
        case .quantified(let quantifier, let reference, let pathText, let body):
            return try evaluate(quantifier, reference, pathText, body, scope, &trace)
        case .related(let relation):
            return try evaluate(relation, scope, &trace)
        }
    }

    // MARK: - Leaves

    func evaluate(_ leaf: Leaf, _ scope: Scope, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        guard leaf.isWildcard else {
            if let holds = leaf.direct?.answer(scope.root) { return Truth(holds) }
            return try apply(leaf, to: resolve(leaf.reference, scope), scope, &trace)
        }
        var sawYes = false, sawNo = false, sawUnknown = false
        for item in resolveMany(leaf.reference, scope) {
            switch try apply(leaf, to: item, scope, &trace) {
            case .yes: sawYes = true
            case .no: sawNo = true
            case .unknown: sawUnknown = true
            }
        }
        switch leaf.match {
        case .all: return sawNo ? .no : sawUnknown ? .unknown : .yes
        case .any: return sawYes ? .yes : sawUnknown ? .unknown : .no
        case .none: return sawYes ? .no : sawUnknown ? .unknown : .yes
        }
    }

    func apply(_ leaf: Leaf, to item: Item, _ scope: Scope, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        switch item {
        case .unknown:
            if case .isUnknown(let b) = leaf.op { return Truth(b) }
            trace.note("'\(leaf.pathText)' is not known until the update runs")
            return .unknown
        case .encrypted:
            switch leaf.op {
            case .isSecret(let b), .exists(let b): return Truth(b)
            case .isUnknown(let b): return Truth(!b)
            // Every other operator reads the value the ciphertext hides. Listed rather than defaulted, so that a new
            // operator does not compile until it says what an encrypted secret gives.
            case .equals, .notEquals, .isIn, .notIn, .matches, .notMatches, .contains, .notContains, .containsAll,
                 .containsAny, .startsWith, .endsWith, .compare, .length, .isEmpty, .type, .cidrIncludes:
                trace.note("'\(leaf.pathText)' is an encrypted secret")
                return .unknown
            }
        case .absent, .null:
            switch leaf.op {
            case .exists(let b): return Truth(!b)
            case .isEmpty(let b): return Truth(b)
            case .notEquals, .notIn, .notMatches, .notContains: return .yes
            case .type(let kind):
                if case .null = item { return Truth(kind == .null) }
                return .no
            // A missing value has nothing to match. Listed rather than defaulted, so that a new operator does not
            // compile until it says what a missing value gives.
            case .equals, .isIn, .matches, .contains, .containsAll, .containsAny, .startsWith, .endsWith, .compare,
                 .length, .isSecret, .isUnknown, .cidrIncludes:
                return .no
            }
        case .value(_, let secret):
            return try applyToValue(leaf, item, secret: secret, scope, &trace)
        }
    }

    private func applyToValue(_ leaf: Leaf, _ item: Item, secret: Bool, _ scope: Scope,
                              _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        let fold = leaf.ignoreCase
        switch leaf.op {
        case .exists(let b): return Truth(b)
        case .isSecret(let b): return Truth(secret == b)
        case .isUnknown(let b): return Truth(!b)
        case .isEmpty(let b):
            return Truth(item.hasZeroLength == b)
        case .type(let kind): return Truth(item.kind == kind)
        case .equals(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { Comparison.equal(item, $0, fold: fold) }
        case .notEquals(let operand):
            return try withOperand(operand, scope, &trace, missing: .yes) { Comparison.equal(item, $0, fold: fold).negated }
        case .isIn(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { Comparison.member(item, of: $0, fold: fold) }
        case .notIn(let operand):
            return try withOperand(operand, scope, &trace, missing: .yes) { Comparison.member(item, of: $0, fold: fold).negated }
        case .matches(let regex): return try match(regex, item, leaf, &trace)
        case .notMatches(let regex): return try match(regex, item, leaf, &trace).negated
        case .contains(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { Comparison.contains(item, $0, fold: fold) }
        case .notContains(let operand):
            return try withOperand(operand, scope, &trace, missing: .yes) { Comparison.contains(item, $0, fold: fold).negated }
        case .containsAll(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { list in
                Comparison.all((list.array ?? [list]).map { Comparison.contains(item, $0, fold: fold) })
            }
        case .containsAny(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { list in
                Comparison.any((list.array ?? [list]).map { Comparison.contains(item, $0, fold: fold) })
            }
        case .startsWith(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { Comparison.affix(item, $0, fold: fold, prefix: true) }
        case .endsWith(let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { Comparison.affix(item, $0, fold: fold, prefix: false) }
        case .compare(let comparison, let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { bound in
                guard let a = item.number, let b = bound.number else { return .no }
                return Truth(comparison.holds(a, b))
            }
        case .length(let comparison, let operand):
            return try withOperand(operand, scope, &trace, missing: .no) { bound in
                guard let a = item.length, let b = bound.number else { return .no }
                return Truth(comparison.holds(Double(a), b))
            }
        case .cidrIncludes(let cidr):
            guard let text = item.string, let network = CIDR(text) else { return .no }
            return Truth(network.includes(cidr))
        }
    }

    private func match(_ regex: CompiledRegex, _ item: Item, _ leaf: Leaf, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        guard let text = item.string else { return .no }
        guard text.utf8.count <= CompiledRegex.maxInputLength else {
            trace.note("'\(leaf.pathText)' is longer than \(CompiledRegex.maxInputLength) bytes, the limit for regular expression matching")
            return .unknown
        }
        guard let matched = regex.matches(text) else {
            throw .regexBudgetExceeded(policy: policy, path: leaf.pathText, pattern: regex.pattern)
        }
        return Truth(matched)
    }

    private func withOperand(_ operand: Operand, _ scope: Scope, _ trace: inout Trace, missing: Truth,
                             _ body: (ConfigValue) -> Truth) throws(RuleEvaluationError) -> Truth {
        switch operand {
        case .literal(let v): return body(v)
        case .config(let key):
            guard let v = scope.config[key] else { throw .missingConfig(policy: policy, key: key) }
            return body(v)
        case .reference(let reference):
            switch resolve(reference, scope).plain() {
            case .value(let v): return body(v)
            case .missing: return missing
            case .unreadable:
                trace.note("an operand value is unknown or an encrypted secret")
                return .unknown
            }
        }
    }

    // MARK: - Quantifiers

    private func evaluate(_ quantifier: Quantifier, _ reference: Reference, _ pathText: String, _ body: Condition,
                          _ scope: Scope, _ trace: inout Trace) throws(RuleEvaluationError) -> Truth {
        let target = resolve(reference, scope)
        switch target {
        case .unknown:
            trace.note("'\(pathText)' is not known until the update runs")
            return .unknown
        case .encrypted:
            trace.note("'\(pathText)' is an encrypted secret")
            return .unknown
        case .absent, .null, .value: break
        }
        var sawYes = false, sawNo = false, sawUnknown = false
        // Whether the answer is decided, after one more element.
        func decided(_ element: Item, _ trace: inout Trace) throws(RuleEvaluationError) -> Bool {
            switch try evaluate(body, scope.element(element), &trace) {
            case .yes: sawYes = true
            case .no: sawNo = true
            case .unknown: sawUnknown = true
            }
            switch quantifier {
            case .some, .none: return sawYes
            case .every: return sawNo
            }
        }
        let isArray = try target.forEachElement { (element) throws(RuleEvaluationError) -> Bool in try !decided(element, &trace) }
        if !isArray {
            for member in target.members ?? [] where try decided(member.value, &trace) { break }
        }
        switch quantifier {
        case .some: return sawYes ? .yes : sawUnknown ? .unknown : .no
        case .every: return sawNo ? .no : sawUnknown ? .unknown : .yes
        case .none: return sawYes ? .no : sawUnknown ? .unknown : .yes
        }
    }
}
