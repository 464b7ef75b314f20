/// A read-only view of one value and everything under it, addressed by position: for walks that visit every value
/// of a subtree (the plaintext-secret walk reads every key and string of every resource). A `JSONNode` per value
/// costs a reference count on the document at each step; a position costs nothing. Valid only inside
/// `JSONNode.withTreeView`.
///
/// Positions are those of the document's tape: `root` is the viewed value; an object's members start at
/// `firstChild(of:)`, each a key position followed by its value's position; `after(_:)` is the position past a
/// value and all its descendants, so the children of a container at `p` are the positions from `firstChild(of: p)`
/// up to `after(p)`.
public struct JSONTreeView {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let tape: UnsafeBufferPointer<UInt64>
    /// Not counted: the view lives only inside `withTreeView`, which holds the document, and walks copy it often.
    private unowned(unsafe) let document: JSONDocument
    /// The position of the viewed value.
    public let root: Int

    fileprivate init(bytes: UnsafeBufferPointer<UInt8>, tape: UnsafeBufferPointer<UInt64>, document: JSONDocument, root: Int) {
        self.bytes = bytes
        self.tape = tape
        self.document = document
        self.root = root
    }

    // The accessors a reader calls for every member of every resource are inlinable: across the module boundary
    // each was a call (~25 instructions a member for the decoder; docs/performance.md, round nineteen).

    /// The kind of the value at `position`.
    @inlinable
    public func kind(_ position: Int) -> JSONKind { Tape.kind(tape[position]) }

    /// The position just past the value at `position` and all its descendants.
    @inlinable
    public func after(_ position: Int) -> Int { Tape.next(tape, position) }

    /// The position of the first member's key (object) or first element (array) of the container at `position`;
    /// equal to `after(position)` when it is empty.
    @inlinable
    public func firstChild(of position: Int) -> Int { position &+ 2 }

    /// The escape-free contents of the string at `position`, in place; nil for a string with escape sequences
    /// (read those with `node(_:)`) and for other kinds.
    @inlinable
    public func rawString(_ position: Int) -> UnsafeBufferPointer<UInt8>? {
        let e = tape[position]
        guard Tape.tag(e) == Tape.tagString, e & Tape.escapeBit == 0 else { return nil }
        let length = (e &>> Tape.lengthShift) & Tape.longLength
        if length != Tape.longLength {
            return UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + (Tape.offset(e) &+ 1),
                                       count: Int(truncatingIfNeeded: length))
        }
        let (start, count) = Tape.stringExtent(e, bytes)
        return UnsafeBufferPointer(rebasing: bytes[start..<(start &+ count)])
    }

    /// `JSONNode.withStringUTF8` for a body that returns an `Int`, at `position`: the string's decoded UTF-8 bytes
    /// (in place when it has no escapes); nil for other kinds. Not generic, for callers in other modules. A string
    /// without escapes (most keys) is handed over inline (`rawString`); one with escapes is decoded out of line.
    @inlinable
    public func withStringUTF8(_ position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Int) -> Int? {
        if let raw = rawString(position) { return body(raw) }
        return withDecodedString(position, body)
    }

    /// `withStringUTF8` past its in-place case: a string with escapes, decoded; nil for other kinds.
    @usableFromInline
    func withDecodedString(_ position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Int) -> Int? {
        let e = tape[position]
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return JSONStringDecoder.withDecoded(e, bytes, body)
    }

    /// The value of the boolean at `position`; nil for other kinds.
    public func bool(_ position: Int) -> Bool? { Tape.bool(tape[position]) }

    /// The number at `position`, as `JSONNode.number` reads it; nil for other kinds.
    public func number(_ position: Int) -> Double? { Tape.number(tape[position], bytes) }

    /// Whether the value at `position` is a string equal to `other`, as `JSONNode.stringEquals` compares.
    public func stringEquals(_ position: Int, _ other: String) -> Bool {
        let e = tape[position]
        return Tape.tag(e) == Tape.tagString && JSONStringDecoder.stringEquals(e, bytes, other)
    }

    /// Whether the value at `position` is a string that may be `a` or `b` UTF-8 bytes long: false for other kinds, and
    /// for an escape-free string whose length, held in its tape entry, is neither (true when that cannot be told).
    public func stringMayHaveLength(_ position: Int, _ a: Int, _ b: Int) -> Bool {
        Tape.stringMayHaveLength(tape[position], a, b)
    }

    /// Follows `path` from the value at `position` as `JSONNode.descend` does: nil when a key is missing or an index
    /// is out of range; otherwise the position reached and the number of steps taken.
    public func descend(_ path: JSONKeyPath, from position: Int) -> (position: Int, steps: Int)? {
        JSONKeySearch.descend(path, from: position, tape, bytes)
    }

    /// The value at `position` as a node of its document, for what the view does not answer.
    public func node(_ position: Int) -> JSONNode { JSONNode(document: document, index: position) }
}

extension JSONNode {
    /// Calls `body` with a view of this value and its descendants (see `JSONTreeView`).
    public func withTreeView<R>(_ body: (JSONTreeView) throws -> R) rethrows -> R {
        try document.withStorage { b, t in try body(JSONTreeView(bytes: b, tape: t, document: document, root: index)) }
    }

    /// `withTreeView` for a body that returns nothing (it keeps what it reads, or an error, in its captures). Not
    /// generic, like `answerWithTreeView`: readers call it once per resource.
    public func readWithTreeView(_ body: (JSONTreeView) -> Void) {
        document.withStorage { b, t in body(JSONTreeView(bytes: b, tape: t, document: document, root: index)) }
    }

    /// `withTreeView` for a body that answers yes, no or nil. Not generic, so a caller in another module pays no
    /// generic-metadata lookup per call: a rule's direct check makes one per evaluation, and the generic call cost
    /// about half as much as the check itself. (A name of its own: an overload would capture closures whose
    /// result type is not written.)
    public func answerWithTreeView(_ body: (JSONTreeView) -> Bool?) -> Bool? {
        document.withStorage { b, t in body(JSONTreeView(bytes: b, tape: t, document: document, root: index)) }
    }
}

/// A value of a document held without a reference count on the document, for code that reads the value many times
/// while something else keeps the document alive (a policy context holds its resource's properties; each compiled
/// rule evaluated on the resource reads them). Copying a `JSONNode` costs a reference count each time, and the
/// cores evaluating the resources each pay theirs. Valid only while the document lives.
public struct JSONLentNode: Sendable {
    private let document: Unmanaged<JSONDocument>
    private let index: Int

    /// `node`, lent: the caller keeps `node`'s document alive for as long as this is used.
    public init(_ node: JSONNode) {
        document = .passUnretained(node.document)
        index = node.index
    }

    /// The value as a node of its own, holding its document.
    public var node: JSONNode { JSONNode(document: document.takeUnretainedValue(), index: index) }

    /// `JSONNode.answerWithTreeView`, without a reference count.
    public func answerWithTreeView(_ body: (JSONTreeView) -> Bool?) -> Bool? {
        document._withUnsafeGuaranteedRef { document in
            document.withStorage { b, t in body(JSONTreeView(bytes: b, tape: t, document: document, root: index)) }
        }
    }
}
