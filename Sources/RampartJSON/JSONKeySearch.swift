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

    /// What `member(of:…)` answers when the object has no member named by the key.
    static let missing = -1
    /// What `member(of:…)` answers when the object has a member named by the marker.
    static let marked = -2

    /// `member(of:_:_:key:marker:)` with `marker` the bytes of a marked key, out of line: the objects that may hold
    /// the key are few, and only they read the key object, which every worker shares.
    @inline(never)
    static func member(of object: Int, _ t: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt8>,
                       key: UnsafeBufferPointer<UInt8>, lookingFor markedKey: JSONMarkedKey) -> Int {
        markedKey.bytes.withUnsafeBufferPointer { marker in member(of: object, t, b, key: key, marker: marker) }
    }

    /// The tape index of the value of the member of the object at `object` named `key` (the last one with
    /// duplicate keys); `missing` when there is none, or `marked` when a `marker` is given and the object has a
    /// member of that name. One pass over the members: a key is rejected from the length its tape entry holds; one
    /// of `key`'s length is compared in place, and one of the marker's length (or a long or escaped one) out of
    /// line, so the loop keeps its few values in registers (~25 instructions a member with every comparison inlined).
    @inline(__always)
    static func member(of object: Int, _ t: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt8>,
                       key: UnsafeBufferPointer<UInt8>, marker: UnsafeBufferPointer<UInt8>?) -> Int {
        var found = missing
        var cur = object &+ 2
        let end = Int(truncatingIfNeeded: t[object &+ 1] &>> 32)
        // The escape bit sits just above the length field, so `field` is the exact byte length of an escape-free
        // string shorter than `longLength`, and at least `longLength` for every other (compared the slow way).
        let fieldMask: UInt64 = (Tape.escapeBit | (Tape.longLength &<< Tape.lengthShift)) &>> Tape.lengthShift
        let keyCount = UInt64(key.count), markerCount = marker.map { UInt64($0.count) } ?? UInt64.max
        // A key as long as the marker is compared with both, out of line, like long and escaped keys.
        let plainKeyCount = keyCount == markerCount ? UInt64.max : keyCount
        let base = b.baseAddress!, keyBase = key.baseAddress ?? base
        while cur < end {
            let e = t[cur]
            let field = (e &>> Tape.lengthShift) & fieldMask
            if field == plainKeyCount {
                if JSONStringDecoder.memcmpEqual(base + (Tape.offset(e) &+ 1), keyBase, key.count) { found = cur &+ 1 }
            } else if field == markerCount || field >= Tape.longLength {
                switch compare(e, b, key: key, marker: marker) {
                case .key: found = cur &+ 1
                case .marker: return marked
                case .neither: break
                }
            }
            // The member's value: a container's first word is followed by one holding the index past its end.
            let value = cur &+ 1
            cur = t[value] &>> Tape.tagShift >= Tape.tagArray ? Int(truncatingIfNeeded: t[value &+ 1] &>> 32) : value &+ 1
        }
        return found
    }

    /// Which of the two names a member's key (tape entry `e`) is.
    enum KeyMatch { case key, marker, neither }

    @inline(never)
    static func compare(_ e: UInt64, _ b: UnsafeBufferPointer<UInt8>, key: UnsafeBufferPointer<UInt8>,
                        marker: UnsafeBufferPointer<UInt8>?) -> KeyMatch {
        if let marker, keyEquals(e, b, marker) { return .marker }
        return keyEquals(e, b, key) ? .key : .neither
    }
}

