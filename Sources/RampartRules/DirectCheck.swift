import RampartJSON
import RampartModel
import RampartPolicy

/// A leaf answered straight from the parsed document: a plain key path (no wildcards) of the default property set
/// compared with literal scalars (`exists`, `isEmpty`, `equals`, `notEquals`, `in`, `notIn`, `contains`,
/// `notContains`, and `startsWith` and `endsWith` with ASCII literals, none with `ignoreCase`; the numeric
/// comparisons; `matches` and `notMatches`). Most leaves of real packs are this shape, and the general walk spent
/// more on the `Item` it builds per evaluation (and its reference counting) than on finding the value.
///
/// It answers only where the value reached is absent, null, a boolean, a number or a plain string (for `contains`,
/// also an array of those), and gives there what the general walk and `Evaluator.apply` give (`DirectCheckTests`
/// compare the two). Everything else (a signature object on the way, a secret, the preview's unknown sentinel or
/// blinded secret, an object reached, a string's substrings, the ends of a string with escapes or non-ASCII bytes,
/// a string with escapes matched against an expression) is left to the general walk: `answer` returns nil. A
/// direct answer is therefore only ever yes or no.
///
/// A class, like `Leaf`: a leaf hands over one reference rather than a copy of its path and literals.
final class DirectCheck: Sendable {
    /// A literal the value is compared with.
    enum Literal: Sendable {
        case bool(Bool)
        case number(Double)
        case string(String)

        init?(_ value: ConfigValue) {
            switch value {
            case .bool(let b): self = .bool(b)
            case .number(let n): self = .number(n)
            case .string(let s): self = .string(s)
            case .null, .array, .object: return nil
            }
        }
    }

    /// Not copyable, so that it is switched over in place: copying it out of the check for every evaluation cost a
    /// reference count on its payload.
    enum Test: ~Copyable, Sendable {
        /// Whether there is a value (absent and null are not).
        case exists
        /// Equal to one of the literals (`equals` has one).
        case equalsAny([Literal])
        /// A number compared with a bound; anything else is `no`.
        case compare(NumericComparison, Double)
        /// The empty string (absent and null count as empty; numbers and booleans do not).
        case isEmpty
        /// An array with an element equal to the literal (numbers and booleans contain nothing).
        case contains(Literal)
        /// A string starting (`prefix`) or ending with these ASCII bytes; numbers and booleans do neither.
        case affix([UInt8], prefix: Bool)
        /// A string the regular expression matches (through its memo of answers); numbers and booleans match nothing.
        case matches(CompiledRegex)
    }

    let keyPath: JSONKeyPath
    let test: Test
    /// Whether the answer is the test's negation (`notEquals`, `notIn`, `notContains`, `exists: false`,
    /// `isEmpty: false`).
    let negated: Bool

    /// The direct form of a leaf, when it has one.
    init?(reference: Reference, op: Operator, ignoreCase: Bool, isWildcard: Bool) {
        guard !isWildcard, case .props(let path) = reference, let keyPath = path.keyPath, keyPath.count > 0 else { return nil }
        func literals(_ operand: Operand) -> [Literal]? {
            guard !ignoreCase, case .literal(let value) = operand else { return nil }
            if case .array(let options) = value {
                let scalars = options.compactMap(Literal.init)
                return scalars.count == options.count ? scalars : nil
            }
            return Literal(value).map { [$0] }
        }
        switch op {
        case .exists(let b):
            test = .exists
            negated = !b
        case .isEmpty(let b):
            test = .isEmpty
            negated = !b
        case .equals(let operand), .notEquals(let operand):
            // `equals` with a list compares the whole list (deep equality), unlike `in`: one scalar only.
            guard !ignoreCase, case .literal(let value) = operand, let literal = Literal(value) else { return nil }
            test = .equalsAny([literal])
            if case .notEquals = op { negated = true } else { negated = false }
        case .isIn(let operand), .notIn(let operand):
            guard let options = literals(operand) else { return nil }
            test = .equalsAny(options)
            if case .notIn = op { negated = true } else { negated = false }
        case .contains(let operand), .notContains(let operand):
            guard !ignoreCase, case .literal(let value) = operand, let needle = Literal(value) else { return nil }
            test = .contains(needle)
            if case .notContains = op { negated = true } else { negated = false }
        case .compare(let comparison, let operand):
            guard case .literal(.number(let bound)) = operand else { return nil }
            test = .compare(comparison, bound)
            negated = false
        case .startsWith(let operand), .endsWith(let operand):
            // An ASCII literal only: see `Test.affix` in `answer`.
            guard !ignoreCase, case .literal(.string(let affix)) = operand, affix.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            if case .startsWith = op { test = .affix(Array(affix.utf8), prefix: true) } else { test = .affix(Array(affix.utf8), prefix: false) }
            negated = false
        case .matches(let regex), .notMatches(let regex):
            // `ignoreCase` is compiled into the expression.
            test = .matches(regex)
            if case .notMatches = op { negated = true } else { negated = false }
        default:
            return nil
        }
        self.keyPath = keyPath
    }

