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
