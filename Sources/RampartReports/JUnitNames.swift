import RampartPolicy

/// Gives every JUnit test case a (classname, name) pair that is unique in the file and stable across runs.
///
/// CI tools key test history on (classname, name); Checkov's reports repeat names and tools then merge or drop
/// cases. The name is `type name` (readable). Only pairs that collide are qualified, and every member of a
/// colliding group is qualified alike — so which member sorts first never matters — in steps until unique:
/// the URN (resources of one type and name under different parents, or in other stacks), then the stack name
/// (the same URN in stacks of different organisations), then the finding's location or detail key (several
/// stack-level outcomes of one policy), then a 1-based ordinal in report order.
///
/// Names are interned: a case holds two numbers, and a name is built once per distinct subject, not per case.
struct JUnitNames {
    private var strings: [String] = []
    private var ids: [String: Int32] = [:]
    private var classIDs: [Int32] = []
    private var nameIDs: [Int32] = []
    /// The ordinal of each case still colliding after every qualification step.
    private var ordinals: [Int: Int] = [:]

    /// The case's `classname`.
    func classname(_ i: Int) -> String { strings[Int(classIDs[i])] }

    /// The case's `name`.
    func name(_ i: Int) -> String {
        let name = strings[Int(nameIDs[i])]
        guard let n = ordinals[i] else { return name }
        return name + " #\(n)"
    }

    static func classname(_ c: ReportCase) -> String { token(c.pack + "." + c.policy) }

    static func assign(_ cases: ReportCases) -> JUnitNames {
        var t = JUnitNames()
        t.classIDs.reserveCapacity(cases.count)
        t.nameIDs.reserveCapacity(cases.count)
        var classByPolicy: [Int: Int32] = [:]
        // Cases come policy by policy: the last policy's class saves most lookups.
        var lastPolicy: (key: Int, id: Int32)?
        // By subject slot (`ReportCases.subjectSlot`); -1 where not yet named.
        var baseBySubject = [Int32](repeating: -1, count: cases.subjectSlotCount)
        for i in cases.indices {
            if let key = cases.policyKey(i) {
                if let lastPolicy, lastPolicy.key == key { t.classIDs.append(lastPolicy.id) } else {
                    let id = classByPolicy[key] ?? t.intern(classname(cases[i]))
                    classByPolicy[key] = id
                    lastPolicy = (key, id)
                    t.classIDs.append(id)
                }
            } else {
                t.classIDs.append(t.intern(classname(cases[i])))
            }
            if let slot = cases.subjectSlot(i) {
                if baseBySubject[slot] < 0 { baseBySubject[slot] = t.intern(token(base(cases[i]))) }
                t.nameIDs.append(baseBySubject[slot])
            } else {
                t.nameIDs.append(t.intern(token(base(cases[i]))))
            }
        }
        for step in 1...3 {
            let groups = t.collisions()
            if groups.isEmpty { return t }
            for group in groups {
                for i in group { t.nameIDs[i] = t.intern(token(qualified(cases[i], level: step))) }
            }
        }
        for group in t.collisions() {
            for (n, i) in group.enumerated() { t.ordinals[i] = n + 1 }
        }
        return t
    }

    private mutating func intern(_ text: String) -> Int32 {
        if let id = ids[text] { return id }
        let id = Int32(strings.count)
        strings.append(text)
        ids[text] = id
        return id
    }

    private static func base(_ c: ReportCase) -> String {
        guard let subject = c.subject else { return "stack " + c.stackName }
        return subject.type + " " + subject.name
    }

    private static func qualified(_ c: ReportCase, level: Int) -> String {
        var name = c.subject?.urn ?? "stack " + c.stackName
        if level >= 2, c.subject != nil { name += " [" + c.stackName + "]" }
        if level >= 3, let f = c.finding {
            if let location = f.location { name += " @ " + location.display } else if let key = f.detailKey { name += " @ " + key }
        }
        return name
    }

    /// Indexes of cases whose (classname, name) pair is shared, grouped, in report order.
    private func collisions() -> [[Int]] {
        var first: [UInt64: Int] = [:]
        first.reserveCapacity(nameIDs.count)
        var groups: [Int: [Int]] = [:]
        for i in nameIDs.indices {
            let key = UInt64(UInt32(classIDs[i])) << 32 | UInt64(UInt32(nameIDs[i]))
            if let j = first[key] { groups[j, default: [j]].append(i) } else { first[key] = i }
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// The value as an `xs:token` keeps it: whitespace runs collapsed to one space, none at the ends. Done before
    /// comparing names, so two names differing only in whitespace are seen to collide.
    static func token(_ text: String) -> String {
        // Fast path: most names have single spaces only and none at the ends.
        var clean = true
        var previousSpace = true
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousSpace) { clean = false; break }
                previousSpace = byte == 0x20
            }
        }
        if clean && !previousSpace || text.isEmpty { return text }
        var out = ""
        var pendingSpace = false
        for ch in text.unicodeScalars {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
