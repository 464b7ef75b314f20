/// The kinds of JSON value (RFC 8259).
public enum JSONKind: UInt8, Sendable, Hashable {
    case null, bool, number, string, array, object
}

/// Limits that bound work on hostile input.
public struct JSONLimits: Sendable, Hashable {
    /// Deepest allowed nesting of arrays/objects.
    public var maxDepth: Int
    /// Largest accepted document in bytes.
    public var maxBytes: Int
    /// Creates limits; the defaults accept 512 levels of nesting and 4 GiB of input.
    public init(maxDepth: Int = 512, maxBytes: Int = 4 << 30) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }
}

/// A parse failure, located by line, column (1-based, columns count bytes) and JSON path (`$.a.b[3]`).
///
/// * Lines are counted by `\n` (so CRLF files count correctly; a lone `\r` does not start a line).
/// * Columns count bytes, not characters, from the start of the line (a leading byte order mark counts).
/// * The path names where the parser was: the member/element being read, or the innermost container
///   when the error is between members (e.g. a missing `,`). Keys that are not identifier-like are written
///   `$["weird key"]`.
/// * Messages never include string contents of the document; at most one offending byte is shown.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// A byte that cannot appear here; `found` is a safe rendering of one byte (`'x'` or `byte 0xC3`).
        case unexpected(found: String, expected: String)
        /// The input ended early.
        case truncated(expected: String)
        /// Malformed UTF-8 (overlong, surrogate, above U+10FFFF, stray continuation or truncated sequence).
        case invalidUTF8
        /// An unknown escape, a malformed `\u` escape, or a lone surrogate escape.
        case invalidEscape
        /// A raw byte below 0x20 inside a string.
        case controlCharacterInString
        /// A number whose magnitude overflows `Double`.
        case numberOutOfRange
        /// Nesting deeper than `JSONLimits.maxDepth`.
        case tooDeep(limit: Int)
        /// Input larger than `JSONLimits.maxBytes` (or than the implementation's internal limits).
        case tooLarge(limit: Int)
        /// Something other than whitespace after the top-level value.
        case trailingContent
        /// No value at all (empty or whitespace-only input).
        case empty
    }
    /// What went wrong.
    public var reason: Reason
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based column of the offending byte, counted in bytes.
    public var column: Int
    /// JSON path of where the parser was, e.g. `$.deployment.resources[2].urn`.
    public var path: String
    /// Byte offset of the offending byte in the input (equal to the input size for truncation).
    public var byteOffset: Int
    /// Creates an error.
    public init(reason: Reason, line: Int, column: Int, path: String, byteOffset: Int) {
        self.reason = reason; self.line = line; self.column = column; self.path = path; self.byteOffset = byteOffset
    }
    /// e.g. `line 3, column 7 (at $.deployment.resources[2]): expected ',' or '}', found 'x'`
    public var description: String {
        "line \(line), column \(column) (at \(path)): \(reasonDescription)"
    }

    /// The reason alone, e.g. `expected ',' or '}', found 'x'`.
    public var reasonDescription: String {
        switch reason {
        case .unexpected(let found, let expected): return "expected \(expected), found \(found)"
        case .truncated(let expected): return "unexpected end of input, expected \(expected)"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidEscape: return "invalid escape sequence in string"
        case .controlCharacterInString: return "unescaped control character in string"
        case .numberOutOfRange: return "number out of range"
        case .tooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .tooLarge(let limit): return "input larger than \(limit) bytes"
        case .trailingContent: return "unexpected content after the top-level value"
        case .empty: return "empty input, expected a value"
        }
    }
}

