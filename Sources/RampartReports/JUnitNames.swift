import RampartPolicy

/// Gives every JUnit test case a (classname, name) pair that is unique in the file and stable across runs.
///
/// CI tools key test history on (classname, name); Checkov's reports repeat names and tools then merge or drop
/// cases. The name is `type name` (readable). Only pairs that collide are qualified, and every member of a
/// colliding group is qualified alike — so which member sorts first never matters — in steps until unique:
/// the URN (resources of one type and name under different parents, or in other stacks), then the stack name
/// (the same URN in stacks of different organisations), then the finding's location or detail key (several
/// stack-level outcomes of one policy), then a 1-based ordinal in report order.
enum JUnitNames {
    static func classname(_ c: ReportCase) -> String { token(c.pack + "." + c.policy) }

    static func assign(_ cases: [ReportCase]) -> [String] {
        let classnames = cases.map(classname)
        var names = cases.map { token(base($0)) }
        for step in 1...3 {
            let groups = collisions(classnames, names)
            if groups.isEmpty { return names }
            for group in groups {
                for i in group { names[i] = token(qualified(cases[i], level: step)) }
            }
        }
        for group in collisions(classnames, names) {
            for (n, i) in group.enumerated() { names[i] += " #\(n + 1)" }
        }
        return names
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
    private static func collisions(_ classnames: [String], _ names: [String]) -> [[Int]] {
        struct Key: Hashable {
            var classname: String
            var name: String
        }
        var first: [Key: Int] = [:]
        first.reserveCapacity(names.count)
        var groups: [Int: [Int]] = [:]
        for i in names.indices {
            let key = Key(classname: classnames[i], name: names[i])
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
        for byte in text.utf8 {
            if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousSpace) { clean = false; break }
            previousSpace = byte == 0x20
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
