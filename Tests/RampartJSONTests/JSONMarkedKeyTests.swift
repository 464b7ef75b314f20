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
}