/// An immutable parsed document: the input bytes plus a compact tape. Values are read lazily through `JSONNode`.
/// A large indented input is replaced by a compact copy of its values (`JSONCompaction`); nothing read from the
/// document tells the two apart, byte offsets and locations included.
///
/// Parsing is strict RFC 8259 with these documented choices:
/// * a leading UTF-8 byte order mark is skipped (byte offsets still count it);
/// * lone surrogate escapes (`\ud800` not followed by `\udc00`–`\udfff`, or a lone low surrogate) are rejected;
/// * numbers that overflow `Double` are rejected (`numberOutOfRange`); underflow to zero is accepted;
/// * the parser is iterative (no recursion), so nesting depth is bounded only by `JSONLimits.maxDepth`.
public final class JSONDocument: Sendable {
    /// The bytes the tape points into: the input, or the compact copy of its values.
    let bytes: [UInt8]
    /// See `Tape` for the layout.
    @usableFromInline let tape: [UInt64]
    /// Where the values were in the input, for a compacted document; nil when `bytes` is the input.
    let inputPositions: JSONInputPositions?
    /// Size of the input.
    let inputByteCount: Int
    /// The document this one is a second handle on (`sharingStorage()`), nil for a parsed document.
    let original: JSONDocument?
    /// `original`'s identity, kept apart: reading `original` itself writes its reference count, which every handle
    /// shares, so workers asking for `storageIdentity` at once fought over one cache line.
    private let originalIdentity: ObjectIdentifier?
    /// The key whose presence the parser marked on every object (`JSONMarkedKey`), if any; never one that cannot
    /// be marked (empty or too long), which the parser marks nowhere.
    @usableFromInline let markedKey: JSONMarkedKey?
    /// The tape indexes of the marked objects, in document order (the parser lists them as it marks them), so
    /// finding them (`objects(holding:)`) does not pass over the tape.
    let markedObjects: [Int]
    /// Where stretches parsed on other threads were spliced in: pairs of an array's tape index and the tape index
    /// of the first element its stretch gave, in tape order. `indexedElements` follows such an array's elements
    /// from each of these on a thread of its own.
    let spliceStarts: [Int]

