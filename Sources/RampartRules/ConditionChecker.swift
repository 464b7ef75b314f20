import Foundation
import RampartModel
import RampartPolicy

/// Checks condition trees and compiles them (docs/rules.md, "Conditions and operators" and "Wildcards, quantifiers, relations"). Operator names are looked up here, once.
struct ConditionChecker {
    let doc: DocumentChecker
    /// The policy's declared config, for `{config: key}` operands and `$config.` paths.
    let config: ConfigSchema

    static let operators = [
        "exists", "equals", "notEquals", "in", "notIn", "matches", "notMatches", "contains", "notContains",
        "containsAll", "containsAny", "startsWith", "endsWith", "greaterThan", "greaterOrEqual", "lessThan",
        "lessOrEqual", "length", "isEmpty", "type", "isSecret", "isUnknown", "cidrIncludes",
    ]
    static let quantifiers = Quantifier.allCases.map(\.rawValue)
    static let modifiers = ["ignoreCase", "match"]
    static let combinators = ["all", "any", "not"]
    static let leafKeys = ["path"] + operators + quantifiers + modifiers
    static let conditionKeys = combinators + ["related"] + leafKeys
    static let foldable: Set<String> = ["equals", "notEquals", "in", "notIn", "matches", "notMatches", "contains",
                                        "notContains", "containsAll", "containsAny", "startsWith", "endsWith"]

    var configKeys: Set<String> { Set(config.properties.keys) }

    func condition(_ node: YAMLNode, _ what: String) throws(RulesError) -> Condition {
        guard node.mapping != nil else {
            throw doc.wrongType(node, what, expected: "a condition (a mapping with 'path' and an operator, or all/any/not/related)")
        }
        let m = try doc.mapping(node, what)
        if let combinator = m.entries.first(where: { Self.combinators.contains($0.key) }) {
            if let other = m.entries.first(where: { $0.key != combinator.key }) {
                throw doc.fail(other.keyNode, "found '\(other.key)' beside '\(combinator.key)' in one condition; expected '\(combinator.key)' alone (put other conditions inside it)")
            }
            if combinator.key == "not" { return .not(try condition(combinator.value, "the condition of 'not'")) }
            guard let items = combinator.value.sequence else {
                throw doc.wrongType(combinator.value, "'\(combinator.key)'", expected: "a list of conditions")
            }
            guard !items.isEmpty else { throw doc.fail(combinator.value, "'\(combinator.key)': found an empty list, expected at least one condition") }
            var parts: [Condition] = []
            for item in items { parts.append(try condition(item, "an entry of '\(combinator.key)'")) }
            return combinator.key == "all" ? .all(parts) : .any(parts)
        }
        if let related = m.entry("related") {
            if let other = m.entries.first(where: { $0.key != "related" }) {
                throw doc.fail(other.keyNode, "found '\(other.key)' beside 'related' in one condition; expected 'related' alone")
            }
            return .related(try relation(related.value))
        }
        guard let pathEntry = m.entry("path") else {
            if let op = m.entries.first(where: { Self.operators.contains($0.key) || Self.quantifiers.contains($0.key) }) {
                throw doc.fail(op.keyNode, "condition with '\(op.key)' has no 'path'; expected 'path' beside the operator")
            }
            if let first = m.entries.first { throw doc.unknownKey(first, allowed: Self.conditionKeys, in: "a condition") }
            throw doc.fail(node, "found an empty condition, expected a mapping with 'path' and an operator, or all/any/not/related")
        }
        return try leaf(m, pathEntry)
    }

    private func leaf(_ m: KeyedMapping, _ pathEntry: KeyedMapping.Entry) throws(RulesError) -> Condition {
        let pathText = try doc.string(pathEntry.value, "'path'")
        let reference = try self.reference(pathText, pathEntry.value)
        var operators: [KeyedMapping.Entry] = []
        for entry in m.entries where entry.key != "path" {
            if Self.operators.contains(entry.key) || Self.quantifiers.contains(entry.key) { operators.append(entry); continue }
            if Self.modifiers.contains(entry.key) { continue }
            throw doc.unknownKey(entry, allowed: Self.leafKeys, in: "", noun: "operator")
        }
        guard let opEntry = operators.first else {
            throw doc.fail(m.node, "condition on '\(pathText)' has no operator; expected exactly one of: \(Self.operators.joined(separator: ", ")), or a quantifier some/every/none")
        }
        if operators.count > 1 {
            throw doc.fail(operators[1].keyNode, "found two operators '\(opEntry.key)' and '\(operators[1].key)' in one condition on '\(pathText)'; expected exactly one (combine conditions with all/any)")
        }
        let wildcard = reference.path?.hasWildcard ?? false
        if let quantifier = Quantifier(rawValue: opEntry.key) {
            if let modifier = m.entries.first(where: { Self.modifiers.contains($0.key) }) {
                throw doc.fail(modifier.keyNode, "'\(modifier.key)' cannot sit beside the quantifier '\(quantifier.rawValue)'; expected it inside the element condition")
            }
            if wildcard {
                throw doc.fail(pathEntry.value, "quantifier '\(quantifier.rawValue)' over the wildcard path '\(pathText)'; expected a path naming one array or object (nest quantifiers instead)")
            }
            let body = try condition(opEntry.value, "the condition of '\(quantifier.rawValue)'")
            return .quantified(quantifier, reference: reference, pathText: pathText, body: body)
        }
        var ignoreCase = false
        if let entry = m.entry("ignoreCase") {
            ignoreCase = try doc.bool(entry.value, "'ignoreCase'")
            if !Self.foldable.contains(opEntry.key) {
                throw doc.fail(entry.keyNode, "'ignoreCase' has no effect on '\(opEntry.key)'; expected it only beside string comparisons (\(Self.foldable.sorted().joined(separator: ", ")))")
            }
        }
        var match = WildcardMatch.all
        if let entry = m.entry("match") {
            match = try doc.oneOf(entry.value, "'match'", WildcardMatch.self)
            if !wildcard {
                throw doc.fail(entry.keyNode, "'match' needs a wildcard path ([*] or .*); found the path '\(pathText)'")
            }
        }
        let op = try compileOperator(opEntry, ignoreCase: ignoreCase)
        return .leaf(Leaf(reference: reference, op: op, ignoreCase: ignoreCase, match: match, isWildcard: wildcard, pathText: pathText))
    }

