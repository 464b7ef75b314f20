/// A key the parser looks for in every object as it reads it, so that "does this object hold that key?" is
/// answered from the object's tape entry instead of by a scan of its members. Pulumi's signature key is asked of
/// nearly every object a policy reads (to tell a secret or an asset from a plain object), and nearly none holds it.
///
/// The mark is conservative: an object is marked when it holds the key, and also when one of its keys is written
/// with escapes and could decode to it, so an unmarked object certainly lacks the key
/// (`JSONNode.certainlyLacks(_:)`); a marked one is looked up as usual.
public final class JSONMarkedKey: Sendable {
    public let key: String
    /// The key's UTF-8 bytes; empty when it cannot be marked.
    @usableFromInline let bytes: [UInt8]

    /// `key` must be non-empty and at most 1,024 bytes; otherwise nothing is marked and every lookup scans. A
    /// document answers from its marks only for the very object it was parsed with (identity, not spelling:
    /// the check runs for every object a policy reads), so keep one in a constant.
    public init(_ key: String) {
        self.key = key
        let utf8 = Array(key.utf8)
        bytes = utf8.isEmpty || utf8.count > 1024 ? [] : utf8
    }
}

extension JSONDocument {
    /// Every object, at any depth, that has a member named `key`, in document order. When the document was parsed
    /// marking `key`, only the objects the parser listed as marked are looked at, without a pass over the tape;
    /// otherwise every key is compared (`objects(havingKey:)`).
    public func objects(holding key: JSONMarkedKey) -> [JSONNode] {
        guard markedKey === key else { return objects(havingKey: key.key) }
        // A mark means "may hold it" (an escaped key); the lookup settles it.
        return objects(mayHold: key).filter { $0[key.key] != nil }
    }

    /// The objects that may have a member named `key`, in document order: those the parser marked when the
    /// document was parsed marking `key` (a mark also falls on an object with an escaped key that only looks like
    /// it), otherwise those that have it. For a caller that looks the key up in each anyway, perhaps on several
    /// threads, it saves `objects(holding:)`'s lookups.
    public func objects(mayHold key: JSONMarkedKey) -> [JSONNode] {
        guard markedKey === key else { return objects(havingKey: key.key) }
        return markedObjects.map { JSONNode(document: self, index: $0) }
    }
}

extension JSONDocument {
    /// Whether some object of the document may have a member named `key`: false only when the document was parsed
    /// marking `key` and the parser marked no object, so a reader can skip looking for the key object by object.
    public func mayHaveObjects(holding key: JSONMarkedKey) -> Bool {
        guard markedKey === key else { return true }
        return !markedObjects.isEmpty
    }
}

extension JSONNode {
    /// Whether this value is an object that certainly has no member named `key`: true only when the document was
    /// parsed marking `key` (`JSONDocument.parse(_:limits:marking:)`) and this object was not marked. False when
    /// that cannot be told from the tape (another key, an unmarked document, a marked object, not an object).
    @inline(__always) @inlinable
    public func certainlyLacks(_ key: JSONMarkedKey) -> Bool {
        let e = entry
        return Tape.tag(e) == Tape.tagObject && e & Tape.markedKeyBit == 0 && document.markedKey === key
    }
}

extension JSONNode {
    /// Follows `path`'s segments (cut at `separator`, empty ones skipped) as member names, from this value through
    /// objects that certainly have no member named `key`, on the tape without a node handle per step.
    ///
    /// Nil when such an object lacks the next member. Otherwise the value reached and how many bytes of `path` were
    /// followed: all of them, or fewer when the walk met a value it leaves to the caller with segments still to go —
    /// anything but an object (an array to index, a string that may be a sentinel), or an object that has, or may
    /// have, a member named `key` (a signature object, read by the caller's own rules) — and none when no member
    /// was followed (this value, unchanged). `PropertyLookup.at` walks most of a policy's property paths this way.
    public func members(along path: UnsafeBufferPointer<UInt8>, separator: UInt8,
                        through key: JSONMarkedKey) -> (node: JSONNode, followed: Int)? {
        // The key object is read only where an object may hold it: every worker reads through this shared
        // constant, and reading it where every lookup passes (its bytes' count, a retain of them) made the cores
        // fight over its cache lines.
        let marks = document.markedKey === key
        guard marks || !key.bytes.isEmpty else { return (self, 0) }
        let reached: (index: Int, followed: Int)? = document.withStorage { b, t in
            var at = index, start = 0, stepped = false
            let n = path.count
            while start < n {
                var end = start
                while end < n && path[end] != separator { end &+= 1 }
                if end > start {
                    let e = t[at]
                    guard Tape.tag(e) == Tape.tagObject else { break }
                    let segment = UnsafeBufferPointer(rebasing: path[start..<end])
                    // An object the parser did not mark certainly lacks `key`; any other is searched for it too.
                    let found = marks && e & Tape.markedKeyBit == 0
                        ? JSONKeySearch.member(of: at, t, b, key: segment, marker: nil)
                        : JSONKeySearch.member(of: at, t, b, key: segment, lookingFor: key)
                    if found == JSONKeySearch.marked { break }
                    if found == JSONKeySearch.missing { return nil }
                    at = found
                    stepped = true
                }
                start = end &+ 1
            }
            return (at, stepped ? Swift.min(start, n) : 0)
        }
        guard let reached else { return nil }
        return (reached.followed == 0 ? self : JSONNode(document: document, index: reached.index), reached.followed)
    }
}