/// A property path compiled once (keys as UTF-8 bytes, array indexes) and followed by `JSONNode.descend(_:)` in one
/// pass over the tape, without a node value per step. Copying one costs one reference count, and following it none.
public struct JSONKeyPath: Sendable, Hashable {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// The member of an object with this name.
        case key(String)
        /// The element of an array at this position (0-based).
        case index(Int)
    }

    /// Where a step's key sits in the key bytes, or (`count` < 0) the position an index step takes.
    struct Compiled {
        var start: Int
        var count: Int
    }

    /// The compiled steps in memory of their own, written once at creation and only read afterwards.
    final class Storage: @unchecked Sendable {
        let steps: [Step]
        let marker: String?
        /// The keys of all steps back to back, then the marker's.
        let keyBytes: UnsafeMutableBufferPointer<UInt8>
        let compiled: UnsafeMutableBufferPointer<Compiled>
        /// Where the marker sits in `keyBytes` (count < 0: no marker).
        let markerExtent: Compiled

        init(steps: [Step], marker: String?) {
            self.steps = steps
            self.marker = marker
            var bytes: [UInt8] = []
            var compiled: [Compiled] = []
            for step in steps {
                switch step {
                case .key(let key):
                    compiled.append(Compiled(start: bytes.count, count: key.utf8.count))
                    bytes.append(contentsOf: key.utf8)
                case .index(let index):
                    compiled.append(Compiled(start: index, count: -1))
                }
            }
            if let marker {
                markerExtent = Compiled(start: bytes.count, count: marker.utf8.count)
                bytes.append(contentsOf: marker.utf8)
            } else {
                markerExtent = Compiled(start: 0, count: -1)
            }
            // One byte more than needed, so that no buffer is empty (every key has a base address).
            keyBytes = .allocate(capacity: bytes.count + 1)
            _ = keyBytes.initialize(from: bytes + [0])
            self.compiled = .allocate(capacity: compiled.count)
            _ = self.compiled.initialize(from: compiled)
        }

        deinit {
            keyBytes.deallocate()
            compiled.deallocate()
        }

        /// The bytes of a key step or of the marker.
        @inline(__always)
        func key(_ extent: Compiled) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: keyBytes.baseAddress! + extent.start, count: extent.count)
        }
    }

    let storage: Storage

    /// `marker`: a member name that stops the descent at any object that has it (an object that is not plain data,
    /// such as one carrying a signature key), so the caller can step through such an object by its own rules.
    public init(_ steps: [Step], stoppingAtObjectsWithKey marker: String? = nil) {
        storage = Storage(steps: steps, marker: marker)
    }

    /// Number of steps.
    public var count: Int { storage.compiled.count }

    public static func == (a: JSONKeyPath, b: JSONKeyPath) -> Bool {
        a.storage === b.storage || (a.storage.steps == b.storage.steps && a.storage.marker == b.storage.marker)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.steps)
        hasher.combine(storage.marker)
    }
}

/// How far `JSONNode.descend(_:)` got.
public struct JSONDescent: Sendable {
    /// The value reached: at the end of the path, or the value the next step could not be taken from.
    public let node: JSONNode
    /// Steps taken; less than the path's `count` when `node` is not an object (for a key step), not an array (for
    /// an index step), or an object with the path's marker key.
    public let steps: Int
}

extension JSONNode {
    /// Follows `path` from this value in one pass. Nil when a key is missing from a (marker-free) object or an index
    /// is out of an array's range; otherwise where the descent ended (see `JSONDescent`).
    public func descend(_ path: JSONKeyPath) -> JSONDescent? {
        let reached = document.withStorage { b, t in JSONKeySearch.descend(path, from: index, t, b) }
        guard let reached else { return nil }
        return JSONDescent(node: JSONNode(document: document, index: reached.position), steps: reached.steps)
    }
}

extension JSONNode {
    /// Calls `body` with the UTF-8 bytes of each string element of this array, in order, escapes decoded. Other
    /// elements, and values that are not arrays, give nothing. Read in place: no node or string per element.
    public func forEachStringElement(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard tag == Tape.tagArray else { return }
        document.withStorage { b, t in JSONKeySearch.stringElements(of: index, t, b, body) }
    }

    /// `forEachStringElement` over each member value of this object, in the order written.
    public func forEachStringElementOfMembers(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard tag == Tape.tagObject else { return }
        document.withStorage { b, t in
            var member = index &+ 2
            let end = Tape.next(t, index)
            while member < end {
                let value = member &+ 1
                if Tape.tag(t[value]) == Tape.tagArray { JSONKeySearch.stringElements(of: value, t, b, body) }
                member = Tape.next(t, value)
            }
        }
    }
}