    func reference(_ text: String, _ node: YAMLNode) throws(RulesError) -> Reference {
        do {
            return try PathParser.reference(text, configKeys: configKeys)
        } catch {
            throw doc.fail(node, "invalid path '\(text)': \(error.message)")
        }
    }

    // MARK: - Operators

    private enum OperandShape { case any, list, string, number }

    private func compileOperator(_ entry: KeyedMapping.Entry, ignoreCase: Bool) throws(RulesError) -> Operator {
        let v = entry.value, name = entry.key
        let what = "operand of '\(name)'"
        switch name {
        case "exists": return .exists(try doc.bool(v, what))
        case "isEmpty": return .isEmpty(try doc.bool(v, what))
        case "isSecret": return .isSecret(try doc.bool(v, what))
        case "isUnknown": return .isUnknown(try doc.bool(v, what))
        case "equals": return .equals(try operand(v, name, .any))
        case "notEquals": return .notEquals(try operand(v, name, .any))
        case "in": return .isIn(try operand(v, name, .list))
        case "notIn": return .notIn(try operand(v, name, .list))
        case "contains": return .contains(try operand(v, name, .any))
        case "notContains": return .notContains(try operand(v, name, .any))
        case "containsAll": return .containsAll(try operand(v, name, .list))
        case "containsAny": return .containsAny(try operand(v, name, .list))
        case "startsWith": return .startsWith(try operand(v, name, .string))
        case "endsWith": return .endsWith(try operand(v, name, .string))
        case "greaterThan": return .compare(.greaterThan, try operand(v, name, .number))
        case "greaterOrEqual": return .compare(.greaterOrEqual, try operand(v, name, .number))
        case "lessThan": return .compare(.lessThan, try operand(v, name, .number))
        case "lessOrEqual": return .compare(.lessOrEqual, try operand(v, name, .number))
        case "matches": return .matches(try regex(v, ignoreCase: ignoreCase, name))
        case "notMatches": return .notMatches(try regex(v, ignoreCase: ignoreCase, name))
        case "type": return .type(try doc.oneOf(v, what, ValueKind.self))
        case "cidrIncludes":
            let text = try doc.string(v, what)
            guard let cidr = CIDR(text) else {
                throw doc.fail(v, "\(what): found '\(text)', expected an IPv4 or IPv6 address or CIDR such as 0.0.0.0/0 or ::/0")
            }
            return .cidrIncludes(cidr)
        case "length":
            let count = try self.count(v, what)
            return .length(count.comparison, count.operand)
        default:
            throw doc.unknownKey(entry, allowed: Self.operators, in: "", noun: "operator")
        }
    }

    private func operand(_ node: YAMLNode, _ op: String, _ shape: OperandShape) throws(RulesError) -> Operand {
        let what = "operand of '\(op)'"
        if let pairs = node.mapping, pairs.count == 1, let key = pairs[0].key.string, key == "config" || key == "path" {
            let value = pairs[0].value
            if key == "path" { return .reference(try reference(try doc.string(value, "'path' of \(what)"), value)) }
            let name = try doc.string(value, "'config' of \(what)")
            guard let property = config.properties[name] else {
                let declared = config.properties.keys.sorted()
                throw doc.fail(value, "config key '\(name)' is not declared in the policy's config"
                    + (declared.isEmpty ? "; expected a key declared under 'config'" : "; expected one of: \(declared.joined(separator: ", "))")
                    + Suggestion.hint(for: name, in: declared))
            }
            let fits: Bool
            switch (shape, property.type) {
            case (.any, _), (_, .any): fits = true
            case (.list, .array): fits = true
            case (.string, .string): fits = true
            case (.number, .number), (.number, .integer): fits = true
            default: fits = false
            }
            guard fits else {
                throw doc.fail(value, "\(what): config key '\(name)' has type \(property.type.name), expected \(describe(shape))")
            }
            return .config(name)
        }
        let literal = try doc.value(node, what)
        let fits: Bool
        switch (shape, literal) {
        case (.any, _), (.list, .array), (.string, .string), (.number, .number): fits = true
        default: fits = false
        }
        guard fits else { throw doc.wrongType(node, what, expected: describe(shape)) }
        return .literal(literal)
    }

