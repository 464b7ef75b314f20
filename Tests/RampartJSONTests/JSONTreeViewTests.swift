import RampartJSON
import Testing

/// `JSONTreeView` reads a subtree by position and answers as the nodes do.
@Suite struct JSONTreeViewTests {
    /// Every value under `position`, in document order, as (kind, text) where text is the node's string or number.
    func walk(_ view: JSONTreeView, _ position: Int, into out: inout [String]) {
        let kind = view.kind(position)
        let node = view.node(position)
        #expect(node.kind == kind)
        switch kind {
        case .object:
            out.append("{\(node.count)")
            var key = view.firstChild(of: position)
            while key < view.after(position) {
                out.append("key \(view.node(key).string ?? "?") raw \(view.rawString(key).map { String(decoding: $0, as: UTF8.self) } ?? "-")")
                walk(view, key + 1, into: &out)
                key = view.after(key + 1)
            }
            out.append("}")
        case .array:
            out.append("[\(node.count)")
            var element = view.firstChild(of: position)
            while element < view.after(position) {
                walk(view, element, into: &out)
                element = view.after(element)
            }
            out.append("]")
        case .string:
            out.append("string \(node.string ?? "?") raw \(view.rawString(position).map { String(decoding: $0, as: UTF8.self) } ?? "-")")
        case .number: out.append("number \(node.numberText ?? "?")")
        case .bool: out.append("bool \(node.bool == true)")
        case .null: out.append("null")
        }
    }

    @Test func visitsEveryValueInDocumentOrderAndReadsEscapeFreeStringsInPlace() throws {
        let json = #"{"a": [1, "two", {"t\u0068ree": null, "four": [true, false, []]}], "b": "caf\u00e9", "c": {}, "d": -1.5e3}"#
        let document = try JSONDocument.parse(json)
        var out: [String] = []
        document.root.withTreeView { view in
            #expect(view.root == 0)
            walk(view, view.root, into: &out)
        }
        #expect(out == [
            "{4",
            "key a raw a", "[3", "number 1", "string two raw two",
            "{2", "key three raw -", "null", "key four raw four", "[3", "bool true", "bool false", "[0", "]", "]", "}",
            "]",
            "key b raw b", "string café raw -",
            "key c raw c", "{0", "}",
            "key d raw d", "number -1.5e3",
            "}",
        ])
    }

    @Test func aViewOfANestedValueStartsAtThatValueAndEndsWithIt() throws {
        let document = try JSONDocument.parse(#"{"x": {"y": ["z"]}, "after": 1}"#)
        let inner = try #require(document.root["x"])
        inner.withTreeView { view in
            #expect(view.kind(view.root) == .object)
            let key = view.firstChild(of: view.root)
            #expect(view.rawString(key).map { Array($0) } == Array("y".utf8))
            #expect(view.after(key + 1) == view.after(view.root))
            #expect(view.node(view.after(view.root)).string == "after")
            #expect(view.rawString(view.root) == nil)
        }
    }

    @Test func aLongStringIsReadWhole() throws {
        let long = String(repeating: "ab", count: 300_000)
        let document = try JSONDocument.parse("[\"\(long)\"]")
        document.root.withTreeView { view in
            #expect(view.rawString(view.firstChild(of: view.root)).map { $0.count } == long.utf8.count)
        }
    }
    @Test func scalarsStringComparisonsAndDescentsAnswerAsTheNodesDo() throws {
        let json = #"{"a": {"b": [true, false, null, 12, -1.5e3, "x", "caf\u00e9", "", {"c": "d"}], "b": 1, "b": 2}, "m": {"4dabf18193072939515e22adb298388d": "x", "n": 1}}"#
        let document = try JSONDocument.parse(json)
        let marker = "4dabf18193072939515e22adb298388d"
        let paths: [JSONKeyPath] = [
            JSONKeyPath([]), JSONKeyPath([.key("a")]), JSONKeyPath([.key("a"), .key("b")]),
            JSONKeyPath([.key("a"), .key("missing")]), JSONKeyPath([.key("a"), .key("b"), .index(0)]),
            JSONKeyPath([.key("a"), .key("b"), .index(8), .key("c")]), JSONKeyPath([.key("a"), .key("b"), .index(9)]),
            JSONKeyPath([.key("a"), .key("b"), .index(5), .key("z")]),
            JSONKeyPath([.key("m"), .key("n")], stoppingAtObjectsWithKey: marker),
            JSONKeyPath([.key("m"), .key("n")]),
        ]
        let texts = ["", "x", "café", "caf\\u00e9", "d", "true", "12"]
        for path in paths {
            let byNode = document.root.descend(path)
            let byView = document.root.answerWithTreeView { view in
                let reached = view.descend(path, from: view.root)
                #expect(reached?.steps == byNode?.steps)
                #expect(reached.map { view.node($0.position).byteOffset } == byNode?.node.byteOffset)
                return nil
            }
            #expect(byView == nil)
        }
        let values = try #require(document.root.descend(JSONKeyPath([.key("a"), .key("b")]))?.node)
        _ = values.answerWithTreeView { view in
            var element = view.firstChild(of: view.root)
            while element < view.after(view.root) {
                let node = view.node(element)
                #expect(view.bool(element) == node.bool)
                #expect(view.number(element) == node.number)
                for text in texts { #expect(view.stringEquals(element, text) == node.stringEquals(text)) }
                element = view.after(element)
            }
            return nil
        }
    }

    @Test func aLentNodeViewsAndIsTheNodeItWasMadeFrom() throws {
        let document = try JSONDocument.parse(#"{"a": {"b": [1, "x"]}, "c": true}"#)
        let node = try #require(document.root["a"])
        let lent = JSONLentNode(node)
        #expect(lent.node.byteOffset == node.byteOffset && lent.node.document === document)
        let viaLent = lent.answerWithTreeView { view in view.kind(view.root) == .object && view.node(view.root)["b"]?.count == 2 }
        let viaNode = node.answerWithTreeView { view in view.kind(view.root) == .object && view.node(view.root)["b"]?.count == 2 }
        #expect(viaLent == true && viaNode == true)
    }

    @Test func aStringsLengthIsToldFromTheTapeWhereItCanBe() throws {
        let long = String(repeating: "x", count: 600_000)
        let document = try JSONDocument.parse(#"{"eight": "12345678", "five": "12345", "escaped": "1234\n", "n": 12345678, "long": "\#(long)"}"#)
        func mayHave(_ key: String) throws -> Bool {
            let node = try #require(document.root[key])
            let fromView = node.withTreeView { $0.stringMayHaveLength($0.root, 8, 36) }
            #expect(node.stringMayHaveLength(8, 36) == fromView, "the node and its view answer alike for \(key)")
            return fromView
        }
        #expect(try mayHave("eight"))
        #expect(try !mayHave("five"))
        #expect(try !mayHave("n"))
        // An escaped string's length on the tape is its input's, and a long one's is not held: either may be.
        #expect(try mayHave("escaped"))
        #expect(try mayHave("long"))
    }
}