extension JSONKeySearch {
    /// The string elements of the array at `array`, as `JSONNode.forEachStringElement` gives them.
    static func stringElements(of array: Int, _ t: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt8>,
                               _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var element = array &+ 2
        let end = Tape.next(t, array)
        while element < end {
            let e = t[element]
            if Tape.tag(e) == Tape.tagString { JSONStringDecoder.withDecoded(e, b, body) }
            element = Tape.next(t, element)
        }
    }

    /// `JSONNode.descend` on the tape: the position reached from `start` and the steps taken, or nil.
    @inline(__always)
    static func descend(_ path: JSONKeyPath, from start: Int, _ t: UnsafeBufferPointer<UInt64>,
                        _ b: UnsafeBufferPointer<UInt8>) -> (position: Int, steps: Int)? {
        let storage = path.storage
        let marker = storage.markerExtent.count < 0 ? nil : storage.key(storage.markerExtent)
        let steps = UnsafeBufferPointer(storage.compiled)
        var at = start
        var taken = 0
        while taken < steps.count {
            let step = steps[taken]
            let tag = Tape.tag(t[at])
            if step.count >= 0 {
                guard tag == Tape.tagObject else { break }
                let found = member(of: at, t, b, key: storage.key(step), marker: marker)
                if found == marked { break }
                if found == missing { return nil }
                at = found
            } else {
                guard tag == Tape.tagArray else { break }
                let position = step.start
                guard position >= 0, position < Int(truncatingIfNeeded: t[at &+ 1] & 0xFFFF_FFFF) else { return nil }
                var cur = at &+ 2
                for _ in 0..<position { cur = Tape.next(t, cur) }
                at = cur
            }
            taken &+= 1
        }
        return (at, taken)
    }
}

extension JSONNode {
    /// The members of this object whose value is an object with a member named `key` (an empty array for other
    /// kinds). Read from the tape without a node handle per member: readers check every resource's properties for
    /// a marker key that almost none carry.
    public func members(whoseObjectHasKey key: String) -> [(key: JSONNode, value: JSONNode)] {
        members(whoseObjectHasKey: key, skippingUnmarked: false)
    }

    /// `members(whoseObjectHasKey:)` for a marked key: when the document was parsed marking `key`, objects the
    /// parser did not mark are passed over without reading their keys.
    public func members(whoseObjectHolds key: JSONMarkedKey) -> [(key: JSONNode, value: JSONNode)] {
        members(whoseObjectHasKey: key.key, skippingUnmarked: document.markedKey === key)
    }

    private func members(whoseObjectHasKey key: String, skippingUnmarked: Bool) -> [(key: JSONNode, value: JSONNode)] {
        guard tag == Tape.tagObject else { return [] }
        var found: [Int] = []
        var key = key
        key.withUTF8 { k in
            document.withStorage { b, t in
                var cur = index &+ 2
                let end = Tape.next(t, index)
                while cur < end {
                    let value = cur &+ 1
                    let e = t[value]
                    if Tape.tag(e) == Tape.tagObject && (!skippingUnmarked || e & Tape.markedKeyBit != 0) {
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
        let end = document.tape.withUnsafeBufferPointer { Tape.next($0, index) }
        // Each element is found from the one before (a load from memory per element, on a large array nearly
        // always a miss). Where stretches parsed on other threads were spliced into this array, the runs of
        // elements from each splice on are followed at once, one a thread.
        let splices = document.spliceStarts
        let starts = [index &+ 2] + Swift.stride(from: 0, to: splices.count, by: 2).lazy
            .filter { [index] in splices[$0] == index }.map { splices[$0 &+ 1] }
        let document = self.document, count = self.count
        let runs = Parallel.map(starts.count, workers: starts.count) { run -> [Int] in
            let stop = run &+ 1 < starts.count ? starts[run &+ 1] : end
            var indexes: [Int] = []
            if starts.count == 1 { indexes.reserveCapacity(count) }
            document.tape.withUnsafeBufferPointer { t in
                var cur = starts[run]
                while cur < stop {
                    indexes.append(cur)
                    cur = Tape.next(t, cur)
                }
            }
            return indexes
        }
        return JSONIndexedElements(document: document, indexes: runs.count == 1 ? runs[0] : Array(runs.joined()))
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
