import Testing
@testable import RampartJSON

/// A large document's later stretches parsed on other threads and spliced in give the tape, lines and errors of one
/// parse, wherever the guessed starts fall.
@Suite struct JSONStretchParseTests {
    /// A small seeded generator, so a failure names the document that made it.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// A value at `depth`: objects and arrays of objects (what the start guesses look for), strings that spell
    /// `}, {` and `},\n {"` inside them, escapes, numbers and literals.
    static func value(_ g: inout Generator, depth: Int, indent: String?) -> String {
        let pick = depth >= 5 ? 3 + g.next(5) : g.next(8)
        let inner = indent.map { $0 + "  " }
        func joined(_ items: [String], _ open: String, _ close: String) -> String {
            guard let indent, let inner, !items.isEmpty else { return open + items.joined(separator: ",") + close }
            return open + "\n" + items.map { inner + $0 }.joined(separator: ",\n") + "\n" + indent + close
        }
        switch pick {
        case 0, 1:
            let members = (0..<g.next(6)).map { k in
                "\"k\(k)\(g.next(3) == 0 ? "\\u00e9" : "")\":" + (indent == nil ? "" : " ") + value(&g, depth: depth + 1, indent: inner)
            }
            return joined(members, "{", "}")
        case 2:
            let objects = (0..<g.next(7)).map { _ in value(&g, depth: depth + 1, indent: inner) }
            return joined(objects.map { $0.hasPrefix("{") ? $0 : "{\"v\":\($0)}" }, "[", "]")
        case 3: return "\"a}, {b\""
        case 4: return "\"x},\\n  {\\\"y\\\": 1}\""
        case 5: return "\(g.next(100_000) - 50_000).\(g.next(100))e\(g.next(5))"
        case 6: return ["true", "false", "null"][g.next(3)]
        default: return "\"line\\n\(g.next(1_000))\\\\\""
        }
    }

    /// A state-like document: `{"resources": [...]}` with `count` elements, indented or minified.
    static func document(seed: UInt64, count: Int, indented: Bool) -> [UInt8] {
        var g = Generator(state: seed)
        let indent: String? = indented ? "    " : nil
        let elements = (0..<count).map { k in
            let body = value(&g, depth: 2, indent: indent.map { $0 + "    " })
            return "{\"urn\":\"urn:\(k)\",\"v\":" + body + "}"
        }
        let separator = indented ? ",\n        " : ","
        return Array(("{\"resources\": [" + (indented ? "\n        " : "") + elements.joined(separator: separator) + "]}\n").utf8)
    }

    /// An indented state-like document just large enough for `JSONDocument` to split its parse, and its element count.
    static func documentPastTheSplitThreshold(seed: UInt64) -> (bytes: [UInt8], count: Int) {
        var count = 2_000
        var bytes = document(seed: seed, count: count, indented: true)
        while bytes.count < JSONStretches.minimumInputBytes + 1 {
            count *= 2
            bytes = document(seed: seed, count: count, indented: true)
        }
        return (bytes, count)
    }

