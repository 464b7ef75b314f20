import Testing
@testable import RampartJSON

/// Structural equality of two parsed values (object members compared in order).
func structurallyEqual(_ a: JSONNode, _ b: JSONNode, signOfZero: Bool = true) -> Bool {
    guard a.kind == b.kind else { return false }
    switch a.kind {
    case .null: return true
    case .bool: return a.bool == b.bool
    case .number: return a.number == b.number && (!signOfZero || a.number?.sign == b.number?.sign)
    case .string: return a.string == b.string
    case .array:
        guard a.count == b.count else { return false }
        return zip(a.elements, b.elements).allSatisfy { structurallyEqual($0, $1, signOfZero: signOfZero) }
    case .object:
        guard a.count == b.count else { return false }
        return zip(a.members, b.members).allSatisfy { $0.key.string == $1.key.string && structurallyEqual($0.value, $1.value, signOfZero: signOfZero) }
    }
}

@Suite struct JSONWriterTests {
    static let sample = #"""
    {"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", "custom": true,
    "inputs": {"tags": {"Name": "caf\u00e9 \"quoted\"\n", "emoji": "\ud83d\ude00"}, "size": 1.5e3, "n": null, "list": [[], {}, [1, -2, 0.25]]},
    "id": "b-1\/2"}], "empty": {}}, "big": 123456789012345678901234567890, "neg": -0}
    """#

    @Test func roundTripsThroughCompactOutput() throws {
        let doc = try JSONDocument.parse(Self.sample)
        var writer = JSONWriter()
        writer.node(doc.root)
        let again = try JSONDocument.parse(writer.bytes)
        #expect(structurallyEqual(doc.root, again.root))
        #expect(!writer.bytes.contains(0x0A))
        #expect(again.root["big"]?.numberText == "123456789012345678901234567890")
    }

    @Test func roundTripsThroughPrettyOutput() throws {
        let doc = try JSONDocument.parse(Self.sample)
        var writer = JSONWriter(style: .pretty(indent: 4))
        writer.node(doc.root)
        let again = try JSONDocument.parse(writer.bytes)
        #expect(structurallyEqual(doc.root, again.root))
        // Re-emitting the pretty output reproduces it byte for byte.
        var second = JSONWriter(style: .pretty(indent: 4))
        second.node(again.root)
        #expect(second.bytes == writer.bytes)
    }

    @Test func roundTripsDecodedValuesThroughBuilderAPI() throws {
        let doc = try JSONDocument.parse(Self.sample)
        var writer = JSONWriter()
        rebuild(doc.root, into: &writer)
        // number(Double) writes -0.0 as 0 (like JavaScript), so the sign of zero is not compared here.
        #expect(structurallyEqual(doc.root, try JSONDocument.parse(writer.bytes).root, signOfZero: false))
    }

    private func rebuild(_ node: JSONNode, into writer: inout JSONWriter) {
        switch node.kind {
        case .null: writer.null()
        case .bool: writer.bool(node.bool!)
        case .number: writer.number(node.number!)
        case .string: writer.string(node.string!)
        case .array:
            writer.beginArray()
            for element in node.elements { rebuild(element, into: &writer) }
            writer.endArray()
        case .object:
            writer.beginObject()
            for (key, value) in node.members {
                writer.key(key.string!)
                rebuild(value, into: &writer)
            }
            writer.endObject()
        }
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        var writer = JSONWriter()
        writer.beginArray()
        writer.string("a\"b\\c/d\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀")
        writer.endArray()
        #expect(writer.string == #"["a\"b\\c/d\n\r\t\b\f\u0000\u001f"# + "\u{7F}é😀\"]")
        #expect(try JSONDocument.parse(writer.bytes).root[0]?.string == "a\"b\\c/d\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀")
    }

    @Test func escapesKeys() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("we\"ird\u{1}")
        writer.number(1)
        writer.endObject()
        #expect(writer.string == #"{"we\"ird\u0001":1}"#)
    }

    @Test func preEscapedKeysKeysFromBytesAndByteStringsWriteWhatStringsWrite() {
        for style in [JSONWriter.Style.compact, .pretty(indent: 2)] {
            let names = ["plain", "with \"quote\" and \\", "line\nbreak \u{1}", "caf\u{E9}", ""]
            var viaStrings = JSONWriter(style: style), viaKeys = JSONWriter(style: style), viaBytes = JSONWriter(style: style)
            viaStrings.beginObject(); viaKeys.beginObject(); viaBytes.beginObject()
            for name in names {
                viaStrings.key(name); viaStrings.string(name)
                viaKeys.key(JSONWriter.Key(name))
                var text = name
                text.withUTF8 { viaKeys.string(utf8: $0) }
                text.withUTF8 { viaBytes.key(utf8: $0) }
                viaBytes.string(name)
            }
            viaStrings.endObject(); viaKeys.endObject(); viaBytes.endObject()
            #expect(viaKeys.bytes == viaStrings.bytes)
            #expect(viaBytes.bytes == viaStrings.bytes)
        }
    }

    /// `member` writes a member in one go when its value needs no escape and falls back otherwise: the same bytes
    /// either way, first member or not, nested, in both styles and both escapings.
    @Test func membersWriteWhatAKeyAndAStringWrite() {
        let values = ["plain", "", "a value longer than sixteen bytes, with no escape", "with \"quote\"", "tab\there",
                      "<script>", "caf\u{E9} \u{2028}", String(repeating: "x", count: 5000)]
        for style in [JSONWriter.Style.compact, .pretty(indent: 2)] {
            for escaping in [JSONWriter.Escaping.standard, .htmlScript] {
                var separate = JSONWriter(style: style, escaping: escaping), joined = JSONWriter(style: style, escaping: escaping)
                for w in [0, 1] {
                    var writer = w == 0 ? separate : joined
                    writer.beginArray(); writer.beginObject()
                    for (i, value) in values.enumerated() {
                        let key = JSONWriter.Key("k\(i)")
                        if w == 0 { writer.key(key); writer.string(value) } else if i % 2 == 0 { writer.member(key, value) } else {
                            var text = value
                            text.withUTF8 { writer.member(key, utf8: $0) }
                        }
                    }
                    writer.endObject(); writer.endArray()
                    if w == 0 { separate = writer } else { joined = writer }
                }
                #expect(joined.string == separate.string, "\(style) \(escaping)")
            }
        }
    }

    @Test func writesCompactWithCommas() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("a"); writer.number(1)
        writer.key("b"); writer.beginArray(); writer.bool(true); writer.null(); writer.string("x"); writer.endArray()
        writer.key("c"); writer.beginObject(); writer.endObject()
        writer.key("d"); writer.beginArray(); writer.endArray()
        writer.endObject()
        #expect(writer.string == #"{"a":1,"b":[true,null,"x"],"c":{},"d":[]}"#)
    }

    @Test func writesPrettySnapshot() {
        var writer = JSONWriter(style: .pretty(indent: 4))
        writer.beginObject()
        writer.key("name"); writer.string("bucket")
        writer.key("tags"); writer.beginObject(); writer.key("env"); writer.string("prod"); writer.endObject()
        writer.key("ports"); writer.beginArray(); writer.number(80); writer.number(443); writer.endArray()
        writer.key("empty"); writer.beginObject(); writer.endObject()
        writer.key("none"); writer.beginArray(); writer.endArray()
        writer.key("nested"); writer.beginArray(); writer.beginObject(); writer.key("x"); writer.null(); writer.endObject(); writer.endArray()
        writer.endObject()
        let expected = """
            {
                "name": "bucket",
                "tags": {
                    "env": "prod"
                },
                "ports": [
                    80,
                    443
                ],
                "empty": {},
                "none": [],
                "nested": [
                    {
                        "x": null
                    }
                ]
            }
            """
        #expect(writer.string == expected)
    }

    @Test func writesPrettyWithTwoSpaceIndentFromNode() throws {
        let doc = try JSONDocument.parse(#"{"a":[1,{"b":"c"}],"d":{}}"#)
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.node(doc.root)
        #expect(writer.string == "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ],\n  \"d\": {}\n}")
    }

    @Test func embedsNodesInsideWriterOutput() throws {
        let doc = try JSONDocument.parse(#"{"tags": {"env": "prod"}, "ids": [1, 2]}"#)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("copy"); writer.node(try #require(doc.root["tags"]))
        writer.key("n"); writer.node(try #require(doc.root["ids"]?[1]))
        writer.key("k"); writer.node(try #require(doc.root["tags"]?["env"]))
        writer.endObject()
        #expect(writer.string == #"{"copy":{"env":"prod"},"n":2,"k":"prod"}"#)
    }

    @Test(arguments: [
        (1.0, "1"), (1.5, "1.5"), (-0.0, "0"), (0.0, "0"), (-3.0, "-3"), (1e300, "1e+300"), (1e-7, "1e-07"), (0.1, "0.1"),
        (9_007_199_254_740_992.0, "9007199254740992"), (9_007_199_254_740_994.0, "9.007199254740994e+15"),
        (-9_007_199_254_740_992.0, "-9007199254740992"), (Double.infinity, "null"), (-Double.infinity, "null"), (Double.nan, "null"),
    ])
    func formatsDoubles(_ value: Double, _ expected: String) throws {
        var writer = JSONWriter()
        writer.number(value)
        #expect(writer.string == expected)
        if value.isFinite {
            #expect(try JSONDocument.parse(writer.bytes).root.number == value)
        }
    }

    @Test func formatsIntegers() {
        var writer = JSONWriter()
        writer.beginArray()
        for value in [0, 7, -42, Int.max, Int.min] { writer.number(value) }
        writer.endArray()
        #expect(writer.string == "[0,7,-42,9223372036854775807,-9223372036854775808]")
        // Pretty, as members and nested elements, written with their separators in one go.
        var pretty = JSONWriter(style: .pretty(indent: 2))
        pretty.beginObject()
        pretty.key("n"); pretty.number(9)
        pretty.key("list"); pretty.beginArray()
        for value in [10, -1, 0, Int.min] { pretty.number(value) }
        pretty.endArray()
        pretty.endObject()
        #expect(pretty.string == "{\n  \"n\": 9,\n  \"list\": [\n    10,\n    -1,\n    0,\n    -9223372036854775808\n  ]\n}")
    }

    @Test func writesNumberNodesVerbatim() throws {
        let doc = try JSONDocument.parse("[1E3, -0.50, 12345678901234567890123]")
        var writer = JSONWriter()
        writer.node(doc.root)
        #expect(writer.string == "[1E3,-0.50,12345678901234567890123]")
    }

    @Test func htmlScriptEscapingLeavesNothingThatCanCloseAScriptElement() throws {
        let text = "</script><!-- a & b > c \u{2028}\u{2029} \u{E2}\u{80} é ✓"
        var writer = JSONWriter(escaping: .htmlScript)
        writer.beginObject()
        writer.key("<k>"); writer.string(text)
        writer.endObject()
        let out = writer.string
        #expect(!out.contains("<") && !out.contains(">") && !out.contains("&"))
        #expect(!out.contains("\u{2028}") && !out.contains("\u{2029}"))
        #expect(out.contains(#"\u003c/script\u003e"#) && out.contains(#"\u2028\u2029"#) && out.contains("é ✓"))
        let parsed = try JSONDocument.parse(writer.bytes)
        #expect(parsed.root["<k>"]?.string == text)
    }

    @Test func standardEscapingKeepsMarkupCharacters() {
        var writer = JSONWriter()
        writer.string("<a & b>\u{2028}")
        #expect(writer.string == "\"<a & b>\u{2028}\"")
    }

    /// What RFC 8259 (and `.htmlScript`) escaping gives, one character at a time.
    static func escapedByHand(_ text: String, script: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "<" where script, ">" where script, "&" where script, "\u{2028}" where script, "\u{2029}" where script:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test func longStringsEscapeAlikeWhereverTheEscapesFall() {
        // Escapes and multi-byte characters around every boundary the writer cuts long strings at.
        let pieces = ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "\u{2028}", "<", "&", "✓", "\u{1F600}"]
        for script in [false, true] {
            for offset in [4086, 4090, 4093, 4094, 4095, 4096, 4097, 8189, 8190, 8191, 8192] {
                for piece in pieces {
                    let text = String(repeating: "a", count: offset) + piece + String(repeating: "b", count: 5000) + piece
                    var writer = JSONWriter(escaping: script ? .htmlScript : .standard)
                    writer.string(text)
                    #expect(writer.string == Self.escapedByHand(text, script: script), "offset \(offset), \(piece.debugDescription)")
                }
            }
        }
        // Short strings, checked whole sixteen bytes then a word at a time (the last word overlapping): an escape,
        // or a byte next to one in value, at every place.
        let neighbours = [" ", "!", "#", "[", "]", "\u{7F}", "=", ";", "\u{E1}"]
        for script in [false, true] {
            for length in 0..<48 {
                for place in 0...length {
                    for piece in pieces + neighbours {
                        let text = String(repeating: "a", count: place) + piece + String(repeating: "b", count: length - place)
                        var writer = JSONWriter(escaping: script ? .htmlScript : .standard)
                        writer.string(text)
                        #expect(writer.string == Self.escapedByHand(text, script: script), "\(text.debugDescription)")
                    }
                }
                let plain = String(repeating: "c", count: length)
                var writer = JSONWriter(escaping: script ? .htmlScript : .standard)
                writer.string(plain)
                #expect(writer.string == "\"" + plain + "\"")
            }
        }
        let mixed = (0..<3000).map { ["x", "\"", "\n", "é", "\u{2028}", "\u{7}", "yz"][$0 % 7] }.joined()
        for script in [false, true] {
            var writer = JSONWriter(escaping: script ? .htmlScript : .standard)
            writer.string(mixed)
            #expect(writer.string == Self.escapedByHand(mixed, script: script))
        }
    }

    @Test func takingBytesInChunksGivesTheWholeDocument() throws {
        func write(_ writer: inout JSONWriter, take: (inout JSONWriter) -> Void) {
            writer.beginObject()
            for i in 0..<2000 {
                writer.key("member-\(i)"); writer.beginArray()
                writer.number(i); writer.string(String(repeating: "v\"", count: i % 50)); writer.bool(i % 2 == 0)
                writer.beginObject(); writer.endObject()
                writer.endArray()
                take(&writer)
            }
            writer.endObject()
        }
        var whole = JSONWriter(style: .pretty(indent: 2))
        write(&whole) { _ in }
        var chunked = JSONWriter(style: .pretty(indent: 2))
        var taken: [UInt8] = []
        write(&chunked) { writer in if writer.byteCount >= 3000 { taken += writer.takeBytes() } }
        taken += chunked.takeBytes()
        #expect(taken == whole.bytes)
        #expect(chunked.byteCount == 0 && chunked.bytes.isEmpty)
        #expect(try JSONDocument.parse(taken).root["member-1999"]?.count == 4)
    }
}

/// Elements written by continuations of a writer and joined in order read as the writer's own.
@Suite struct JSONWriterContinuationTests {
    static func element(_ i: Int, _ w: inout JSONWriter) {
        w.beginObject()
        w.key("n"); w.number(i)
        w.key("tags"); w.beginArray(); if i % 2 == 0 { w.string("even") }; w.endArray()
        w.endObject()
    }

    @Test(arguments: [JSONWriter.Style.compact, .pretty(indent: 2)])
    func continuationsJoinedInOrderEqualOneWriter(_ style: JSONWriter.Style) {
        var one = JSONWriter(style: style)
        one.beginObject(); one.key("items"); one.beginArray()
        for i in 0..<10 { Self.element(i, &one) }
        one.endArray(); one.key("after"); one.bool(true); one.endObject()

        var main = JSONWriter(style: style)
        main.beginObject(); main.key("items"); main.beginArray()
        var bytes = main.takeBytes()
        // Three parts of 4, 4 and 2 elements, each started as if the parts before it were written.
        var parts: [JSONWriter] = []
        for (start, end) in [(0, 4), (4, 8), (8, 10)] {
            var part = main.continuation(after: start)
            for i in start..<end { Self.element(i, &part) }
            parts.append(part)
        }
        main.resume(after: parts[2])
        for part in parts { bytes += part.finalBytes() }
        main.endArray(); main.key("after"); main.bool(true); main.endObject()
        bytes += main.takeBytes()
        #expect(String(decoding: bytes, as: UTF8.self) == one.string)
    }

    @Test func aContinuationStartsEmptyAndLeavesTheWriterItCameFromAlone() {
        var writer = JSONWriter()
        writer.beginArray(); writer.number(1)
        var part = writer.continuation(after: 0)
        #expect(part.byteCount == 0)
        part.number(2)
        #expect(String(decoding: part.finalBytes(), as: UTF8.self) == ",2")
        #expect(writer.string == "[1")
    }

    @Test func aContinuationWithRoomAheadWritesTheSameBytesAndItsFinalBytesLeaveCopiesAlone() {
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.beginArray(); writer.string("first")
        // Room for less than, about and more than the part writes: the bytes do not depend on it.
        for capacity in [0, 1, 40, 4_096] {
            var part = writer.continuation(after: 1, capacity: capacity)
            #expect(part.byteCount == 0)
            for i in 0..<3 { part.beginObject(); part.key("n"); part.number(Double(i)); part.endObject() }
            let copy = part
            let bytes = part.finalBytes()
            #expect(String(decoding: bytes, as: UTF8.self) == ",\n  {\n    \"n\": 0\n  },\n  {\n    \"n\": 1\n  },\n  {\n    \"n\": 2\n  }")
            // A copy of the writer made before still holds every byte.
            #expect(copy.byteCount == bytes.count)
            #expect(copy.finalBytes() == bytes)
        }
    }
}


/// Members recorded once and replayed (`JSONWriter.recording(_:)`, `replay(_:)`, `replay(_:orRecord:)`): the same
/// bytes as writing them where they are replayed, in either style, as an object's first members or after others.
@Suite struct JSONWriterRecordedMembersTests {
    static func writeShared(_ w: inout JSONWriter) {
        w.key("pack"); w.string("aws")
        w.key("rule"); w.beginObject(); w.key("level"); w.string("mandatory"); w.endObject()
        w.key("note"); w.string("needs \"quotes\"\n and </script>")
    }

    @Test(arguments: [JSONWriter.Style.compact, .pretty(indent: 2), .pretty(indent: 4)])
    func replayedMembersEqualMembersWrittenInPlace(_ style: JSONWriter.Style) {
        for escaping in [JSONWriter.Escaping.standard, .htmlScript] {
            var direct = JSONWriter(style: style, escaping: escaping), replayed = JSONWriter(style: style, escaping: escaping)
            direct.beginArray(); replayed.beginArray()
            var first = JSONWriter.RecordedMembers(), later = JSONWriter.RecordedMembers()
            for i in 0..<4 {
                direct.beginObject(); replayed.beginObject()
                // As the object's first members, then after one.
                Self.writeShared(&direct)
                if i == 0 { first = replayed.recording { Self.writeShared(&$0) } }
                #expect(replayed.canReplay(first))
                replayed.replay(first)
                direct.key("n"); direct.number(i); replayed.key("n"); replayed.number(i)
                Self.writeShared(&direct)
                if i == 0 { later = replayed.recording { Self.writeShared(&$0) } }
                #expect(replayed.canReplay(later))
                replayed.replay(later)
                direct.key("last"); direct.bool(true); replayed.key("last"); replayed.bool(true)
                direct.endObject(); replayed.endObject()
            }
            direct.endArray(); replayed.endArray()
            #expect(replayed.string == direct.string)
        }
    }

    @Test func recordingLeavesTheWriterAsItWas() {
        var writer = JSONWriter()
        writer.beginObject(); writer.key("a"); writer.number(1)
        let members = writer.recording { $0.key("b"); $0.number(2) }
        #expect(writer.string == "{\"a\":1")
        writer.replay(members)
        writer.endObject()
        #expect(writer.string == "{\"a\":1,\"b\":2}")
    }

    @Test func membersCannotBeReplayedWhereTheirSeparatorsOrDepthWouldDiffer() {
        var writer = JSONWriter(style: .pretty(indent: 2))
        writer.beginObject()
        let asFirst = writer.recording { $0.key("x"); $0.null() }
        writer.key("a"); writer.number(1)
        let afterOne = writer.recording { $0.key("x"); $0.null() }
        #expect(!writer.canReplay(asFirst))
        #expect(writer.canReplay(afterOne))
        writer.key("inner"); writer.beginObject()
        #expect(!writer.canReplay(asFirst) && !writer.canReplay(afterOne))
        writer.key("pending")
        #expect(!writer.canReplay(afterOne))
        writer.number(0)
        writer.endObject()
        #expect(writer.canReplay(afterOne))
        writer.key("array"); writer.beginArray()
        #expect(!writer.canReplay(asFirst) && !writer.canReplay(afterOne))
        // No members can be replayed anywhere, and write nothing.
        #expect(writer.canReplay(JSONWriter.RecordedMembers()))
        let before = writer.string
        writer.replay(JSONWriter.RecordedMembers())
        #expect(writer.string == before)
    }

    @Test func aMemoIsRecordedOnceAndRecordedAgainOnlyWhereItCannotBeReplayed() {
        var direct = JSONWriter(style: .pretty(indent: 2)), memoized = JSONWriter(style: .pretty(indent: 2))
        var memo: JSONWriter.RecordedMembers?, recordings = 0
        direct.beginArray(); memoized.beginArray()
        // Twice after a member, then as a first member (other separators), then after one again.
        for asFirst in [false, false, true, false] {
            direct.beginObject(); memoized.beginObject()
            if !asFirst { direct.key("n"); direct.number(1); memoized.key("n"); memoized.number(1) }
            Self.writeShared(&direct)
            memoized.replay(&memo) { w in
                recordings += 1
                Self.writeShared(&w)
            }
            direct.endObject(); memoized.endObject()
        }
        direct.endArray(); memoized.endArray()
        #expect(memoized.string == direct.string)
        #expect(recordings == 3, "recorded first, again as a first member, and again after a member")
        #expect(memo != nil)
    }
}
