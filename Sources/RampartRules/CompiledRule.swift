import Foundation
import RampartJSON
import RampartModel
import RampartPolicy

// The compiled form of the rule language. Everything a rule says is decided here, at load: operators are enum cases,
// paths are segment arrays, regular expressions and CIDRs are parsed. Evaluation (Evaluator.swift) is one
// exhaustive switch over these values; it never looks an operator up by name.

/// One step of a property path.
enum PathSegment: Sendable, Hashable {
    case key(String)
    case index(Int)
    /// `[*]`: every element of an array.
    case everyElement
    /// `.*`: every value of an object.
    case everyMember
}

/// A pre-parsed property path (`a.b[0].c`, `["weird.key"]`, `[*]`, `.*`). Empty: the scope's root itself.
///
/// A class, like `Leaf`: a path is read on every evaluation of its rule, and handing over one reference is cheaper
/// than copying (and reference-counting) its segments, text and compiled form.
final class PropertyPath: Sendable, Hashable, CustomStringConvertible {
    let segments: [PathSegment]
    /// The path as written, for messages.
    let text: String
    /// The path compiled for one pass over a property value's document (nil for a path with wildcards). It stops at
    /// objects with Pulumi's signature key (secrets, output values…), which are stepped through by their own rules.
    let keyPath: JSONKeyPath?

    init(segments: [PathSegment], text: String) {
        self.segments = segments
        self.text = text
        var steps: [JSONKeyPath.Step] = []
        for segment in segments {
            switch segment {
            case .key(let key): steps.append(.key(key))
            case .index(let index): steps.append(.index(index))
            case .everyElement, .everyMember: break
            }
        }
        keyPath = steps.count == segments.count ? JSONKeyPath(steps, stoppingAtObjectsWithKey: PulumiSignature.key) : nil
    }

    var hasWildcard: Bool { keyPath == nil }
    var description: String { text }

    static func == (a: PropertyPath, b: PropertyPath) -> Bool { a === b || (a.segments == b.segments && a.text == b.text) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(segments)
        hasher.combine(text)
    }
}

/// What a leaf, operand or template reads (docs/rules.md, "What a rule can read").
enum Reference: Sendable, Hashable {
    /// The default property set (outputs in state, inputs in a preview), or the current element in a quantifier.
    case props(PropertyPath)
    case inputs(PropertyPath)
    case outputs(PropertyPath)
    case type, name, urn, id, stack, project, org, protect, custom
    case parentType, parentName
    case providerType
    case providerProps(PropertyPath)
    /// `$config.key` (optionally with a path into the value).
    case config(key: String, path: PropertyPath)

    /// The path the reference walks, when it has one.
    var path: PropertyPath? {
        switch self {
        case .props(let p), .inputs(let p), .outputs(let p), .providerProps(let p), .config(_, let p): return p
        default: return nil
        }
    }
}

/// A comparison operand: a literal, a config key, or another value of the same resource.
enum Operand: Sendable {
    case literal(ConfigValue)
    case config(String)
    case reference(Reference)
}

/// The numeric comparisons of `greaterThan` … and of `length`/`count`.
enum NumericComparison: String, Sendable, CaseIterable {
    case equals, notEquals, greaterThan, greaterOrEqual, lessThan, lessOrEqual

    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .equals: return a == b
        case .notEquals: return a != b
        case .greaterThan: return a > b
        case .greaterOrEqual: return a >= b
        case .lessThan: return a < b
        case .lessOrEqual: return a <= b
        }
    }
}

/// JSON kinds for the `type` operator.
enum ValueKind: String, Sendable, CaseIterable {
    case string, number, bool, array, object, null
}

/// How a leaf over a wildcard path combines its values.
enum WildcardMatch: String, Sendable, CaseIterable {
    case all, any, none
}