    static func parse(_ bytes: [UInt8], workers: Int, limits: JSONLimits = JSONLimits(),
                      spliceHalvingEntries: Int = JSONParser.spliceHalvingEntries) throws(JSONError) -> JSONParser.Result {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in
            try JSONParser.parse(buffer, limits: limits, marking: Array("k1".utf8), recordingLines: true, cutInterval: 50,
                                 workers: workers, minimumStretchInput: 0, spliceHalvingEntries: spliceHalvingEntries,
                                 stretchesFirst: true)
        }
    }

    static func expectSame(_ one: JSONParser.Result, _ spliced: JSONParser.Result) {
        // The tape includes the marks of objects that may hold the marked key (`k1`).
        #expect(spliced.tape == one.tape)
        #expect(spliced.contentBytes == one.contentBytes)
        // The same newlines; checkpoints may fall elsewhere, but every offset has the same line and column.
        #expect(spliced.lines?.distances == one.lines?.distances)
        #expect(spliced.lines?.newlineCount == one.lines?.newlineCount)
        #expect(spliced.lines?.lastNewline == one.lines?.lastNewline)
        if let lines = one.lines, let splicedLines = spliced.lines {
            let offsets = Array(Swift.stride(from: 0, through: lines.inputByteCount, by: 3))
            #expect(offsets.map { splicedLines.location(ofByteOffset: $0).line } == offsets.map { lines.location(ofByteOffset: $0).line })
            #expect(offsets.map { splicedLines.location(ofByteOffset: $0).column } == offsets.map { lines.location(ofByteOffset: $0).column })
        } else {
            Issue.record("lines were not recorded")
        }
        // Cuts may fall elsewhere, but each is a string's entry with the compact bytes before it counted right.
        for k in stride(from: 0, to: spliced.cuts.count, by: 2) {
            #expect(Tape.tag(spliced.tape[spliced.cuts[k]]) == Tape.tagString)
        }
        let indexes = stride(from: 0, to: spliced.cuts.count, by: 2).map { spliced.cuts[$0] }
        #expect(zip(indexes, indexes.dropFirst()).allSatisfy { $0 < $1 })
        // The listed marked objects are the marked objects of the tape, each once, however the parse was split.
        #expect(one.markedObjects == markedByScan(one.tape))
        #expect(spliced.markedObjects == markedByScan(spliced.tape))
    }

    /// The tape indexes of the objects whose first entry carries the mark, found by a pass over the tape.
    static func markedByScan(_ tape: [UInt64]) -> [Int] {
        var found: [Int] = []
        var i = 0
        while i < tape.count {
            let tag = Tape.tag(tape[i])
            if tag == Tape.tagObject && tape[i] & Tape.markedKeyBit != 0 { found.append(i) }
            i += tag >= Tape.tagArray ? 2 : 1
        }
        return found
    }

    @Test(arguments: [(1 as UInt64, true), (2, true), (3, false), (4, false), (5, true)])
    func aSplicedParseIsTheParseOnOneThread(seed: UInt64, indented: Bool) throws {
        let bytes = Self.document(seed: seed, count: 300, indented: indented)
        let one = try Self.parse(bytes, workers: 1)
        // The generator writes the marked key, so marks are compared too.
        #expect(one.tape.contains { Tape.tag($0) == Tape.tagObject && $0 & Tape.markedKeyBit != 0 })
        var splicedInAll = 0
        for workers in [2, 3, 5, 8] {
            let spliced = try Self.parse(bytes, workers: workers)
            Self.expectSame(one, spliced)
            // Indented, every guess is an element of the outermost array. Minified, a guess may land in a nested
            // array (its stretch ends at that array's end) or inside a string (left out).
            if indented { #expect(spliced.splicedStretches == workers - 1) }
            splicedInAll += spliced.splicedStretches
        }
        #expect(splicedInAll > 0)
    }

    /// A stretch's entries copied in two halves at once (split at a cut point) give the tape one copy gives: every
    /// stretch here is halved, so a half that started anywhere but an entry's first word, or moved its containers'
    /// indexes by another shift, would show.
    @Test(arguments: [(6 as UInt64, true), (7, false)])
    func aStretchCopiedInTwoHalvesSplicesTheSameTape(seed: UInt64, indented: Bool) throws {
        let bytes = Self.document(seed: seed, count: 400, indented: indented)
        let one = try Self.parse(bytes, workers: 1)
        for workers in [2, 3, 4] {
            let halved = try Self.parse(bytes, workers: workers, spliceHalvingEntries: 1)
            Self.expectSame(one, halved)
            #expect(halved.splicedStretches > 0)
        }
    }

    @Test func theMiddleOfAStretchIsTheCutNearestItsHalf() throws {
        let bytes = Self.document(seed: 8, count: 400, indented: true)
        try bytes.withUnsafeBufferPointer { buffer in
            let input = JSONParser.Input(base: buffer.baseAddress!, count: buffer.count, maxDepth: 64, marked: UnsafeBufferPointer(start: nil, count: 0),
                                         recordsLines: true, cutInterval: 50)
            let start = try #require(JSONStretches.starts(buffer, parts: 2, minimumInputBytes: 0).first)
            let stretch = JSONStretchParse(start: start, stopAt: Int.max)
            stretch.start(input)
            stretch.finish()
            let cuts = stride(from: 0, to: stretch.cuts.count, by: 2).map { stretch.cuts[$0] }
            #expect(cuts.count > 2)
            let middle = JSONParser.spliceMiddle(stretch, halvingFrom: 1)
            #expect(cuts.contains(middle))
            #expect(cuts.allSatisfy { abs($0 - stretch.tapeCount / 2) >= abs(middle - stretch.tapeCount / 2) })
            // Below the threshold, or without cut points, the copy is not split.
            #expect(JSONParser.spliceMiddle(stretch, halvingFrom: stretch.tapeCount + 1) == 0)
        }
    }

    @Test func startsAreGuessedAtTheOutermostArrayOfAnIndentedDocument() {
        let bytes = Self.document(seed: 7, count: 400, indented: true)
        let starts = bytes.withUnsafeBufferPointer { JSONStretches.starts($0, parts: 4, minimumInputBytes: 0) }
        #expect(starts.count == 3)
        // Each start is an element of the resources array: eight spaces into its line, an object opening with "urn".
        for start in starts {
            #expect(Array(bytes[(start - 9)..<start]) == Array("\n        ".utf8))
            #expect(Array(bytes[start..<(start + 6)]) == Array("{\"urn\"".utf8))
        }
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func aSmallInputIsNotSplit() {
        let bytes = Self.document(seed: 8, count: 50, indented: true)
        #expect(bytes.withUnsafeBufferPointer { JSONStretches.starts($0, parts: 2) }.isEmpty)
    }

    /// A guess inside a string (the only `}, {` there is) is never spliced: the document reads those bytes itself.
    @Test func aGuessInsideAStringIsLeftOut() throws {
        let text = "[\"\(String(repeating: "a", count: 5_000))\", \"}, {\\\"k\\\": [1, 2]}\", \"\(String(repeating: "b", count: 3_000))\"]"
        let bytes = Array(text.utf8)
        let starts = bytes.withUnsafeBufferPointer { JSONStretches.starts($0, parts: 2, minimumInputBytes: 0) }
        #expect(starts.count == 1 && starts[0] > 5_000 && starts[0] < 5_020)
        let spliced = try Self.parse(bytes, workers: 2)
        #expect(spliced.splicedStretches == 0)
        Self.expectSame(try Self.parse(bytes, workers: 1), spliced)
    }

    /// An error past the first stretch is found and located by the document's parse, as on one thread.
    @Test(arguments: ["tru", "\"\\q\"", "01", "{\"a\" 1}", "[1,]"])
    func anErrorInALaterStretchIsTheErrorOnOneThread(bad: String) throws {
        var bytes = Self.document(seed: 9, count: 300, indented: true)
        let at = bytes.count * 3 / 4
        let element = bytes[at...].firstIndex(of: UInt8(ascii: "{"))!
        bytes.insert(contentsOf: Array("{\"bad\": \(bad)},\n        ".utf8), at: element)
        let one = #expect(throws: JSONError.self) { try Self.parse(bytes, workers: 1) }
        let spliced = #expect(throws: JSONError.self) { try Self.parse(bytes, workers: 3) }
        #expect(one != nil && spliced == one)
    }

    /// Documents broken at random (a byte changed, dropped or added in their last two thirds) give the same tape or
    /// the same error on one, two and four workers.
    @Test func brokenDocumentsGiveTheSameTapeOrErrorOnEveryWorkerCount() {
        var g = Generator(state: 99)
        let specials = Array("{}[],:\" \n\\0a-".utf8)
        var differences = 0, errors = 0, spliced = 0
        for round in 0..<600 {
            var bytes = Self.document(seed: UInt64(round % 7 + 1), count: 60, indented: round % 3 != 0)
            for _ in 0..<(1 + g.next(3)) {
                let at = bytes.count / 3 + g.next(bytes.count * 2 / 3)
                switch g.next(3) {
                case 0: bytes[at] = specials[g.next(specials.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(specials[g.next(specials.count)], at: at)
                }
            }
            let one = Result { () throws(JSONError) in try Self.parse(bytes, workers: 1) }
            for workers in [2, 4] {
                switch (one, Result { () throws(JSONError) in try Self.parse(bytes, workers: workers) }) {
                case (.success(let a), .success(let b)):
                    if a.tape != b.tape || a.contentBytes != b.contentBytes || a.lines?.distances != b.lines?.distances { differences += 1 }
                    spliced += b.splicedStretches
                case (.failure(let a), .failure(let b)):
                    errors += 1
                    if a != b { differences += 1 }
                default:
                    differences += 1
                }
            }
        }
        #expect(differences == 0)
        // Both kinds were met: the comparison is not of errors alone, nor of parses that spliced nothing.
        #expect(errors > 100 && spliced > 100)
    }

    /// A stretch deeper than the limit allows where it lands is left out, so the depth error is the one-thread error.
    @Test func theDepthLimitHoldsAcrossASplice() throws {
        let deep = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        let elements = (0..<200).map { k in k == 150 ? "{\"d\": \(deep)}" : "{\"k\": \(k)}" }
        let bytes = Array(("{\"r\": [\n  " + elements.joined(separator: ",\n  ") + "\n]}").utf8)
        let limits = JSONLimits(maxDepth: 12)
        let one = #expect(throws: JSONError.self) { try Self.parse(bytes, workers: 1, limits: limits) }
        let spliced = #expect(throws: JSONError.self) { try Self.parse(bytes, workers: 4, limits: limits) }
        #expect(one != nil && spliced == one)
        // Without the limit the same stretches are spliced.
        let unlimited = try Self.parse(bytes, workers: 4)
        #expect(unlimited.splicedStretches == 3)
        Self.expectSame(try Self.parse(bytes, workers: 1), unlimited)
    }

    /// The document's parse never waits for a stretch no thread has taken up: it gives it up and reads the bytes
    /// itself, and a thread that comes to it later leaves it alone.
    @Test func aStretchNoThreadHasTakenUpIsGivenUp() {
        let bytes = Array("[{\"a\": 1}, {\"b\": [2]}, {\"c\": 3}]".utf8)
        let start = bytes.firstIndex(of: UInt8(ascii: ","))! + 2
        bytes.withUnsafeBufferPointer { buffer in
            let input = JSONParser.Input(base: buffer.baseAddress!, count: buffer.count, maxDepth: 512,
                                         marked: UnsafeBufferPointer(start: nil, count: 0), recordsLines: true, cutInterval: 50)
            let givenUp = JSONStretchParse(start: start, stopAt: Int.max)
            givenUp.finish()
            givenUp.start(input)
            #expect(!givenUp.succeeded && givenUp.tapeCount == 0)

            let taken = JSONStretchParse(start: start, stopAt: Int.max)
            taken.start(input)
            taken.finish()
            taken.finish()  // a second call returns at once
            #expect(taken.succeeded && taken.endedAtClose)
            #expect(taken.elementCount == 2 && taken.end == buffer.count - 1)
        }
    }

    /// Through `JSONDocument`, with the default threshold: a document past it is split, compacted, and reads as kept.
    @Test func aDocumentParsedOnSeveralThreadsReadsTheSame() throws {
        let bytes = Self.documentPastTheSplitThreshold(seed: 10).bytes
        var compaction = JSONCompaction.always
        compaction.cutInterval = 50
        let kept = try JSONDocument.parse(bytes, compaction: .never)
        let marker = JSONMarkedKey("k1")
        let parallel = try JSONDocument.parse(bytes, marking: marker, compaction: compaction, workers: 3)
        let serial = try JSONDocument.parse(bytes, marking: marker, compaction: compaction)
        #expect(parallel.bytes == serial.bytes)
        ParallelCompactionTests.expectSameReads(kept, parallel, valuesAtLeast: 2_000)
        // The objects the parse listed as marked, through the splices and the compaction, are the objects with the key.
        let holding = parallel.objects(holding: marker).map(\.index)
        #expect(holding.count > 100)
        #expect(holding == kept.objects(havingKey: "k1").map(\.index))
        #expect(holding == serial.objects(holding: marker).map(\.index))
    }

    /// The resources array's elements, followed from the array's start and from each splice on threads of their
    /// own, are the elements one walk finds: every one once, in order.
    @Test func theElementsOfASplicedArrayAreFollowedFromEachSplice() throws {
        let (bytes, count) = Self.documentPastTheSplitThreshold(seed: 11)
        let serial = try JSONDocument.parse(bytes)
        #expect(serial.spliceStarts.isEmpty)
        for workers in [2, 4] {
            var input = bytes
            let parallel = try JSONDocument.parse(taking: &input, limits: JSONLimits(), marking: nil, compaction: .automatic,
                                                  workers: workers, stretchesFirst: true)
            let array = try #require(parallel.root["resources"])
            #expect(parallel.spliceStarts.count == 2 * (workers - 1))
            #expect(parallel.spliceStarts.enumerated().allSatisfy { $0.offset % 2 == 1 || $0.element == array.index })
            let elements = array.indexedElements
            #expect(elements.count == count)
            let one = try #require(serial.root["resources"]).indexedElements
            #expect((0..<count).map { elements.element($0).index } == (0..<count).map { one.element($0).index })
            #expect((0..<count).map { elements.element($0)["urn"]?.string } == (0..<count).map { "urn:\($0)" })
        }
    }
}
