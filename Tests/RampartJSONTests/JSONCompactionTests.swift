import Testing
@testable import RampartJSON

/// A compacted document (`JSONCompaction`) answers every read as the document that keeps its input.
@Suite struct JSONCompactionTests {
    static let signature = JSONMarkedKey("4dabf18193072939515e22adb298388d")

    /// An indented document with every kind of value: escapes, non-ASCII, numbers side by side, literals, empty
    /// and nested containers, CRLF and tab whitespace, keys that are marked and keys escaped to look like them.
    static let varied: String = """
        {
          "version": 3,
          "numbers": [0, -1, 2.5, -3.25e10, 1E3, 12345678901234567890, 1e-7, 80.0],
          "literals": [true, false, null, [], {}],
          "plain": "hello",
          "escaped": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00/\\/",
          "unicode": "héllo wörld ✓",
          "empty": "",\r
        \t"nested": {"a": {"b": [1, {"c": "d"}, [[], [null]]]}},
          "secret": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\\"x\\""},
          "escapedKey": {"\\u0034dabf18193072939515e22adb298388d": 1},
          "\\u0041key": "value",
          "dup": 1, "dup": 2,
          "deep": [[[[[[[[[["bottom"]]]]]]]]]]
        }

        """

    static func both(_ text: String, marking: JSONMarkedKey? = nil) throws -> (kept: JSONDocument, compact: JSONDocument) {
        let kept = try JSONDocument.parse(text, marking: marking, compaction: .never)
        let compact = try JSONDocument.parse(text, marking: marking, compaction: .always)
        #expect(!kept.isCompacted)
        #expect(compact.isCompacted)
        return (kept, compact)
    }

    /// Every value of both documents in document order, side by side.
    static func pairs(_ a: JSONNode, _ b: JSONNode, into out: inout [(JSONNode, JSONNode)]) {
        out.append((a, b))
        switch a.kind {
        case .array:
            for (x, y) in zip(a.elements, b.elements) { pairs(x, y, into: &out) }
        case .object:
            for (x, y) in zip(a.members, b.members) {
                out.append((x.key, y.key))
                pairs(x.value, y.value, into: &out)
            }
        default: break
        }
    }

