import RampartJSON
import Testing

/// A second handle on a parsed document reads the same values; a node of another document is left alone.
@Suite struct JSONDocumentHandleTests {
    @Test func nodesReadThroughASecondHandleGiveTheSameValues() throws {
        let document = try JSONDocument.parse(#"{"a": {"b": [1, "two", {"c": true}]}, "s": "x\u0041"}"#)
        let handle = document.sharingStorage()
        #expect(handle !== document)
        #expect(handle.storageIdentity == document.storageIdentity)
        #expect(handle.sharingStorage().storageIdentity == document.storageIdentity)
        let node = try #require(document.root["a"]?["b"])
        let moved = node.reading(through: handle)
        #expect(moved.document === handle)
        #expect(moved[1]?.string == "two")
        #expect(moved[2]?["c"]?.bool == true)
        #expect(document.root["s"]?.reading(through: handle).string == "xA")

        let other = try JSONDocument.parse(#"{"a": 1}"#)
        let untouched = node.reading(through: other)
        #expect(untouched.document === document)
    }
}