    /// The answer for the scope whose root is `root` (yes or no: a direct answer is never unknown), or nil when the
    /// general walk must give it.
    func answer(_ root: Item) -> Bool? {
        guard case .value(.property(let value, let kind), _) = root else { return nil }
        return answer(value.lent, kind)
    }

    /// The answer from a root that is a property value of `kind` (see `answer(_:)`), lent by a caller that holds it.
    /// Read in place through a tree view: the value reached is a position, not a node holding a reference to its
    /// document.
    func answer(_ root: LentPropertyValue, _ kind: PropertyKind) -> Bool? {
        guard kind == .object || kind == .array else { return nil }
        let dialect = root.dialect
        return root.node.answerWithTreeView { view in
            guard let reached = view.descend(keyPath, from: view.root) else { return missing }
            guard reached.steps == keyPath.count else { return nil }
            let at = reached.position
            let holds: Bool
            switch view.kind(at) {
            case .null: return missing
            case .object: return nil
            case .array:
                switch test {
                case .contains(let needle):
                    var found = false
                    var element = view.firstChild(of: at)
                    let end = view.after(at)
                    while element < end {
                        if let scalar = Scalar(view, element, dialect) {
                            if scalar.equals(needle, view) { found = true; break }
                        } else {
                            // A null element equals no literal; an array equals no scalar.
                            let elementKind = view.kind(element)
                            if elementKind != .null && elementKind != .array { return nil }
                        }
                        element = view.after(element)
                    }
                    holds = found
                default: return nil
                }
            case .bool, .number, .string:
                guard let scalar = Scalar(view, at, dialect) else { return nil }
                switch test {
                case .exists: holds = true
                case .equalsAny(let options): holds = options.contains { scalar.equals($0, view) }
                case .compare(let comparison, let bound):
                    if case .number(let n) = scalar { holds = comparison.holds(n, bound) } else { holds = false }
                case .isEmpty:
                    if case .string = scalar { holds = view.stringEquals(at, "") } else { holds = false }
                case .contains:
                    // A string's substrings are compared as Swift strings compare (by characters); that is left to
                    // the general walk. Numbers and booleans contain nothing.
                    if case .string = scalar { return nil }
                    holds = false
                case .affix(let affix, let prefix):
                    // Swift's `hasPrefix`/`hasSuffix` compare two ASCII strings byte by byte (they are in NFC), and
                    // other strings by characters: a string with other bytes, or with escapes, is left to the walk.
                    guard case .string = scalar else { holds = false; break }
                    guard let text = view.rawString(at), !text.contains(where: { $0 >= 0x80 }) else { return nil }
                    if text.count < affix.count {
                        holds = false
                    } else {
                        let part = prefix ? UnsafeBufferPointer(rebasing: text.prefix(affix.count))
                                          : UnsafeBufferPointer(rebasing: text.suffix(affix.count))
                        holds = part.elementsEqual(affix)
                    }
                case .matches(let regex):
                    // A string with escapes, one too long to match, and a match stopped by its budget (an error) are
                    // the general walk's.
                    guard case .string = scalar else { holds = false; break }
                    guard let text = view.rawString(at), text.count <= CompiledRegex.maxInputLength,
                          let matched = regex.matches(String(decoding: text, as: UTF8.self)) else { return nil }
                    holds = matched
                }
            }
            return holds != negated
        }
    }

    /// The answer for an absent or null value: only `isEmpty` holds for one.
    private var missing: Bool {
        switch test {
        case .isEmpty: return !negated
        default: return negated
        }
    }

    /// A plain scalar value of a tree view: a boolean, a number, or (by its position) a string that is neither the
    /// preview's unknown sentinel nor (in a preview) its blinded secret.
    fileprivate enum Scalar {
        case bool(Bool)
        case number(Double)
        case string(position: Int)

        /// Nil for nulls, containers and the strings that stand for something else.
        init?(_ view: JSONTreeView, _ position: Int, _ dialect: PropertyDialect) {
            switch view.kind(position) {
            case .bool:
                guard let b = view.bool(position) else { return nil }
                self = .bool(b)
            case .number:
                guard let n = view.number(position) else { return nil }
                self = .number(n)
            case .string:
                // Only a string as long as a sentinel may be one: most are told apart by the length on the tape.
                if view.stringMayHaveLength(position, PulumiSignature.unknownLength, PulumiSignature.blindedSecretLength) {
                    guard PropertyValue.stringKind(dialect: dialect, { view.stringEquals(position, $0) }) == .string else { return nil }
                }
                self = .string(position: position)
            case .null, .array, .object:
                return nil
            }
        }

        /// As `Comparison.equal` compares a value with a scalar literal: numbers by value, strings by their bytes.
        func equals(_ literal: Literal, _ view: JSONTreeView) -> Bool {
            switch (self, literal) {
            case (.bool(let a), .bool(let b)): return a == b
            case (.number(let a), .number(let b)): return a == b
            case (.string(let position), .string(let b)): return view.stringEquals(position, b)
            default: return false
            }
        }
    }
}

