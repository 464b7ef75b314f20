import RampartJSON
import Testing

/// `objects(havingKey:)` finds marker objects at any depth in one pass over the tape.
@Suite struct JSONKeySearchTests {
    @Test func findsEveryObjectWithTheKeyAtAnyDepthInDocumentOrder() throws {
        let json = #"""
        {"a": {"sig": 1, "x": [ {"sig": "two", "sig": "dup"}, [[{"y": {"sig": null}}]] ]},
         "b": [1, "sig", {"notsig": {"sig": true}}],
         "s\u0069g": {"k": "sig"}, "c": {}, "d": []}
        """#
        let document = try JSONDocument.parse(json)
        let found = document.objects(havingKey: "sig")
        // The root itself has the key "sig" written with an escape; objects with duplicate keys count once.
        #expect(found.count == 5)
        #expect(found.map { $0.members.map(\.key.string) }.map { $0.map { $0 ?? "" } } == [
            ["a", "b", "sig", "c", "d"],
            ["sig", "x"],
            ["sig", "sig"],
            ["sig"],
            ["sig"],
        ])
        #expect(document.objects(havingKey: "missing").isEmpty)
        #expect(try JSONDocument.parse("[1, 2, \"sig\"]").objects(havingKey: "sig").isEmpty)
        #expect(try JSONDocument.parse("42").objects(havingKey: "sig").isEmpty)
        #expect(try JSONDocument.parse(#"{"":1}"#).objects(havingKey: "").count == 1)
    }
}

/// The per-node tape searches readers use instead of a node handle per member or element.
@Suite struct JSONNodeSearchTests {
    @Test func membersWhoseObjectHasTheKeyAreFoundInOrder() throws {
        let document = try JSONDocument.parse(#"""
        {"a": {"sig": 1}, "b": "sig", "c": {"x": {"sig": 2}}, "d": [{"sig": 3}], "e": {"y": 1, "s\u0069g": 4}, "f": {}}
        """#)
        let found = document.root.members(whoseObjectHasKey: "sig")
        #expect(found.map(\.key.string) == ["a", "e"])
        #expect(found.map { $0.value["sig"]?.int } == [1, 4])
        #expect(document.root.members(whoseObjectHasKey: "none").isEmpty)
        #expect(try JSONDocument.parse("[{\"sig\": 1}]").root.members(whoseObjectHasKey: "sig").isEmpty)
    }

    @Test func indexedElementsGiveEveryElementThroughAnyHandle() throws {
        let document = try JSONDocument.parse(#"[1, {"a": [2, 3]}, "s", [], null]"#)
        let elements = document.root.indexedElements
        #expect(elements.count == 5)
        let handle = elements.newHandle()
        #expect(elements.element(0).int == 1)
        #expect(elements.element(1, through: handle)["a"]?.count == 2)
        #expect(elements.element(1, through: handle).document === handle)
        #expect(elements.element(2).string == "s")
        #expect(elements.element(3).kind == .array)
        #expect(elements.element(4).isNull)
        #expect(try JSONDocument.parse("{\"a\": 1}").root.indexedElements.count == 0)
        #expect(try JSONDocument.parse("[]").root.indexedElements.count == 0)
    }
}