    static func expectSame(_ a: JSONNode, _ b: JSONNode, marking: JSONMarkedKey?) {
        #expect(a.kind == b.kind)
        #expect(a.bool == b.bool)
        #expect(a.number?.bitPattern == b.number?.bitPattern)
        #expect(a.int == b.int)
        #expect(a.numberText == b.numberText)
        #expect(a.string == b.string)
        #expect(a.hasEscapes == b.hasEscapes)
        #expect(a.withStringUTF8 { Array($0) } == b.withStringUTF8 { Array($0) })
        #expect(a.withStringUTF8 { $0.count } == b.withStringUTF8 { $0.count })
        #expect(a.count == b.count)
        #expect(a.byteOffset == b.byteOffset)
        #expect(a.document.location(ofByteOffset: a.byteOffset) == b.document.location(ofByteOffset: b.byteOffset))
        if let s = a.string {
            #expect(b.stringEquals(s))
            #expect(!b.stringEquals(s + "x"))
            #expect(b.stringHasPrefix(String(s.prefix(3))))
            var ia = JSONStringInterner(), ib = JSONStringInterner()
            #expect(ia.string(a) == ib.string(b))
        }
        if let marking { #expect(a.certainlyLacks(marking) == b.certainlyLacks(marking)) }
        var wa = JSONWriter(), wb = JSONWriter()
        wa.node(a)
        wb.node(b)
        #expect(wa.bytes == wb.bytes)
        if a.kind == .object {
            for (key, _) in a.members {
                let name = key.string!
                #expect(a[name]?.byteOffset == b[name]?.byteOffset)
                #expect(a[name]?.index == b[name]?.index)
                let path = JSONKeyPath([.key(name)], stoppingAtObjectsWithKey: marking?.key)
                #expect(a.descend(path)?.node.index == b.descend(path)?.node.index)
                #expect(a.members(whoseObjectHasKey: name).map(\.key.index) == b.members(whoseObjectHasKey: name).map(\.key.index))
            }
            #expect(a["missing"] == nil && b["missing"] == nil)
        }
        if a.kind == .array {
            for position in 0...a.count { #expect(a[position]?.index == b[position]?.index) }
        }
    }

    @Test func everyValueReadsTheSameAsFromTheInput() throws {
        let (kept, compact) = try Self.both(Self.varied, marking: Self.signature)
        var all: [(JSONNode, JSONNode)] = []
        Self.pairs(kept.root, compact.root, into: &all)
        #expect(all.count > 60)
        for (a, b) in all { Self.expectSame(a, b, marking: Self.signature) }
        #expect(compact.byteCount == kept.byteCount)
        #expect(compact.objects(holding: Self.signature).map(\.index) == kept.objects(holding: Self.signature).map(\.index))
        #expect(compact.objects(havingKey: "c").map(\.index) == kept.objects(havingKey: "c").map(\.index))
        #expect(compact.root.indexedElements.count == kept.root.indexedElements.count)
    }

    @Test func everyByteOffsetHasTheSameLineAndColumn() throws {
        // A byte order mark, CRLF line ends, a tab, and offsets before, inside and past the input.
        let text = "\u{FEFF}{\r\n\t\"a\": [1,\n\n  2],\n \"b\": \"x\"\n}\n\n"
        let (kept, compact) = try Self.both(text)
        for offset in -2...(kept.byteCount + 3) {
            #expect(compact.location(ofByteOffset: offset) == kept.location(ofByteOffset: offset), "offset \(offset)")
        }
    }

    @Test func linesPastManyCheckpointsAndLongLinesKeepTheirLocations() throws {
        // More lines than a checkpoint interval many times over, and lines longer than a one-byte distance.
        var text = "[\n"
        for k in 0..<1_000 {
            text += String(repeating: " ", count: k % 300) + "\"\(String(repeating: "v", count: k % 170))\",\n"
        }
        text += "0]"
        let (kept, compact) = try Self.both(text)
        var offset = 0
        while offset <= kept.byteCount {
            #expect(compact.location(ofByteOffset: offset) == kept.location(ofByteOffset: offset), "offset \(offset)")
            offset += 7
        }
        var all: [(JSONNode, JSONNode)] = []
        Self.pairs(kept.root, compact.root, into: &all)
        for (a, b) in all { #expect(a.byteOffset == b.byteOffset) }
    }

    @Test func wideWhitespaceBetweenValuesKeepsTheirOffsets() throws {
        // Gaps of 255 bytes or more between values (stored apart from the one-byte ones), among small ones.
        var text = "{"
        for k in 0..<200 {
            text += "\"k\(k)\":" + String(repeating: " ", count: (k * 37) % 700) + "\(k)" + String(repeating: "\n", count: k % 3) + ","
        }
        text += "\"end\": true}"
        let (kept, compact) = try Self.both(text)
        var all: [(JSONNode, JSONNode)] = []
        Self.pairs(kept.root, compact.root, into: &all)
        for (a, b) in all { Self.expectSame(a, b, marking: nil) }
    }

    @Test func longStringsWithAndWithoutEscapesReadTheSame() throws {
        let plain = String(repeating: "abcdefgh", count: (1 << 19) / 8 + 3)
        let escaped = String(repeating: "line\\n", count: (1 << 19) / 6 + 5) + "\\\\\\\""  // ends with \\ and \"
        let text = "{\n  \"plain\": \"\(plain)\",\n  \"escaped\": \"\(escaped)\",\n  \"after\": [1, \"x\"]\n}\n"
        let (kept, compact) = try Self.both(text)
        #expect(Tape.rawLengthAtLeast(compact.root["plain"]!.entry) == Int(Tape.longLength))
        var all: [(JSONNode, JSONNode)] = []
        Self.pairs(kept.root, compact.root, into: &all)
        for (a, b) in all { Self.expectSame(a, b, marking: nil) }
        #expect(compact.root["plain"]!.string!.utf8.count == plain.utf8.count)
    }

    /// The compact copy is written over the input it was parsed from: never over an array the caller still holds.
    @Test func compactingLeavesTheCallersArrayAlone() throws {
        let bytes = Array(Self.varied.utf8)
        let document = try JSONDocument.parse(bytes, compaction: .always)
        #expect(document.isCompacted)
        #expect(bytes == Array(Self.varied.utf8))
        #expect(document.bytes.count < bytes.count)
    }

    /// `parse(taking:)` takes the array's storage when it parses, and leaves it as it was when it does not.
    @Test func parseTakingEmptiesTheArrayOnSuccessAndKeepsItOnError() throws {
        var input = Array(Self.varied.utf8)
        let document = try JSONDocument.parse(taking: &input, compaction: .always)
        #expect(input.isEmpty)
        let kept = try JSONDocument.parse(Self.varied, compaction: .never)
        var all: [(JSONNode, JSONNode)] = []
        Self.pairs(kept.root, document.root, into: &all)
        for (a, b) in all { Self.expectSame(a, b, marking: nil) }

        var broken = Array("{\"a\": [1, 2,]}".utf8)
        let before = broken
        #expect(throws: JSONError.self) { try JSONDocument.parse(taking: &broken, compaction: .always) }
        #expect(broken == before)
        var kept2 = Array("{\"a\": 1}".utf8)
        _ = try JSONDocument.parse(taking: &kept2, compaction: .never)
        #expect(kept2.isEmpty)
    }

    @Test func numbersSideBySideKeepTheirExtents() throws {
        let text = "[1,22,-333,4.5e-6,0,7E+2,-0.0,9007199254740993]"
        let (kept, compact) = try Self.both(text)
        #expect(compact.root.elements.map { $0.numberText } == kept.root.elements.map { $0.numberText })
        #expect(compact.root.elements.map { $0.number } == kept.root.elements.map { $0.number })
        #expect(compact.root.elements.map { $0.int } == kept.root.elements.map { $0.int })
        let lone = try Self.both("42")
        #expect(lone.compact.root.int == 42 && lone.compact.root.numberText == "42")
    }

    @Test func aSecondHandleOnACompactedDocumentReadsTheSame() throws {
        let (kept, compact) = try Self.both(Self.varied)
        let handle = compact.sharingStorage()
        #expect(handle.isCompacted && handle.byteCount == kept.byteCount)
        #expect(handle.storageIdentity == compact.storageIdentity)
        let node = try #require(compact.root["nested"]?["a"]?["b"]?[1]?["c"])
        let through = node.reading(through: handle)
        #expect(through.string == "d" && through.byteOffset == kept.root["nested"]?["a"]?["b"]?[1]?["c"]?.byteOffset)
        #expect(handle.location(ofByteOffset: through.byteOffset) == kept.location(ofByteOffset: through.byteOffset))
    }

    @Test func largeIndentedInputsCompactAndSmallOrMinifiedOnesKeepTheirInput() throws {
        var indented = "{\n  \"items\": [\n"
        for k in 0..<20_000 { indented += "    {\n      \"name\": \"item-\(k)\",\n      \"size\": \(k)\n    },\n" }
        indented += "    null\n  ]\n}\n"
        #expect(indented.utf8.count > JSONCompaction.automatic.minimumInputBytes)
        let large = try JSONDocument.parse(indented)
        #expect(large.isCompacted)
        #expect(large.storedByteCount * 4 < large.byteCount * 3)
        let kept = try JSONDocument.parse(indented, compaction: .never)
        #expect(large.root["items"]?[19_999]?["size"]?.byteOffset == kept.root["items"]?[19_999]?["size"]?.byteOffset)

        var minified = "["
        for k in 0..<60_000 { minified += "{\"name\":\"item-\(k)\",\"size\":\(k)}," }
        minified += "null]"
        #expect(minified.utf8.count > JSONCompaction.automatic.minimumInputBytes)
        #expect(!(try JSONDocument.parse(minified)).isCompacted)
        #expect(!(try JSONDocument.parse(Self.varied)).isCompacted)
    }

    @Test func parseErrorsAreLocatedTheSameWhetherOrNotTheInputMayCompact() {
        var text = "{\n  \"items\": [\n"
        for k in 0..<200 { text += "    {\"name\": \"item-\(k)\"},\n" }
        let broken = [text + "    {\"name\" \"x\"}\n  ]\n}\n", text + "    [1, 2,]\n", text + "    \"open\n", text]
        for input in broken {
            let bytes = Array(input.utf8)
            var errors: [JSONError] = []
            for compaction in [JSONCompaction.never, .always] {
                do {
                    _ = try JSONDocument.parse(bytes, compaction: compaction)
                    Issue.record("parsed broken input")
                } catch { errors.append(error) }
            }
            #expect(errors.count == 2 && errors[0] == errors[1])
            #expect(errors.first?.line ?? 0 > 200)
        }
    }
}

/// The copy made in parts on several threads (`JSONCompaction.workers`, cut where the parser noted) is the copy made
/// in one: the same bytes, tape and input positions, whatever falls at a cut.
@Suite struct ParallelCompactionTests {
    /// Values of every kind with gaps of every size between them, so that cuts land after small and wide
    /// (255 or more bytes) gaps, next to containers, numbers, literals, long strings and escapes.
    static func document() -> String {
        var parts: [String] = []
        for i in 0..<400 {
            let gap = String(repeating: " ", count: (i * 37) % 300) + (i % 3 == 0 ? "\n" : "")
            switch i % 6 {
            case 0: parts.append(gap + "\"s\(i)\"")
            case 1: parts.append(gap + "\(i).5e1")
            case 2: parts.append(gap + "{\"k\(i)\": [true, null, \"v\\u00e9\"], \"n\": \(i)}")
            case 3: parts.append(gap + "[]")
            case 4: parts.append(gap + "\"" + String(repeating: "x", count: i == 4 ? 600_000 : i) + "\"")
            default: parts.append(gap + "false")
            }
        }
        return "[" + parts.joined(separator: ",") + "\n]\n"
    }

    @Test(arguments: [2, 3, 8])
    func aCopyMadeInPartsIsTheCopyMadeInOne(workers: Int) throws {
        let text = Self.document()
        var one = JSONCompaction.always
        one.cutInterval = 7
        let single = try JSONDocument.parse(text, compaction: one)
        let parted = try JSONDocument.parse(text, compaction: one, workers: workers)
        let kept = try JSONDocument.parse(text, compaction: .never)
        #expect(single.isCompacted && parted.isCompacted)
        #expect(parted.bytes == single.bytes)
        #expect(parted.tape == single.tape)
        Self.expectSameReads(kept, parted, valuesAtLeast: 800)
    }

    /// Every value of `compact` has the offset, string and number text it has in `kept`.
    static func expectSameReads(_ kept: JSONDocument, _ compact: JSONDocument, valuesAtLeast count: Int) {
        var all: [(JSONNode, JSONNode)] = []
        JSONCompactionTests.pairs(kept.root, compact.root, into: &all)
        #expect(all.count >= count)
        #expect(all.map(\.0.byteOffset) == all.map(\.1.byteOffset))
        #expect(all.map { $0.0.string } == all.map { $0.1.string })
        #expect(all.map { $0.0.numberText } == all.map { $0.1.numberText })
    }

    /// Minified: values with no byte between them to spare, where the compact copy, written over its input, is
    /// only a byte or two behind what it reads (and a word written at once could reach bytes still to be read).
    @Test(arguments: [1, 2, 3, 8])
    func aMinifiedInputCompactedInPlaceReadsTheSame(workers: Int) throws {
        let values = (0..<500).map { i -> String in
            switch i % 4 {
            case 0: return "\"" + String(repeating: Character(UnicodeScalar(97 + i % 26)!), count: i % 23) + "\""
            case 1: return "\(i)"
            case 2: return "{\"k\(i % 7)\":\"\(String(repeating: "z", count: i % 17))\",\"n\":[\(i),-\(i).5]}"
            default: return "\"e\\u00e9\\n\(i)\""
            }
        }
        let text = "[" + values.joined(separator: ",") + "]"
        var compaction = JSONCompaction.always
        compaction.cutInterval = 7
        let compact = try JSONDocument.parse(text, compaction: compaction, workers: workers)
        let kept = try JSONDocument.parse(text, compaction: .never)
        #expect(compact.isCompacted)
        Self.expectSameReads(kept, compact, valuesAtLeast: 1_000)
    }

    @Test func aPartStartingAfterAWideGapKeepsItsGrowth() throws {
        // Every value 260 bytes after the one before: each part's first entry grows by 255 or more.
        let text = "[" + (0..<60).map { String(repeating: " ", count: 260) + "\"v\($0)\"" }.joined(separator: ",") + "]"
        var one = JSONCompaction.always
        one.cutInterval = 5
        let single = try JSONDocument.parse(text, compaction: one)
        let parted = try JSONDocument.parse(text, compaction: one, workers: 4)
        let kept = try JSONDocument.parse(text, compaction: .never)
        #expect(parted.inputPositions!.wideIndexes.count > 50)
        #expect(parted.bytes == single.bytes && parted.tape == single.tape)
        #expect(parted.root.elements.map(\.byteOffset) == kept.root.elements.map(\.byteOffset))
    }

    @Test func theParserNotesCutsOnlyWhereItRecordsLines() throws {
        let text = Self.document()
        let cut = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.parse($0, limits: JSONLimits(), recordingLines: true, cutInterval: 7) }
        let uncut = try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.parse($0, limits: JSONLimits(), recordingLines: false, cutInterval: 7) }
        #expect(cut.cuts.count > 100)
        #expect(uncut.cuts.isEmpty)
        // Each cut is a string's entry, with the compact bytes before it counted as the copy counts them.
        for k in stride(from: 0, to: cut.cuts.count, by: 2) {
            #expect(Tape.tag(cut.tape[cut.cuts[k]]) == Tape.tagString)
        }
        let counts = stride(from: 1, to: cut.cuts.count, by: 2).map { cut.cuts[$0] }
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 })
    }
}