/// A condition whose every leaf has a direct form (`DirectCheck`), joined by `all`, `any`, `not` and quantifiers over
/// a plain path of the default property set, compiled to be answered in place: its parts are switched over without
/// being copied (opening a case of `Condition` cost a reference count on its payload, every evaluation).
final class DirectCondition: Sendable {
    enum Shape: ~Copyable, Sendable {
        case all([DirectCondition])
        case any([DirectCondition])
        case not(DirectCondition)
        case leaf(DirectCheck)
        case quantified(Quantifier, JSONKeyPath, DirectCondition)
    }

    let shape: Shape

    /// The direct form of `condition`; nil when a leaf has none, or for a relation.
    init?(_ condition: Condition) {
        switch condition {
        case .all(let parts), .any(let parts):
            let direct = parts.compactMap(DirectCondition.init)
            guard direct.count == parts.count else { return nil }
            if case .all = condition { shape = .all(direct) } else { shape = .any(direct) }
        case .not(let inner):
            guard let direct = DirectCondition(inner) else { return nil }
            shape = .not(direct)
        case .leaf(let leaf):
            guard let direct = leaf.direct else { return nil }
            shape = .leaf(direct)
        case .quantified(let quantifier, let reference, _, let body):
            guard case .props(let path) = reference, let keyPath = path.keyPath, let direct = DirectCondition(body) else {
                return nil
            }
            shape = .quantified(quantifier, keyPath, direct)
        case .related:
            return nil
        }
    }

    /// The answer from the leaves' direct forms, or nil as soon as one of them leaves its answer to the general walk.
    /// Parts are taken in order and the first deciding one ends the walk, as `Evaluator` does, so a part after it is
    /// not read either way. `root` is the scope's root, a property value of `kind`.
    func answer(_ root: LentPropertyValue, _ kind: PropertyKind) -> Bool? {
        switch shape {
        case .all(let parts):
            for part in parts.indices {
                guard let holds = parts[part].answer(root, kind) else { return nil }
                if !holds { return false }
            }
            return true
        case .any(let parts):
            for part in parts.indices {
                guard let holds = parts[part].answer(root, kind) else { return nil }
                if holds { return true }
            }
            return false
        case .not(let inner): return inner.answer(root, kind).map { !$0 }
        case .leaf(let check): return check.answer(root, kind)
        case .quantified(let quantifier, let keyPath, let body): return Self.answer(quantifier, keyPath, body, root, kind)
        }
    }

    /// A quantifier over the array a plain key path reaches, each element an object or array answered directly.
    /// As in `Evaluator`, a value that is not an array has no elements (an object's members are left to the general
    /// walk), and the first deciding element ends the walk.
    private static func answer(_ quantifier: Quantifier, _ keyPath: JSONKeyPath, _ body: DirectCondition,
                               _ root: LentPropertyValue, _ kind: PropertyKind) -> Bool? {
        guard kind == .object || kind == .array else { return nil }
        let rootNode = root.node.node
        var target = rootNode
        if keyPath.count > 0 {
            if let descent = rootNode.descend(keyPath) {
                guard descent.steps == keyPath.count else { return nil }
                target = descent.node
            } else {
                return decision(quantifier, sawYes: false, sawNo: false)
            }
        }
        switch target.kind {
        case .null: return decision(quantifier, sawYes: false, sawNo: false)
        case .bool, .number, .string:
            // A plain scalar has no elements; a string that stands for an unknown or a secret is the walk's.
            guard target.withTreeView({ DirectCheck.Scalar($0, $0.root, root.dialect) != nil }) else { return nil }
            return decision(quantifier, sawYes: false, sawNo: false)
        case .object: return nil
        case .array: break
        }
        var sawYes = false, sawNo = false
        for element in target.elements {
            let value = PropertyValue(node: element, dialect: root.dialect)
            let elementKind = value.kind
            guard elementKind == .object || elementKind == .array,
                  let holds = withExtendedLifetime(value, { body.answer(value.lent, elementKind) }) else { return nil }
            if holds { sawYes = true } else { sawNo = true }
            switch quantifier {
            case .some, .none: if sawYes { return decision(quantifier, sawYes: sawYes, sawNo: sawNo) }
            case .every: if sawNo { return decision(quantifier, sawYes: sawYes, sawNo: sawNo) }
            }
        }
        return decision(quantifier, sawYes: sawYes, sawNo: sawNo)
    }

    private static func decision(_ quantifier: Quantifier, sawYes: Bool, sawNo: Bool) -> Bool {
        switch quantifier {
        case .some: return sawYes
        case .every: return !sawNo
        case .none: return !sawYes
        }
    }
}
