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

    @Test func membersWhoseObjectHoldsAMarkedKeyAreTheSameFoundFromTheMarks() throws {
        let sig = JSONMarkedKey("sig")
        let json = #"""
        {"a": {"sig": 1}, "b": "sig", "c": {"x": {"sig": 2}}, "d": [{"sig": 3}], "e": {"y": 1, "s\u0069g": 4}, "f": {},
         "g": {"sigs": 5, "x\ny": 6}, "h": {"k": "sig"}}
        """#
        let marked = try JSONDocument.parse(json, marking: sig)
        let unmarked = try JSONDocument.parse(json)
        let expected = unmarked.root.members(whoseObjectHasKey: "sig").map { $0.key.string }
        #expect(expected == ["a", "e"])
        #expect(marked.root.members(whoseObjectHolds: sig).map { $0.key.string } == expected)
        #expect(unmarked.root.members(whoseObjectHolds: sig).map { $0.key.string } == expected)
        #expect(marked.root.members(whoseObjectHolds: JSONMarkedKey("y")).map { $0.key.string } == ["e"])
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

/// `JSONNode.descend(_:)` follows a compiled path of keys and indexes in one pass and says where it stopped.
/// `forEachStringElement` gives an array's strings in place, escapes decoded, and skips everything else.
@Suite struct JSONStringElementTests {
    static func strings(_ json: String, members: Bool = false) throws -> [String] {
        let document = try JSONDocument.parse(json)
        var out: [String] = []
        let collect = { (bytes: UnsafeBufferPointer<UInt8>) in out.append(String(decoding: bytes, as: UTF8.self)) }
        if members { document.root.forEachStringElementOfMembers(collect) } else { document.root.forEachStringElement(collect) }
        return out
    }

    @Test func anArraysStringsComeInOrderWithEscapesDecodedAndOtherElementsSkipped() throws {
        #expect(try Self.strings(#"["a", 1, "caf\u00e9", null, ["x"], {"y": "z"}, "", "\"q\""]"#) == ["a", "café", "", "\"q\""])
        #expect(try Self.strings(#"[]"#).isEmpty)
        #expect(try Self.strings(#"{"a": ["b"]}"#).isEmpty)
        #expect(try Self.strings(#""a""#).isEmpty)
    }

    @Test func anObjectsMemberArraysAreReadInTheOrderWritten() throws {
        #expect(try Self.strings(#"{"z": ["1", "2"], "a": "not a list", "m": [], "b": ["3", 4, "\u0035"]}"#, members: true)
                == ["1", "2", "3", "5"])
        #expect(try Self.strings(#"["a"]"#, members: true).isEmpty)
    }
}

@Suite struct JSONKeyPathDescentTests {
    let document = try! JSONDocument.parse(#"""
    {"a": {"b": [10, {"c": "deep"}, [true]], "d": null, "e": "text"},
     "dup": 1, "dup": {"x": 2},
     "we\u0069rd.key": {"y": 3},
     "sig": {"m": "marker", "inner": {"z": 4}},
     "plain": {"inner": {"z": 5}}}
    """#)

    @Test func followsKeysAndIndexesToTheSameValueAsStepByStepLookups() throws {
        let path = JSONKeyPath([.key("a"), .key("b"), .index(1), .key("c")])
        let descent = try #require(document.root.descend(path))
        #expect(descent.steps == 4)
        #expect(descent.node.string == "deep")
        #expect(descent.node.byteOffset == document.root["a"]?["b"]?[1]?["c"]?.byteOffset)
        #expect(document.root.descend(JSONKeyPath([.key("a"), .key("b"), .index(2), .index(0)]))?.node.bool == true)
        #expect(document.root.descend(JSONKeyPath([]))?.node.byteOffset == document.root.byteOffset)
    }

    @Test func theLastOfDuplicateKeysWinsAndEscapedKeysMatchTheirDecodedName() throws {
        #expect(document.root.descend(JSONKeyPath([.key("dup"), .key("x")]))?.node.int == 2)
        #expect(document.root.descend(JSONKeyPath([.key("weird.key"), .key("y")]))?.node.int == 3)
    }

    @Test func aMissingKeyOrAnIndexOutOfRangeGivesNil() {
        #expect(document.root.descend(JSONKeyPath([.key("a"), .key("missing")])) == nil)
        #expect(document.root.descend(JSONKeyPath([.key("a"), .key("b"), .index(3)])) == nil)
        #expect(document.root.descend(JSONKeyPath([.key("a"), .key("b"), .index(-1)])) == nil)
    }

    @Test func stopsAtAValueTheNextStepCannotBeTakenFrom() throws {
        // A key step on null, on a string and on an array; an index step on an object.
        for (steps, taken, kind) in [([JSONKeyPath.Step.key("a"), .key("d"), .key("q")], 2, JSONKind.null),
                                     ([.key("a"), .key("e"), .key("q")], 2, .string),
                                     ([.key("a"), .key("b"), .key("q")], 2, .array),
                                     ([.key("a"), .index(0)], 1, .object)] {
            let descent = try #require(document.root.descend(JSONKeyPath(steps)))
            #expect(descent.steps == taken)
            #expect(descent.node.kind == kind)
        }
    }

    @Test func stopsAtAnObjectWithTheMarkerKeyButNotAtOthers() throws {
        let marked = JSONKeyPath([.key("sig"), .key("inner"), .key("z")], stoppingAtObjectsWithKey: "m")
        let stopped = try #require(document.root.descend(marked))
        #expect(stopped.steps == 1)
        #expect(stopped.node.byteOffset == document.root["sig"]?.byteOffset)
        // Without the marker the same path goes through; an object without the marker key does not stop it.
        #expect(document.root.descend(JSONKeyPath([.key("sig"), .key("inner"), .key("z")]))?.node.int == 4)
        #expect(document.root.descend(JSONKeyPath([.key("plain"), .key("inner"), .key("z")], stoppingAtObjectsWithKey: "m"))?.node.int == 5)
        // Naming the marker itself stops there too: the object is not plain data.
        #expect(document.root.descend(JSONKeyPath([.key("sig"), .key("m")], stoppingAtObjectsWithKey: "m"))?.steps == 1)
    }

    @Test func keysOfEveryLengthAreToldApartByEachOfTheirBytes() throws {
        // Names of 0 to 19 bytes, each beside names of its length that differ in one byte (first, middle or last),
        // before and after it: the comparison reads words, half and quarter words and single bytes.
        var members: [String] = []
        for n in 0..<20 {
            let name = String(repeating: "k", count: n)
            var variants: [String] = []
            for position in Set([0, n / 2, n - 1]) where n > 0 {
                var bytes = Array(name.utf8)
                bytes[position] = UInt8(ascii: "x")
                variants.append(String(decoding: bytes, as: UTF8.self))
            }
            members += variants.map { "\"\($0)\": -1" } + ["\"\(name)\": \(n)"] + variants.map { "\"\($0)\": -2" }
        }
        let document = try JSONDocument.parse("{" + members.joined(separator: ", ") + "}")
        for n in 0..<20 {
            #expect(document.root.descend(JSONKeyPath([.key(String(repeating: "k", count: n))]))?.node.int == n, "\(n) bytes")
            #expect(document.root.descend(JSONKeyPath([.key(String(repeating: "k", count: n) + "z")])) == nil, "\(n + 1) bytes")
        }
    }

    @Test func aKeyAsLongAsTheMarkerIsToldFromIt() throws {
        let document = try JSONDocument.parse(#"{"o": {"ab": 1, "zz": 2}, "p": {"ab": 3, "mm": 0}, "q": {"mm": 0, "ab": 4}}"#)
        #expect(document.root.descend(JSONKeyPath([.key("o"), .key("ab")], stoppingAtObjectsWithKey: "mm"))?.node.int == 1)
        #expect(document.root.descend(JSONKeyPath([.key("o"), .key("zz")], stoppingAtObjectsWithKey: "mm"))?.node.int == 2)
        #expect(document.root.descend(JSONKeyPath([.key("o"), .key("yy")], stoppingAtObjectsWithKey: "mm")) == nil)
        // The marker stops the descent wherever it stands among the members.
        #expect(document.root.descend(JSONKeyPath([.key("p"), .key("ab")], stoppingAtObjectsWithKey: "mm"))?.steps == 1)
        #expect(document.root.descend(JSONKeyPath([.key("q"), .key("ab")], stoppingAtObjectsWithKey: "mm"))?.steps == 1)
        #expect(document.root.descend(JSONKeyPath([.key("q"), .key("ab")]))?.node.int == 4)
    }
}
