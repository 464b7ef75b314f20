import RampartJSON
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
/// Names are told apart by their UTF-8 bytes, which is what the XML file and the tools reading it compare.
struct JUnitNames {
    /// Every class name and name, numbered in the order first met.
    private var strings: [String] = []
    private var classIDs: [Int32] = []
    private var nameIDs: [Int32] = []
    /// The ordinal of each case still colliding after every qualification step.
    private var ordinals: [Int: Int] = [:]

    /// Each of `strings` escaped as an attribute value: escaped once, not once per case that shows it.
    private var values: [XMLWriter.AttributeValue] = []

    /// The case's `classname`, escaped.
    func classname(_ i: Int) -> XMLWriter.AttributeValue { values[Int(classIDs[i])] }

    /// The case's `name`, escaped.
    func name(_ i: Int) -> XMLWriter.AttributeValue {
        guard !ordinals.isEmpty, let n = ordinals[i] else { return values[Int(nameIDs[i])] }
        return XMLWriter.AttributeValue(strings[Int(nameIDs[i])] + " #\(n)")
    }

    static func classname(_ c: ReportCase) -> String { token(c.pack + "." + c.policy) }

    static func assign(_ cases: ReportCases) -> JUnitNames {
        var t = JUnitNames()
        var names = Names()
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
                    let id = classByPolicy[key] ?? names.intern(classname(cases[i]))
                    classByPolicy[key] = id
                    lastPolicy = (key, id)
                    t.classIDs.append(id)
                }
            } else {
                t.classIDs.append(names.intern(classname(cases[i])))
            }
            if let slot = cases.subjectSlot(i) {
                if baseBySubject[slot] < 0 { baseBySubject[slot] = names.internBase(cases.subject(i), stackName: cases.stackName(i)) }
                t.nameIDs.append(baseBySubject[slot])
            } else {
                t.nameIDs.append(names.internBase(cases.subject(i), stackName: cases.stackName(i)))
            }
        }
        qualifying: for step in 1...4 {
            let groups = t.collisions(numbers: names.interner.strings.count)
            if groups.isEmpty { break qualifying }
            for group in groups {
                if step == 4 {
                    for (n, i) in group.enumerated() { t.ordinals[i] = n + 1 }
                } else {
                    for i in group { t.nameIDs[i] = names.intern(token(qualified(cases[i], level: step))) }
                }
            }
        }
        t.strings = names.interner.strings
        t.values = t.strings.map(XMLWriter.AttributeValue.init)
        return t
    }

    /// Numbers class names and names while `assign` works.
    private struct Names {
        var interner = JSONStringInterner(capacity: Int.max)
        /// The bytes of a subject's name being put together, reused.
        var scratch: [UInt8] = []

        mutating func intern(_ text: String) -> Int32 {
            var text = text
            return text.withUTF8 { Int32(interner.intern($0).number) }
        }

        /// The number of a case's unqualified name (`type name`, or `stack` and the stack's name), its bytes put
        /// together in `scratch`: a String is made only for a name not met before.
        mutating func internBase(_ subject: ResourceRef?, stackName: String) -> Int32 {
            scratch.removeAll(keepingCapacity: true)
            if let subject {
                scratch.append(contentsOf: subject.type.utf8)
                scratch.append(0x20)
                scratch.append(contentsOf: subject.name.utf8)
            } else {
                scratch.append(contentsOf: "stack ".utf8)
                scratch.append(contentsOf: stackName.utf8)
            }
            if !scratch.withUnsafeBufferPointer(JUnitNames.isToken) {
                return intern(JUnitNames.token(String(decoding: scratch, as: UTF8.self)))
            }
            return scratch.withUnsafeBufferPointer { Int32(interner.intern($0).number) }
        }
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
    ///
    /// The cases are put in order of class (a counting sort, which keeps report order within a class), and within a
    /// class a table by name holds the first case of each name: arrays indexed by the interned numbers, where a
    /// dictionary of the pairs cost ~70 ms on one thread for the 740,000 cases of a 100k-resource scan.
    private func collisions(numbers: Int) -> [[Int]] {
        let count = nameIDs.count
        var starts = [Int](repeating: 0, count: numbers + 1)
        for c in classIDs { starts[Int(c) + 1] += 1 }
        for k in 0..<numbers { starts[k + 1] += starts[k] }
        var byClass = [Int32](repeating: 0, count: count)
        var next = starts
        for i in 0..<count {
            let c = Int(classIDs[i])
            byClass[next[c]] = Int32(i)
            next[c] += 1
        }
        // Per name: the class whose cases last met it, and that class's first case with it.
        var seenIn = [Int32](repeating: -1, count: numbers)
        var firstCase = [Int32](repeating: 0, count: numbers)
        var groups: [Int: [Int]] = [:]
        for c in 0..<numbers where starts[c] < starts[c + 1] {
            for k in starts[c]..<starts[c + 1] {
                let i = Int(byClass[k]), name = Int(nameIDs[i])
                if seenIn[name] == Int32(c) {
                    let j = Int(firstCase[name])
                    groups[j, default: [j]].append(i)
                } else {
                    seenIn[name] = Int32(c)
                    firstCase[name] = Int32(i)
                }
            }
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// The value as an `xs:token` keeps it: whitespace runs collapsed to one space, none at the ends. Done before
    /// comparing names, so two names differing only in whitespace are seen to collide.
    static func token(_ text: String) -> String {
        // Fast path: most names have single spaces only and none at the ends.
        var text = text
        if text.isEmpty || text.withUTF8(isToken) { return text }
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

    /// Whether non-empty UTF-8 `bytes` are already a token: no tab or line break, and single spaces, none at the
    /// ends.
    fileprivate static func isToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousSpace = true
        for byte in bytes {
            if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousSpace) { return false }
            previousSpace = byte == 0x20
        }
        return !previousSpace
    }
}
