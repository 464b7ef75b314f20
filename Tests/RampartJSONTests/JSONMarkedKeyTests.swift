import RampartJSON
import Testing

/// Objects parsed with a marked key answer "certainly lacks it" from the tape, conservatively for escaped keys.
@Suite struct JSONMarkedKeyTests {
    static let sig = JSONMarkedKey("sig")

    @Test func anObjectWithoutTheKeyCertainlyLacksItAndOneWithItDoesNot() throws {
        let document = try JSONDocument.parse(#"{"a": {"sig": 1}, "b": {"si": 1, "sigs": 2, "gis": 3}, "c": [{"x": {"sig": 0}}], "d": {}}"#,
                                              marking: Self.sig)
        let root = document.root
        #expect(root.certainlyLacks(Self.sig))
        #expect(!root["a"]!.certainlyLacks(Self.sig))
        #expect(root["b"]!.certainlyLacks(Self.sig))
        #expect(root["c"]![0]!.certainlyLacks(Self.sig))
        #expect(!root["c"]![0]!["x"]!.certainlyLacks(Self.sig))
        #expect(root["d"]!.certainlyLacks(Self.sig))
    }

    @Test func aKeyWrittenWithEscapesThatMayDecodeToTheMarkedKeyIsNotRuledOut() throws {
        let document = try JSONDocument.parse(#"{"a": {"s\u0069g": 1}, "b": {"\tabcdefghijklmnopqrstu": 1}, "c": {"x\ny": 2}}"#, marking: Self.sig)
        let root = document.root
        #expect(!root["a"]!.certainlyLacks(Self.sig))
        #expect(root["a"]!["sig"] != nil)
        // Too long to be `sig` once decoded (an escape stands for at least one byte in at most six): ruled out.
        #expect(root["b"]!.certainlyLacks(Self.sig))
        // May be `sig` by its length, so not ruled out, and the lookup settles it.
        #expect(!root["c"]!.certainlyLacks(Self.sig))
        #expect(root["c"]!["sig"] == nil)
    }

    @Test func nothingIsRuledOutWithoutTheMarkOrForAnotherKeyOrAnotherKind() throws {
        let unmarked = try JSONDocument.parse(#"{"a": 1}"#)
        #expect(!unmarked.root.certainlyLacks(Self.sig))
        let marked = try JSONDocument.parse(#"{"a": 1, "l": [1]}"#, marking: Self.sig)
        #expect(!marked.root.certainlyLacks(JSONMarkedKey("other")))
        #expect(!marked.root["a"]!.certainlyLacks(Self.sig))
        #expect(!marked.root["l"]!.certainlyLacks(Self.sig))
        // A second handle on the document keeps the marks.
        #expect(marked.sharingStorage().root.certainlyLacks(Self.sig))
        // An empty key cannot be marked, so nothing is ruled out.
        let empty = JSONMarkedKey("")
        #expect(!(try JSONDocument.parse("{}", marking: empty)).root.certainlyLacks(empty))
        // Only the key object the document was parsed with is answered from the marks, not one spelled the same.
        #expect(!marked.root.certainlyLacks(JSONMarkedKey("sig")))
    }

    @Test func aDocumentMayHaveObjectsHoldingTheKeyUnlessItsParseMarkedNone() throws {
        #expect(!(try JSONDocument.parse(#"{"a": {"si": 1}, "b": [{"gis": 2}], "k": "sig"}"#, marking: Self.sig)).mayHaveObjects(holding: Self.sig))
        #expect(try JSONDocument.parse(#"{"a": [{"b": {"sig": 1}}]}"#, marking: Self.sig).mayHaveObjects(holding: Self.sig))
        #expect(try JSONDocument.parse(#"{"a": {"s\u0069g": 1}}"#, marking: Self.sig).mayHaveObjects(holding: Self.sig))
        // Without the marks (another key, an unmarked parse) nothing is ruled out.
        #expect(try JSONDocument.parse(#"{"a": 1}"#).mayHaveObjects(holding: Self.sig))
        #expect(try JSONDocument.parse(#"{"a": 1}"#, marking: Self.sig).mayHaveObjects(holding: JSONMarkedKey("sig")))
    }

    @Test func objectsHoldingTheKeyAreFoundFromTheMarksLikeByComparingEveryKey() throws {
        let json = #"""
        {"a": {"sig": 1, "x": [ {"sig": "two", "sig": "dup"}, [[{"y": {"sig": null}}]] ]},
         "b": [1, "sig", {"notsig": {"sig": true}}],
         "s\u0069g": {"k": "sig", "x\ny": 1}, "c": {}, "d": []}
        """#
        let marked = try JSONDocument.parse(json, marking: Self.sig)
        let unmarked = try JSONDocument.parse(json)
        let fromMarks = marked.objects(holding: Self.sig).map(\.byteOffset)
        #expect(fromMarks.count == 5)
        #expect(fromMarks == unmarked.objects(havingKey: "sig").map(\.byteOffset))
        #expect(fromMarks == unmarked.objects(holding: Self.sig).map(\.byteOffset))
        #expect(marked.objects(holding: JSONMarkedKey("missing")).isEmpty)
    }

    @Test func aKeyThatCannotBeMarkedRulesNothingOutAndLeavesEveryPathToTheCaller() throws {
        // Empty, or longer than 1,024 bytes: the parser marks nothing, so the document does not keep the key.
        for key in [JSONMarkedKey(""), JSONMarkedKey(String(repeating: "k", count: 1_025))] {
            let document = try JSONDocument.parse(#"{"a": {"b": 1}}"#, marking: key)
            #expect(!document.root.certainlyLacks(key))
            #expect(!document.root["a"]!.certainlyLacks(key))
            #expect(!document.sharingStorage().root.certainlyLacks(key))
            #expect(document.mayHaveObjects(holding: key))
            var path = "a.b"
            let walked = path.withUTF8 { document.root.members(along: $0, separator: UInt8(ascii: "."), through: key) }
            #expect(walked?.followed == 0)
            #expect(walked?.node.byteOffset == document.root.byteOffset)
        }
    }

    /// `members(along:separator:through:)` on a path's UTF-8 bytes.
    static func walk(_ node: JSONNode, _ path: String) -> (offset: Int, followed: Int)? {
        var path = path
        return path.withUTF8 { bytes in
            node.members(along: bytes, separator: UInt8(ascii: "."), through: Self.sig).map { ($0.node.byteOffset, $0.followed) }
        }
    }

    @Test func aPathIsFollowedThroughObjectsThatLackTheKeyAndStopsAtAnythingElse() throws {
        let json = #"{"a": {"b": {"c": 7}, "l": [{"x": 1}], "s": "text", "m": {"sig": 1, "x": 2}}, "d": 1, "d": {"e": 3}}"#
        for document in [try JSONDocument.parse(json, marking: Self.sig), try JSONDocument.parse(json)] {
            let root = document.root
            func offset(_ node: JSONNode?) throws -> Int { try #require(node).byteOffset }
            // All the way, empty segments skipped; the last of duplicate keys wins, as a lookup reads.
            #expect(try Self.walk(root, "a.b.c")! == (offset(root["a"]?["b"]?["c"]), 5))
            #expect(try Self.walk(root, ".a..b.")! == (offset(root["a"]?["b"]), 6))
            #expect(try Self.walk(root, "d.e")! == (offset(root["d"]?["e"]), 3))
            #expect(Self.walk(root, "")! == (root.byteOffset, 0))
            #expect(Self.walk(root, "..")! == (root.byteOffset, 0))
            #expect(Self.walk(root["d"]!, ".e")! == (try offset(root["d"]?["e"]), 2))
            // A member missing from an object that lacks the key: nothing there.
            #expect(Self.walk(root, "a.nope.c") == nil)
            #expect(Self.walk(root, "a.b.c2") == nil)
            // Stops before the segment it leaves to the caller: an array, a string, a number; having followed no
            // member, it has followed nothing (leading empty segments included).
            #expect(Self.walk(root["a"]!["l"]!, ".0")! == (try offset(root["a"]?["l"]), 0))
            #expect(try Self.walk(root, "a.l.0.x")! == (offset(root["a"]?["l"]), 4))
            #expect(try Self.walk(root, "a.s.x")! == (offset(root["a"]?["s"]), 4))
            #expect(try Self.walk(root, "a.b.c.d")! == (offset(root["a"]?["b"]?["c"]), 6))
            // And at an object that has the key, marked or found by the lookup, even to look up the key itself.
            #expect(try Self.walk(root, "a.m.x")! == (offset(root["a"]?["m"]), 4))
            #expect(try Self.walk(root, "a.m.sig")! == (offset(root["a"]?["m"]), 4))
            #expect(try Self.walk(root, "a.m")! == (offset(root["a"]?["m"]), 3))
        }
    }
}