    /// Parses `bytes`. Validates strictly. With `marking`, every object records whether it may hold that key
    /// (`JSONNode.certainlyLacks(_:)`). The document keeps `bytes` (no copy of string contents is made), or, when
    /// `compaction` has it compact, a compact copy of its values (made in a copy of `bytes`: the caller keeps its
    /// array; `parse(taking:)` compacts the caller's own). With `workers` above 1, a large input is parsed and
    /// compacted on that many threads; the document is the same.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits(),
                             marking markedKey: JSONMarkedKey? = nil,
                             compaction: JSONCompaction = .automatic, workers: Int = 1) throws(JSONError) -> JSONDocument {
        var input = bytes
        return try parse(taking: &input, limits: limits, marking: markedKey, compaction: compaction, workers: workers)
    }

    /// Parses `bytes` like `parse(_:)`, taking their storage: on success `bytes` is left empty and the document
    /// holds the input, or, when it compacts, the compact copy of its values written over the input in place (see
    /// `JSONCompactor.compact`), so a large input and its compact copy are never in memory together. On an error
    /// `bytes` is unchanged.
    public static func parse(taking bytes: inout [UInt8], limits: JSONLimits = JSONLimits(),
                             marking markedKey: JSONMarkedKey? = nil,
                             compaction: JSONCompaction = .automatic, workers: Int = 1) throws(JSONError) -> JSONDocument {
        try parse(taking: &bytes, limits: limits, marking: markedKey, compaction: compaction, workers: workers,
                  stretchesFirst: false)
    }

    /// `parse(taking:)`; `stretchesFirst` (for tests) parses every stretch before the document's own parse begins, so
    /// all of them are spliced in whenever threads take them up.
    static func parse(taking bytes: inout [UInt8], limits: JSONLimits, marking markedKey: JSONMarkedKey?,
                      compaction: JSONCompaction, workers: Int, stretchesFirst: Bool) throws(JSONError) -> JSONDocument {
        let inputByteCount = bytes.count
        var (parsed, lines) = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in
            try parsedForCompaction(buffer, limits: limits, marking: markedKey, compaction: compaction, workers: workers,
                                    stretchesFirst: stretchesFirst)
        }
        // Parsed: nothing fails from here on. The input moves out of the caller's array (unshared, if the caller
        // held the only reference), so compacting it does not copy it first.
        var input: [UInt8] = []
        swap(&input, &bytes)
        if let lines {
            let positions = JSONCompactor.compact(&parsed.tape, bytes: &input, contentBytes: parsed.contentBytes,
                                                  lines: lines, cuts: parsed.cuts, workers: workers)
            return JSONDocument(bytes: input, tape: parsed.tape, inputPositions: positions,
                                inputByteCount: inputByteCount, markedKey: markedKey,
                                markedObjects: parsed.markedObjects, spliceStarts: parsed.spliceStarts)
        }
        return JSONDocument(bytes: input, tape: parsed.tape, inputPositions: nil, inputByteCount: inputByteCount,
                            markedKey: markedKey, markedObjects: parsed.markedObjects, spliceStarts: parsed.spliceStarts)
    }

    /// Parses `file`, a private read-only mapping of a file, which others may write meanwhile, like `parse(_:)`: the
    /// document keeps a compact copy of its values when `compaction` has it compact, else a copy of `file`, so it
    /// never reads `file` afterwards. The mapping's pages are given back behind the compaction and the rest once the
    /// copy is made, or when the parse fails (they read the file again if touched). Nil when the compaction found
    /// the file changed since its parse (a value of another length where its tape entry put it): the caller, which
    /// knows how its file may change, says why. A change the compaction cannot see (equal lengths, or after the
    /// copy) gives a document of either content; the caller tells whether its file changed, and never keeps such a
    /// document.
    public static func parse(mappedFile input: UnsafeBufferPointer<UInt8>, limits: JSONLimits = JSONLimits(),
                             marking markedKey: JSONMarkedKey? = nil,
                             compaction: JSONCompaction = .automatic, workers: Int = 1) throws(JSONError) -> JSONDocument? {
        var (parsed, lines) = try parsedForCompaction(input, limits: limits, marking: markedKey, compaction: compaction,
                                                      workers: workers, stretchesFirst: false)
        // Once copied, the mapping's pages go at once (what the compaction has not given back yet, or all of them),
        // so the copy does not sit beside them while the caller builds on the document.
        defer {
            if let base = input.baseAddress {
                MemoryPages.releaseMapping(at: UnsafeMutableRawPointer(mutating: base), count: input.count, workers: workers)
            }
        }
        if let lines {
            guard let (bytes, positions) = JSONCompactor.compacted(&parsed.tape, input: input,
                                                                   contentBytes: parsed.contentBytes, lines: lines,
                                                                   cuts: parsed.cuts, workers: workers,
                                                                   releasingInput: true) else {
                return nil
            }
            return JSONDocument(bytes: bytes, tape: parsed.tape, inputPositions: positions,
                                inputByteCount: input.count, markedKey: markedKey,
                                markedObjects: parsed.markedObjects, spliceStarts: parsed.spliceStarts)
        }
        return JSONDocument(bytes: Array(input), tape: parsed.tape, inputPositions: nil, inputByteCount: input.count,
                            markedKey: markedKey, markedObjects: parsed.markedObjects, spliceStarts: parsed.spliceStarts)
    }

    /// The parse both `parse(taking:)` and `parse(mappedFile:)` make: the input's size checked against the limits,
    /// its tape, and its lines when `compaction` has it compact (nil when the document keeps its input).
    private static func parsedForCompaction(
        _ input: UnsafeBufferPointer<UInt8>, limits: JSONLimits, marking markedKey: JSONMarkedKey?,
        compaction: JSONCompaction, workers: Int, stretchesFirst: Bool
    ) throws(JSONError) -> (JSONParser.Result, compactingWith: LineTable?) {
        let hardLimit = Swift.min(limits.maxBytes, Tape.maxInputBytes - 1)
        let inputByteCount = input.count
        if inputByteCount > hardLimit {
            throw JSONError(reason: .tooLarge(limit: hardLimit), line: 1, column: 1, path: "$", byteOffset: 0)
        }
        let parsed = try JSONParser.parse(input, limits: limits, marking: markedKey?.bytes ?? [],
                                          recordingLines: compaction.mayCompact(inputBytes: inputByteCount),
                                          cutInterval: compaction.cutInterval, workers: workers,
                                          stretchesFirst: stretchesFirst)
        guard let lines = parsed.lines else { return (parsed, nil) }
        let kept = parsed.contentBytes + parsed.tape.count + lines.distances.count
        return (parsed, compaction.compacts(inputBytes: inputByteCount, keptBytes: kept) ? lines : nil)
    }

    /// Parses the UTF-8 encoding of `text`.
    public static func parse(_ text: String, limits: JSONLimits = JSONLimits(),
                             marking markedKey: JSONMarkedKey? = nil,
                             compaction: JSONCompaction = .automatic, workers: Int = 1) throws(JSONError) -> JSONDocument {
        try parse(Array(text.utf8), limits: limits, marking: markedKey, compaction: compaction, workers: workers)
    }

    /// The top-level value.
    public var root: JSONNode { JSONNode(document: self, index: 0) }

    /// Size of the input in bytes.
    public var byteCount: Int { inputByteCount }

    /// Size of the parsed representation (the tape) in bytes, excluding the input itself.
    public var tapeByteCount: Int { tape.count * MemoryLayout<UInt64>.stride }

    /// Whether the document keeps a compact copy of its values instead of its input (`JSONCompaction`).
    public var isCompacted: Bool { inputPositions != nil }

    /// Bytes the document keeps besides the tape: its input, or the compact copy and the tables that tell where
    /// its values and lines were in the input.
    public var storedByteCount: Int { bytes.count + (inputPositions?.storedByteCount ?? 0) }

    /// 1-based line and column of a byte offset (columns count bytes; offsets are clamped to the input).
    public func location(ofByteOffset offset: Int) -> (line: Int, column: Int) {
        if let inputPositions { return inputPositions.lines.location(ofByteOffset: offset) }
        return bytes.withUnsafeBufferPointer { JSONError.location(in: $0, ofByteOffset: offset) }
    }

    /// Calls `body` with the input bytes and the tape.
    @inline(__always)
    func withStorage<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try tape.withUnsafeBufferPointer { t in try body(b, t) } }
    }

    private init(bytes: [UInt8], tape: [UInt64], inputPositions: JSONInputPositions?, inputByteCount: Int,
                 markedKey: JSONMarkedKey?, markedObjects: [Int], spliceStarts: [Int], original: JSONDocument? = nil) {
        self.bytes = bytes
        self.tape = tape
        self.inputPositions = inputPositions
        self.inputByteCount = inputByteCount
        // Only a key that can be marked is kept, so `markedKey === key` alone tells that the parser marked `key`:
        // the hot checks (`JSONNode.certainlyLacks(_:)`) then never read the key object, which every worker shares.
        self.markedKey = markedKey?.bytes.isEmpty == false ? markedKey : nil
        self.markedObjects = markedObjects
        self.spliceStarts = spliceStarts
        self.original = original
        originalIdentity = original.map { ObjectIdentifier($0) }
    }

    /// A second handle on this parsed document: it shares the bytes and the tape (nothing is copied) and gives the
    /// same values. Every node holds a reference to its document, so workers that read one document each through
    /// their own handle do not contend on one reference count.
    public func sharingStorage() -> JSONDocument {
        JSONDocument(bytes: bytes, tape: tape, inputPositions: inputPositions, inputByteCount: inputByteCount,
                     markedKey: markedKey, markedObjects: markedObjects, spliceStarts: spliceStarts,
                     original: original ?? self)
    }

    /// Identifies the parsed document behind this handle (the same for every `sharingStorage()` handle).
    public var storageIdentity: ObjectIdentifier { originalIdentity ?? ObjectIdentifier(self) }
}

