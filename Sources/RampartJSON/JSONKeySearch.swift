extension JSONDocument {
    /// Every object, at any depth, that has a member named `key`, in document order.
    ///
    /// One pass over the tape with a stack of open containers: no node handles, no decoding of other keys (a key
    /// of another length is rejected from its tape entry alone). Finding the few objects that carry a marker key
    /// in a large document this way is many times cheaper than walking its values.
    public func objects(havingKey key: String) -> [JSONNode] {
        var found: [Int] = []
        var key = key
        key.withUTF8 { k in
            withStorage { b, t in
                guard !t.isEmpty else { return }
                // Open containers: (index of the entry after the container, whether it is an object, start index).
                var open: [(end: Int, isObject: Bool, start: Int)] = []
                var i = 0
                func enter(_ at: Int) -> Int {
                    let tag = Tape.tag(t[at])
                    guard tag >= Tape.tagArray else { return at &+ 1 }
                    open.append((Tape.next(t, at), tag == Tape.tagObject, at))
                    return at &+ 2
                }
                i = enter(0)
                while let top = open.last {
                    if i >= top.end {
                        open.removeLast()
                        continue
                    }
                    if top.isObject {
                        if JSONKeySearch.keyEquals(t[i], b, k) { found.append(top.start) }
                        i = enter(i &+ 1)
                    } else {
                        i = enter(i)
                    }
                }
            }
        }
        // An object is met again for a repeated key, and after its nested objects for a key that follows them.
        found.sort()
        var unique: [Int] = []
        unique.reserveCapacity(found.count)
        for index in found where unique.last != index { unique.append(index) }
        return unique.map { JSONNode(document: self, index: $0) }
    }
}

enum JSONKeySearch {
    /// Whether the string at tape entry `e` equals `key`, decoding escapes only when the entry has some.
    @inline(__always)
    static func keyEquals(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if e & Tape.escapeBit == 0 {
            let length = (e &>> Tape.lengthShift) & Tape.longLength
            if length != Tape.longLength && Int(truncatingIfNeeded: length) != key.count { return false }
            let (start, count) = Tape.stringExtent(e, b)
            return count == key.count && (count == 0 || JSONStringDecoder.memcmpEqual(b.baseAddress! + start, key.baseAddress!, count))
        }
        return JSONStringDecoder.withDecoded(e, b) { JSONStringDecoder.equal($0, key) }
    }
}

extension JSONNode {
    /// The members of this object whose value is an object with a member named `key` (an empty array for other
    /// kinds). Read from the tape without a node handle per member: readers check every resource's properties for
    /// a marker key that almost none carry.
    public func members(whoseObjectHasKey key: String) -> [(key: JSONNode, value: JSONNode)] {
        guard tag == Tape.tagObject else { return [] }
        var found: [Int] = []
        var key = key
        key.withUTF8 { k in
            document.withStorage { b, t in
                var cur = index &+ 2
                let end = Tape.next(t, index)
                while cur < end {
                    let value = cur &+ 1
                    if Tape.tag(t[value]) == Tape.tagObject {
                        var member = value &+ 2
                        let memberEnd = Tape.next(t, value)
                        while member < memberEnd {
                            if JSONKeySearch.keyEquals(t[member], b, k) { found.append(cur); break }
                            member = Tape.next(t, member &+ 1)
                        }
                    }
                    cur = Tape.next(t, value)
                }
            }
        }
        return found.map { (JSONNode(document: document, index: $0), JSONNode(document: document, index: $0 &+ 1)) }
    }

    /// The elements of this array with random access (empty for other kinds): their positions are found in one
    /// pass, and a node is made only for the element asked for, so workers can take slices of a large array.
    public var indexedElements: JSONIndexedElements {
        guard tag == Tape.tagArray else { return JSONIndexedElements(document: document, indexes: []) }
        var indexes: [Int] = []
        indexes.reserveCapacity(count)
        document.tape.withUnsafeBufferPointer { t in
            var cur = index &+ 2
            let end = Tape.next(t, index)
            while cur < end {
                indexes.append(cur)
                cur = Tape.next(t, cur)
            }
        }
        return JSONIndexedElements(document: document, indexes: indexes)
    }
}

/// The elements of an array node with random access (see `JSONNode.indexedElements`).
public struct JSONIndexedElements: Sendable {
    let document: JSONDocument
    let indexes: [Int]

    /// Number of elements.
    public var count: Int { indexes.count }

    /// The element at `position` (0-based), read through `handle` when given (another handle on the same parsed
    /// document, see `JSONDocument.sharingStorage()`).
    public func element(_ position: Int, through handle: JSONDocument? = nil) -> JSONNode {
        JSONNode(document: handle ?? document, index: indexes[position])
    }

    /// A new handle on the document the elements belong to.
    public func newHandle() -> JSONDocument { document.sharingStorage() }
}
