import RampartPolicy

/// Value comparisons between what a rule reads (`Item`) and an operand (`ConfigValue`), three-valued: anything
/// inside a value that is unknown or an encrypted secret makes the comparison unknown unless the answer is
/// already decided.
enum Comparison {
    static func all(_ truths: [Truth]) -> Truth {
        var unknown = false
        for t in truths { if t == .no { return .no }; if t == .unknown { unknown = true } }
        return unknown ? .unknown : .yes
    }

    static func any(_ truths: [Truth]) -> Truth {
        var unknown = false
        for t in truths { if t == .yes { return .yes }; if t == .unknown { unknown = true } }
        return unknown ? .unknown : .no
    }

    /// Deep equality; numbers by value (1 == 1.0); object key order does not matter.
    static func equal(_ item: Item, _ value: ConfigValue, fold: Bool) -> Truth {
        switch item {
        case .unknown, .encrypted: return .unknown
        case .absent, .null:
            if case .null = value { return .yes }
            return .no
        case .value(let datum, _):
            switch value {
            case .null: return .no
            case .bool(let b): return Truth(item.bool == b)
            case .number(let n): return Truth(item.number == n)
            case .string(let s):
                if !fold, case .property(let v, let kind) = datum { return Truth(kind == .string && v.node.stringEquals(s)) }
                guard let text = item.string else { return .no }
                return Truth(fold ? text.lowercased() == s.lowercased() : text == s)
            case .array(let expected):
                guard let elements = item.elements, elements.count == expected.count else { return .no }
                return all(zip(elements, expected).map { equal($0, $1, fold: fold) })
            case .object(let expected):
                guard let members = item.members, members.count == expected.count else { return .no }
                var truths: [Truth] = []
                for (key, member) in members {
                    guard let e = expected[key] else { return .no }
                    truths.append(equal(member, e, fold: fold))
                }
                return all(truths)
            }
        }
    }

    /// `in`: the value equals one of the list's elements.
    static func member(_ item: Item, of list: ConfigValue, fold: Bool) -> Truth {
        guard let options = list.array else { return equal(item, list, fold: fold) }
        // `any` over the options without building the array of answers (this runs once per evaluation).
        var unknown = false
        for option in options {
            switch equal(item, option, fold: fold) {
            case .yes: return .yes
            case .unknown: unknown = true
            case .no: break
            }
        }
        return unknown ? .unknown : .no
    }

    /// `contains`: substring of a string, element of an array, key of an object.
    static func contains(_ item: Item, _ needle: ConfigValue, fold: Bool) -> Truth {
        switch item.kind {
        case .string?:
            guard let text = item.string, let n = needle.string else { return .no }
            if n.isEmpty { return .yes }
            return Truth(fold ? text.lowercased().contains(n.lowercased()) : text.contains(n))
        case .array?:
            var unknown = false, found = false
            _ = item.forEachElement { element in
                switch equal(element, needle, fold: fold) {
                case .yes: found = true; return false
                case .unknown: unknown = true
                case .no: break
                }
                return true
            }
            return found ? .yes : unknown ? .unknown : .no
        case .object?:
            guard let key = needle.string else { return .no }
            return Truth((item.members ?? []).contains { fold ? $0.key.lowercased() == key.lowercased() : $0.key == key })
        default:
            return .no
        }
    }

    static func affix(_ item: Item, _ operand: ConfigValue, fold: Bool, prefix: Bool) -> Truth {
        guard var text = item.string, var affix = operand.string else { return .no }
        if fold { text = text.lowercased(); affix = affix.lowercased() }
        return Truth(prefix ? text.hasPrefix(affix) : text.hasSuffix(affix))
    }

    /// Whether a count that is at least `certain` and at most `certain + uncertain` meets the requirement.
    static func count(certain: Int, uncertain: Int, _ comparison: NumericComparison, _ bound: Double) -> Truth {
        let low = Double(certain), high = Double(certain + uncertain)
        if uncertain == 0 { return Truth(comparison.holds(low, bound)) }
        switch comparison {
        case .equals: return bound < low || bound > high ? .no : .unknown
        case .notEquals: return bound < low || bound > high ? .yes : .unknown
        default:
            let a = comparison.holds(low, bound), b = comparison.holds(high, bound)
            return a == b ? Truth(a) : .unknown
        }
    }
}