/// A cheap handle to one value of a document.
public struct JSONNode: Sendable {
    /// The document that holds this value.
    public let document: JSONDocument
    /// Index of the value's first tape entry.
    @usableFromInline let index: Int

    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    /// The same value read through `handle`, another handle on the same parsed document; `self` otherwise.
    public func reading(through handle: JSONDocument) -> JSONNode {
        handle.storageIdentity == document.storageIdentity ? JSONNode(document: handle, index: index) : self
    }

    // The per-value accessors below are inlinable: policies in other modules read them for every property they
    // look at, and across the module boundary each was a call.
    @inline(__always) @inlinable
    var entry: UInt64 { document.tape[index] }

    @inline(__always) @inlinable
    var tag: UInt64 { Tape.tag(entry) }

    /// The kind of value.
    @inlinable public var kind: JSONKind { Tape.kind(entry) }
    /// Byte offset of the value's first byte in the input.
    public var byteOffset: Int {
        let e = entry
        guard let positions = document.inputPositions else { return Tape.offset(e) }
        return positions.inputOffset(ofEntry: index, e)
    }
    /// Whether the value is `null`.
    public var isNull: Bool { kind == .null }
    /// The value of a boolean; nil for other kinds.
    public var bool: Bool? { Tape.bool(entry) }
    /// The value of a number, correctly rounded to the nearest `Double`; nil for other kinds.
    public var number: Double? {
        let e = entry
        guard Tape.tag(e) == Tape.tagNumber else { return nil }
        return document.bytes.withUnsafeBufferPointer { b in Tape.number(e, b) }
    }
    /// The number as an `Int` when it is integral and fits exactly (`80`, `8e1` and `80.0` all give 80;
    /// plain integer literals are converted exactly, even beyond 2^53); nil otherwise.
    public var int: Int? {
        let e = entry
        guard Tape.tag(e) == Tape.tagNumber else { return nil }
        return document.bytes.withUnsafeBufferPointer { b in JSONNumber.int(b, Tape.offset(e)) }
    }
    /// The number's text exactly as written (for integers beyond Double precision).
    public var numberText: String? {
        let e = entry
        guard Tape.tag(e) == Tape.tagNumber else { return nil }
        return document.bytes.withUnsafeBufferPointer { b in
            let start = Tape.offset(e)
            let end = Tape.numberEnd(b, start)
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        }
    }
    /// The decoded string (allocated on each call); nil for other kinds.
    public var string: String? {
        let e = entry
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return document.bytes.withUnsafeBufferPointer { b in JSONStringDecoder.string(e, b) }
    }
    /// Whether a string value contains escape sequences (false for other kinds). Escape-free strings are
    /// compared and exposed without decoding.
    public var hasEscapes: Bool {
        let e = entry
        return Tape.tag(e) == Tape.tagString && e & Tape.escapeBit != 0
    }
    /// Calls `body` with the decoded UTF-8 bytes of a string value (a view into the input when the string has no
    /// escapes, otherwise a temporary buffer valid only during the call). Returns nil for other kinds.
    public func withStringUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        let e = entry
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return try document.bytes.withUnsafeBufferPointer { b in try JSONStringDecoder.withDecoded(e, b, body) }
    }
    /// `withStringUTF8` for a body that returns an `Int`. Not generic, so a caller in another module pays no
    /// generic-metadata lookup per call (decoders use it to number object keys, once per key of every resource).
    public func withStringUTF8(_ body: (UnsafeBufferPointer<UInt8>) -> Int) -> Int? {
        let e = entry
        guard Tape.tag(e) == Tape.tagString else { return nil }
        return document.bytes.withUnsafeBufferPointer { b in JSONStringDecoder.withDecoded(e, b, body) }
    }
    /// Compares a string value with `other` without allocating. False for other kinds.
    public func stringEquals(_ other: String) -> Bool {
        let e = entry
        guard Tape.tag(e) == Tape.tagString else { return false }
        return document.bytes.withUnsafeBufferPointer { b in JSONStringDecoder.stringEquals(e, b, other) }
    }
    /// Whether this is a string that may be `a` or `b` UTF-8 bytes long, as `JSONTreeView.stringMayHaveLength`
    /// tells: a check against Pulumi's sentinels that most strings fail from their tape entry alone.
    @inlinable
    public func stringMayHaveLength(_ a: Int, _ b: Int) -> Bool { Tape.stringMayHaveLength(entry, a, b) }
    /// Whether a string value starts with `prefix`, without allocating. False for other kinds.
    public func stringHasPrefix(_ prefix: String) -> Bool {
        let e = entry
        guard Tape.tag(e) == Tape.tagString else { return false }
        return prefix.withUTF8Buffer { o in
            document.bytes.withUnsafeBufferPointer { b in
                JSONStringDecoder.withDecoded(e, b) { s in
                    s.count >= o.count && JSONStringDecoder.equal(UnsafeBufferPointer(rebasing: s[0..<o.count]), o)
                }
            }
        }
    }
    /// Number of elements (array) or members (object); 0 otherwise.
    public var count: Int {
        guard tag >= Tape.tagArray else { return 0 }
        return Int(truncatingIfNeeded: document.tape[index + 1] & 0xFFFF_FFFF)
    }
    /// Member lookup; with duplicate keys the last one wins. Does not allocate for escape-free keys.
    /// Nil for non-objects or a missing key.
    public subscript(key: String) -> JSONNode? {
        key.withUTF8Buffer { member(utf8: $0) }
    }
    /// Member lookup by the key's UTF-8 bytes (a key cut from a longer text without making a `String` of it);
    /// otherwise as `self[key]`.
    @inline(__always)
    public func member(utf8 key: UnsafeBufferPointer<UInt8>) -> JSONNode? {
        guard tag == Tape.tagObject else { return nil }
        let found = document.withStorage { b, t in JSONKeySearch.member(of: index, t, b, key: key, marker: nil) }
        return found < 0 ? nil : JSONNode(document: document, index: found)
    }
    /// Array element at `index` (O(index), skipping subtrees in O(1) each); nil for non-arrays or out of range.
    public subscript(index: Int) -> JSONNode? {
        guard tag == Tape.tagArray, index >= 0, index < count else { return nil }
        let found: Int = document.tape.withUnsafeBufferPointer { t in
            var cur = self.index &+ 2
            for _ in 0..<index { cur = Tape.next(t, cur) }
            return cur
        }
        return JSONNode(document: document, index: found)
    }
    /// Array elements in order (empty for non-arrays).
    public var elements: JSONElements {
        guard tag == Tape.tagArray else { return JSONElements(document: document, start: 0, end: 0) }
        return JSONElements(document: document, start: index + 2, end: Int(truncatingIfNeeded: document.tape[index + 1] >> 32))
    }
    /// Object members in order (empty for non-objects); keys are string nodes.
    public var members: JSONMembers {
        guard tag == Tape.tagObject else { return JSONMembers(document: document, start: 0, end: 0) }
        return JSONMembers(document: document, start: index + 2, end: Int(truncatingIfNeeded: document.tape[index + 1] >> 32))
    }
}