    private func describe(_ shape: OperandShape) -> String {
        switch shape {
        case .any: return "a value"
        case .list: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        }
    }

    private func regex(_ node: YAMLNode, ignoreCase: Bool, _ op: String) throws(RulesError) -> CompiledRegex {
        let pattern = try doc.string(node, "operand of '\(op)'")
        if let group = RegexComplexity.nestedRepetition(in: pattern) {
            throw doc.fail(node, "regular expression '\(pattern)' in '\(op)' repeats a group that itself repeats ('\(group)'), which can take exponential time; expected a pattern without nested unbounded repetition (e.g. 'a+' instead of '(a+)+')")
        }
        do {
            let regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
            return CompiledRegex(regex: regex, pattern: pattern)
        } catch {
            throw doc.fail(node, "bad regular expression '\(pattern)' in '\(op)': expected an ICU regular expression")
        }
    }

    /// `{ <numeric operator>: n }` for `length` and `count`.
    func count(_ node: YAMLNode, _ what: String) throws(RulesError) -> CountRequirement {
        let m = try doc.mapping(node, what)
        let names = NumericComparison.allCases.map(\.rawValue)
        try doc.checkKeys(m, allowed: names, in: what, noun: "operator")
        guard m.entries.count == 1, let entry = m.entries.first, let comparison = NumericComparison(rawValue: entry.key) else {
            throw doc.fail(node, "\(what): found \(m.entries.count) operators, expected exactly one of \(names.joined(separator: ", "))")
        }
        let operand = try self.operand(entry.value, entry.key, .number)
        if case .reference = operand { throw doc.wrongType(entry.value, "operand of '\(entry.key)' in \(what)", expected: "a number or {config: key}") }
        if case .literal(.number(let n)) = operand, n < 0 || n != n.rounded() {
            throw doc.fail(entry.value, "operand of '\(entry.key)' in \(what): found \(ConfigValue.number(n).rendered), expected a whole number of at least 0")
        }
        return CountRequirement(comparison: comparison, operand: operand)
    }

    // MARK: - Relations

    static let relationKeys = ["types", "via", "where", "count"]
    static let viaKinds = ["parent", "children", "dependencies", "dependents"]

    func relation(_ node: YAMLNode) throws(RulesError) -> Relation {
        let m = try doc.mapping(node, "'related'")
        try doc.checkKeys(m, allowed: Self.relationKeys, in: "'related'")
        let types = try doc.typeSelector(try doc.require(m, "types", in: "'related'", expected: "a list of type tokens or globs"), "'types' of 'related'")
        let viaNode = try doc.require(m, "via", in: "'related'", expected: "{theirs, ours} or one of parent, children, dependencies, dependents")
        let via: Via
        if let text = viaNode.string {
            switch text {
            case "parent": via = .parent
            case "children": via = .children
            case "dependencies": via = .dependencies
            case "dependents": via = .dependents
            default:
                throw doc.fail(viaNode, "'via': found '\(text)', expected {theirs, ours} or one of \(Self.viaKinds.joined(separator: ", "))\(Suggestion.hint(for: text, in: Self.viaKinds))")
            }
        } else if viaNode.mapping != nil {
            let v = try doc.mapping(viaNode, "'via'")
            try doc.checkKeys(v, allowed: ["theirs", "ours"], in: "'via'")
            let theirsNode = try doc.require(v, "theirs", in: "'via'", expected: "the related resource's property to join on")
            let oursNode = try doc.require(v, "ours", in: "'via'", expected: "our value to join with (a path or $id, $urn, $name)")
            let theirs = try reference(try doc.string(theirsNode, "'theirs'"), theirsNode)
            let ours = try reference(try doc.string(oursNode, "'ours'"), oursNode)
            for (r, n) in [(theirs, theirsNode), (ours, oursNode)] where r.path?.hasWildcard == true {
                throw doc.fail(n, "'via' joins on one value; found the wildcard path '\(n.scalarText)', expected a path without [*] or .*")
            }
            via = .join(theirs: theirs, ours: ours, cache: JoinCache())
        } else {
            throw doc.wrongType(viaNode, "'via'", expected: "{theirs, ours} or one of \(Self.viaKinds.joined(separator: ", "))")
        }
        let condition = try m["where"].map { (n) throws(RulesError) in try self.condition(n, "'where' of 'related'") }
        let count = try m["count"].map { (n) throws(RulesError) in try self.count(n, "'count'") } ?? .atLeastOne
        return Relation(types: types, via: via, condition: condition, count: count)
    }
}
