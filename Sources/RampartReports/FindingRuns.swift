import RampartPolicy

/// A policy as a finding names it, its pack and its name, compared and hashed without making its id
/// (`pack/policy`, a string built per finding).
struct PolicyName: Hashable {
    let pack: String
    let policy: String

    init(pack: String, policy: String) {
        self.pack = pack
        self.policy = policy
    }

    init(_ finding: Finding) { self.init(pack: finding.pack, policy: finding.policy) }
}

/// A lookup that remembers its last answer. A report's findings come policy by policy, and stack by stack, so a
/// reporter that looks up each finding's stack, policy or remediation text mostly asks the same key as for the
/// finding before: that key is compared (its strings usually share storage, so without reading them) instead of
/// hashed and looked up again.
struct LastLookup<Key: Equatable, Value> {
    private var last: (key: Key, value: Value)?

    init() {}

    /// `lookup(key)`, or the value it gave last when `key` is the key asked last.
    mutating func value(_ key: Key, _ lookup: (Key) -> Value) -> Value {
        if let last, last.key == key { return last.value }
        let value = lookup(key)
        last = (key, value)
        return value
    }
}