/// The elements of an array node.
public struct JSONElements: Sequence, Sendable {
    let document: JSONDocument
    let start: Int
    let end: Int

    /// Iterates the elements in order.
    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var current: Int
        let end: Int
        /// The next element, or nil at the end.
        public mutating func next() -> JSONNode? {
            guard current < end else { return nil }
            let node = JSONNode(document: document, index: current)
            current = document.tape.withUnsafeBufferPointer { Tape.next($0, current) }
            return node
        }
    }
    /// Makes an iterator over the elements.
    public func makeIterator() -> Iterator { Iterator(document: document, current: start, end: end) }
    /// Number of elements.
    public var underestimatedCount: Int { start < end ? JSONNode(document: document, index: start - 2).count : 0 }
}

/// The members of an object node.
public struct JSONMembers: Sequence, Sendable {
    let document: JSONDocument
    let start: Int
    let end: Int

    /// Iterates the members in order.
    public struct Iterator: IteratorProtocol {
        let document: JSONDocument
        var current: Int
        let end: Int
        /// The next member, or nil at the end.
        public mutating func next() -> (key: JSONNode, value: JSONNode)? {
            guard current < end else { return nil }
            let key = JSONNode(document: document, index: current)
            let value = JSONNode(document: document, index: current + 1)
            current = document.tape.withUnsafeBufferPointer { Tape.next($0, current + 1) }
            return (key, value)
        }
    }
    /// Makes an iterator over the members.
    public func makeIterator() -> Iterator { Iterator(document: document, current: start, end: end) }
    /// Number of members.
    public var underestimatedCount: Int { start < end ? JSONNode(document: document, index: start - 2).count : 0 }
}
