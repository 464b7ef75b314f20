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