/// A regular expression compiled at load. Matching is bounded twice: values longer than `maxInputLength` make the
/// leaf unknown instead of being matched, and a match running longer than `matchBudget` is stopped (ICU reports
/// progress during long matches) and reported as `nil`, which the evaluator turns into an `error` outcome.
struct CompiledRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented thread-safe for matching, so sharing it
    // across evaluation threads is safe.
    let regex: NSRegularExpression
    let pattern: String
    /// Answers already worked out for short values: an estate repeats the same few values (runtimes, regions,
    /// names) across thousands of resources, and one ICU match costs far more than a lookup.
    let answers = RegexAnswers()

    init(regex: NSRegularExpression, pattern: String) {
        self.regex = regex
        self.pattern = pattern
    }
    static let maxInputLength = 64 * 1024
    /// Longest one match may run: 250 ms. Far above what a linear-time pattern needs on 64 KiB (well under 10 ms);
    /// reached only by pathological patterns, so the (rarely) machine-dependent cut-off does not affect real rules.
    static let matchBudget: UInt64 = 250_000_000

    /// Whether `text` matches, or nil when the match ran past the budget and was stopped.
    func matches(_ text: String, budget: UInt64 = matchBudget) -> Bool? {
        let remembered = text.utf8.count <= RegexAnswers.longestValue
        if remembered, let answer = answers[text] { return answer }
        guard let answer = match(text, budget: budget) else { return nil }
        if remembered { answers[text] = answer }
        return answer
    }

    /// Runs the match (see `matches`).
    private func match(_ text: String, budget: UInt64) -> Bool? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        let deadline = DispatchTime.now().uptimeNanoseconds &+ budget
        var found = false, stopped = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { match, _, stop in
            if match != nil {
                found = true
                stop.pointee = true
            } else if DispatchTime.now().uptimeNanoseconds > deadline {
                stopped = true
                stop.pointee = true
            }
        }
        return found ? true : stopped ? nil : false
    }
}

/// The answers of one `CompiledRegex` for values of at most `longestValue` bytes, at most `capacity` of them (the
/// first ones met; later values are matched every time). Evaluation runs on several threads, hence the lock.
final class RegexAnswers: @unchecked Sendable {
    static let longestValue = 256
    static let capacity = 4096
    private let lock = NSLock()
    private var answers: [String: Bool] = [:]

    /// Number of answers held.
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return answers.count
    }

    subscript(text: String) -> Bool? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return answers[text]
        }
        set {
            lock.lock()
            defer { lock.unlock() }
            if answers.count < Self.capacity || answers[text] != nil { answers[text] = newValue }
        }
    }
}

/// An operator with its compiled operand.
enum Operator: Sendable {
    case exists(Bool)
    case equals(Operand)
    case notEquals(Operand)
    case isIn(Operand)
    case notIn(Operand)
    case matches(CompiledRegex)
    case notMatches(CompiledRegex)
    case contains(Operand)
    case notContains(Operand)
    case containsAll(Operand)
    case containsAny(Operand)
    case startsWith(Operand)
    case endsWith(Operand)
    case compare(NumericComparison, Operand)
    case length(NumericComparison, Operand)
    case isEmpty(Bool)
    case type(ValueKind)
    case isSecret(Bool)
    case isUnknown(Bool)
    case cidrIncludes(CIDR)
}

/// `path:` plus one operator.
///
/// A class: every evaluation of a rule passes its leaves around, and handing over one reference is cheaper than
/// copying (and reference-counting) each of the fields.
final class Leaf: Sendable {
    let reference: Reference
    let op: Operator
    let ignoreCase: Bool
    let match: WildcardMatch
    /// Whether the reference yields many values (`[*]`, `.*`).
    let isWildcard: Bool
    /// The path as written, for reasons.
    let pathText: String
    /// The leaf answered from the document without the general walk, when it has that shape (see `DirectCheck`).
    let direct: DirectCheck?

    init(reference: Reference, op: Operator, ignoreCase: Bool, match: WildcardMatch, isWildcard: Bool, pathText: String) {
        self.reference = reference
        self.op = op
        self.ignoreCase = ignoreCase
        self.match = match
        self.isWildcard = isWildcard
        self.pathText = pathText
        direct = DirectCheck(reference: reference, op: op, ignoreCase: ignoreCase, isWildcard: isWildcard)
    }
}

/// `some`, `every`, `none`.
enum Quantifier: String, Sendable, CaseIterable {
    case some, every, none
}

/// How a relation finds related resources.
enum Via: Sendable {
    /// Their property equals our value, or contains it if theirs is an array. The cache holds per-stack indexes.
    case join(theirs: Reference, ours: Reference, cache: JoinCache)
    case parent, children, dependencies, dependents
}

/// `count: { op: n }`.
struct CountRequirement: Sendable {
    var comparison: NumericComparison
    var operand: Operand
    static let atLeastOne = CountRequirement(comparison: .greaterOrEqual, operand: .literal(.number(1)))
}

/// `related:` — a join across the resource graph.
struct Relation: Sendable {
    var types: TypeSelector
    var via: Via
    var condition: Condition?
    var count: CountRequirement
}

/// A condition tree.
indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case leaf(Leaf)
    case quantified(Quantifier, reference: Reference, pathText: String, body: Condition)
    case related(Relation)
}

/// Three-valued truth (docs/rules.md, "Unknown values and secrets").
enum Truth: Sendable, Hashable {
    case yes, no, unknown

    init(_ b: Bool) { self = b ? .yes : .no }
    var negated: Truth {
        switch self {
        case .yes: return .no
        case .no: return .yes
        case .unknown: return .unknown
        }
    }
}
