import Testing
@testable import RampartJSON

/// Parses `text`, expecting failure; returns the error.
func parseError(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> JSONError? {
    do {
        _ = try JSONDocument.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseError(_ text: String, limits: JSONLimits = JSONLimits()) -> JSONError? {
    parseError(Array(text.utf8), limits: limits)
}

@Suite struct JSONReaderTests {
    // MARK: Values

    @Test func readsEveryValueKind() throws {
        let doc = try JSONDocument.parse(#"{"n": null, "t": true, "f": false, "i": 42, "d": -1.5e2, "s": "hi", "a": [1, 2], "o": {}}"#)
        let root = doc.root
        #expect(root.kind == .object)
        #expect(root.count == 8)
        #expect(root["n"]?.kind == .null)
        #expect(root["n"]?.isNull == true)
        #expect(root["t"]?.bool == true)
        #expect(root["f"]?.bool == false)
        #expect(root["f"]?.kind == .bool)
        #expect(root["i"]?.number == 42)
        #expect(root["i"]?.int == 42)
        #expect(root["d"]?.number == -150)
        #expect(root["d"]?.numberText == "-1.5e2")
        #expect(root["s"]?.string == "hi")
        #expect(root["s"]?.kind == .string)
        #expect(root["a"]?.kind == .array)
        #expect(root["a"]?.count == 2)
        #expect(root["o"]?.kind == .object)
        #expect(root["o"]?.count == 0)
        #expect(root["missing"] == nil)
    }

    @Test func readsScalarsAtTopLevel() throws {
        #expect(try JSONDocument.parse("  7 ").root.number == 7)
        #expect(try JSONDocument.parse("\"x\"").root.string == "x")
        #expect(try JSONDocument.parse("null").root.isNull)
        #expect(try JSONDocument.parse("false").root.bool == false)
        #expect(try JSONDocument.parse("[]").root.count == 0)
    }

    @Test func wrongKindAccessorsReturnNilOrEmpty() throws {
        let root = try JSONDocument.parse(#"{"s": "x", "a": [1]}"#).root
        let s = try #require(root["s"])
        #expect(s.number == nil)
        #expect(s.bool == nil)
        #expect(s.numberText == nil)
        #expect(s.count == 0)
        #expect(s["k"] == nil)
        #expect(s[0] == nil)
        #expect(Array(s.elements).isEmpty)
        #expect(Array(s.members).isEmpty)
        #expect(root.string == nil)
        #expect(root.stringEquals("x") == false)
        #expect(root[0] == nil)
        #expect(root["a"]?[1] == nil)
        #expect(root["a"]?[-1] == nil)
        #expect(root["a"]?["k"] == nil)
    }

    @Test func readsNestedValues() throws {
        let text = #"{"deployment": {"resources": [{"urn": "a"}, {"urn": "b", "tags": {"env": "prod"}}, [1, [2, 3]]]}}"#
        let root = try JSONDocument.parse(text).root
        let resources = try #require(root["deployment"]?["resources"])
        #expect(resources.count == 3)
        #expect(resources[0]?["urn"]?.string == "a")
        #expect(resources[1]?["tags"]?["env"]?.string == "prod")
        #expect(resources[2]?[1]?[1]?.number == 3)
        #expect(resources.elements.map { $0.kind } == [.object, .object, .array])
        let keys = try #require(resources[1]).members.map { $0.key.string ?? "" }
        #expect(keys == ["urn", "tags"])
    }

    @Test func byteOffsetPointsAtValueStart() throws {
        let doc = try JSONDocument.parse("{\n  \"a\": [true, \"x\"]\n}")
        let a = try #require(doc.root["a"])
        #expect(a.byteOffset == 9)
        #expect(a[1]?.byteOffset == 16)
        #expect(doc.location(ofByteOffset: a.byteOffset) == (2, 8))
        #expect(doc.root.byteOffset == 0)
        #expect(doc.byteCount == 22)
    }

    @Test func decodesEscapes() throws {
        let root = try JSONDocument.parse(#"["caf\u00e9", "a\/b", "\"q\" \\ \b\f\n\r\t", "\ud83d\ude00!", "\u20AC"]"#).root
        #expect(root[0]?.string == "café")
        #expect(root[0]?.hasEscapes == true)
        #expect(root[1]?.string == "a/b")
        #expect(root[2]?.string == "\"q\" \\ \u{8}\u{C}\n\r\t")
        #expect(root[3]?.string == "😀!")
        #expect(root[4]?.string == "€")
        #expect(root[0]?.stringEquals("café") == true)
        #expect(root[0]?.stringEquals("cafe") == false)
        #expect(root[3]?.stringHasPrefix("😀") == true)
        #expect(root[0]?.withStringUTF8 { Array($0) } == Array("café".utf8))
    }

    @Test func readsRawUTF8Strings() throws {
        let root = try JSONDocument.parse("[\"naïve ✓ 😀\"]").root
        #expect(root[0]?.string == "naïve ✓ 😀")
        #expect(root[0]?.hasEscapes == false)
        #expect(root[0]?.stringEquals("naïve ✓ 😀") == true)
    }

    @Test func comparesStringsWithoutDecoding() throws {
        let root = try JSONDocument.parse(#"{"urn": "urn:pulumi:dev::proj::aws:s3/bucket:Bucket::logs", "e": ""}"#).root
        let urn = try #require(root["urn"])
        #expect(urn.stringEquals("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::logs"))
        #expect(!urn.stringEquals("urn:pulumi:dev::proj::aws:s3/bucket:Bucket::log"))
        #expect(urn.stringHasPrefix("urn:pulumi:"))
        #expect(!urn.stringHasPrefix("urn:pulumi:prod"))
        #expect(root["e"]?.stringEquals("") == true)
        #expect(root["e"]?.stringHasPrefix("") == true)
    }

    @Test func duplicateKeysLastOneWins() throws {
        let root = try JSONDocument.parse(#"{"a": 1, "b": 2, "a": 3, "\u0061": 4, "c": 5}"#).root
        #expect(root["a"]?.number == 4)
        #expect(root["b"]?.number == 2)
        #expect(root.count == 5)
    }

    @Test func looksUpEscapedKeys() throws {
        let root = try JSONDocument.parse(#"{"k\u00e9y": 1, "a\"b": 2}"#).root
        #expect(root["kéy"]?.number == 1)
        #expect(root["a\"b"]?.number == 2)
    }

    @Test func aKeyGivenAsBytesFindsWhatTheStringKeyFinds() throws {
        let root = try JSONDocument.parse(#"{"a": 1, "b": {"c": 2}, "a": 3, "\u0061": 4, "k\u00e9y": 5, "": 6, "a\"b": [7]}"#).root
        let keys = ["a", "b", "kéy", "", "a\"b", "missing", "A", "ab"]
        for key in keys {
            var bytes = key
            let member = bytes.withUTF8 { root.member(utf8: $0) }
            #expect(member?.byteOffset == root[key]?.byteOffset, "\(key)")
        }
        var key = "a"
        #expect(key.withUTF8 { try! JSONDocument.parse("[1]").root.member(utf8: $0) } == nil)
        #expect(key.withUTF8 { try! JSONDocument.parse(#""a""#).root.member(utf8: $0) } == nil)
    }

    @Test func skipsLeadingByteOrderMark() throws {
        let doc = try JSONDocument.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8))
        #expect(doc.root["a"]?.number == 1)
        #expect(doc.root.byteOffset == 3)
    }

    @Test func convertsNumbersExactly() throws {
        let root = try JSONDocument.parse("[0, -0, 0.1, 123456789012345678, 1e-400, 2.5E+3, 9007199254740993, 1.7976931348623157e308, -12.75]").root
        #expect(root[0]?.number == 0)
        #expect(root[1]?.number == 0)
        #expect(root[1]?.number?.sign == .minus)
        #expect(root[2]?.number == 0.1)
        #expect(root[3]?.number == 123456789012345680)
        #expect(root[3]?.int == 123456789012345678)
        #expect(root[4]?.number == 0)
        #expect(root[5]?.number == 2500)
        #expect(root[5]?.int == 2500)
        #expect(root[6]?.numberText == "9007199254740993")
        #expect(root[6]?.int == 9007199254740993)
        #expect(root[7]?.number == .greatestFiniteMagnitude)
        #expect(root[8]?.number == -12.75)
        #expect(root[8]?.int == nil)
    }

    @Test func handlesLongStrings() throws {
        let long = String(repeating: "abcdefgh", count: 100_000)
        let root = try JSONDocument.parse("{\"\(long)\": \"\(long)\\n\"}").root
        #expect(root[long]?.string == long + "\n")
        #expect(root[long]?.stringHasPrefix("abcdefgh") == true)
        var writer = JSONWriter()
        writer.node(root)
        #expect(writer.bytes.count == long.utf8.count * 2 + 9)
    }

    /// A long string's end is found again on access: a quote after an odd run of backslashes is part of it, one
    /// after an even run closes it, wherever the run falls in the eight-byte words the rescan reads.
    @Test(arguments: 0..<9)
    func findsTheEndOfALongStringPastEscapedQuotesAndBackslashes(_ shift: Int) throws {
        let long = String(repeating: "a", count: 600_000 + shift)
        let body = long + #"\"x\\\"y\\"# + long + #"\\\\"#
        let root = try JSONDocument.parse(#"{"k": ""# + body + #"", "after": "z\"\\"}"#).root
        #expect(root["k"]?.string == long + #""x\"y\"# + long + #"\\"#)
        #expect(root["after"]?.string == #"z"\"#)
    }

    /// The tape is written in place into a capacity sized from the input; a document denser than that (a value
    /// every two bytes) grows past it and reads back the same.
    @Test(arguments: [10, 100_000])
    func readsDocumentsDenserThanTheFirstTapeCapacity(_ count: Int) throws {
        let text = "[" + Array(repeating: "[]", count: count).joined(separator: ",") + ",{\"k\":[1,2]}]"
        let root = try JSONDocument.parse(text).root
        #expect(root.count == count + 1)
        #expect(root[count - 1]?.kind == .array)
        #expect(root[count]?["k"]?[1]?.int == 2)
    }

    // MARK: Rejections

    @Test func rejectsEmptyInput() {
        #expect(parseError("")?.reason == .empty)
        #expect(parseError(" \n\t ")?.reason == .empty)
        #expect(parseError([0xEF, 0xBB, 0xBF])?.reason == .empty)
    }

    @Test func rejectsTrailingComma() {
        let array = parseError("[1, 2,]")
        #expect(array?.reason == .unexpected(found: "']'", expected: "a value"))
        #expect(array?.path == "$[2]")
        let object = parseError(#"{"a": 1,}"#)
        #expect(object?.reason == .unexpected(found: "'}'", expected: "a string key"))
        #expect(object?.column == 9)
    }

    @Test(arguments: ["01", "-01", "+1", ".5", "1.", "1.e3", "1e", "1e+", "-", "--1", "NaN", "Infinity", "-Infinity", "0x10"])
    func rejectsInvalidNumbers(_ text: String) {
        #expect(parseError(text) != nil, "\(text) should be rejected")
        #expect(parseError("[\(text)]") != nil, "[\(text)] should be rejected")
    }

    @Test func rejectsLeadingZerosWithPosition() {
        let error = parseError("[01]")
        #expect(error?.reason == .unexpected(found: "'1'", expected: "a number without leading zeros"))
        #expect(error?.column == 3)
        #expect(error?.path == "$[0]")
    }

    @Test func rejectsNumbersOverflowingDouble() {
        #expect(parseError("1e999999")?.reason == .numberOutOfRange)
        #expect(parseError("[-1e309]")?.reason == .numberOutOfRange)
        #expect(parseError(String(repeating: "9", count: 400))?.reason == .numberOutOfRange)
        #expect(parseError("1e-999999") == nil)
        #expect(parseError(String(repeating: "9", count: 300)) == nil)
    }

    @Test(arguments: ["'a'", "{'a': 1}", "// c\n1", "/* c */ 1", "[1] // c", "tru", "nul", "fals", "True", "nulL", "[1 2]", "{\"a\" 1}", "{a: 1}", "[", "{", "{\"a\":", "\"abc", "[1,,2]", "1 2", "{\"a\":1]", "[1}"])
    func rejectsMalformedSyntax(_ text: String) {
        #expect(parseError(text) != nil, "\(text) should be rejected")
    }

    @Test func rejectsTrailingContent() {
        let error = parseError("{} x")
        #expect(error?.reason == .trailingContent)
        #expect(error?.column == 4)
    }

    @Test func rejectsControlCharacterInString() {
        let error = parseError("{\"a\": \"x\ty\"}")
        #expect(error?.reason == .controlCharacterInString)
        #expect(error?.column == 9)
        #expect(error?.path == "$.a")
        #expect(parseError("[\"\u{0}\"]")?.reason == .controlCharacterInString)
        #expect(parseError("[\"\n\"]")?.reason == .controlCharacterInString)
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12g4""#, #""\ud800""#, #""\ud800x""#, #""\ud800\u0041""#, #""\udc00""#, #""\ud800\ud800""#, #""\U0041""#, #""\'""#])
    func rejectsInvalidEscapes(_ text: String) {
        #expect(parseError(text)?.reason == .invalidEscape, "\(text) should be an invalid escape")
    }

    @Test func rejectsTruncatedEscapes() {
        #expect(parseError(#""\"#)?.reason == .truncated(expected: "an escape sequence"))
        #expect(parseError(#""\u00"#)?.reason == .truncated(expected: "4 hex digits"))
    }

    @Test(arguments: [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xFF]] as [[UInt8]])
    func rejectsInvalidUTF8InsideStrings(_ bad: [UInt8]) {
        let input = Array(#"{"k": "ab"#.utf8) + bad + Array(#"cd"}"#.utf8)
        let error = parseError(input)
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.byteOffset == 9)
        #expect(error?.path == "$.k")
        // Also inside a long string where the SWAR scan is used.
        let long = Array(#"[""#.utf8) + Array(repeating: 0x61, count: 37) + bad + Array(repeating: 0x61, count: 37) + Array(#""]"#.utf8)
        #expect(parseError(long)?.reason == .invalidUTF8)
    }

    @Test(arguments: [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF5], [0xC0, 0xAF]] as [[UInt8]])
    func rejectsInvalidUTF8OutsideStrings(_ bad: [UInt8]) {
        #expect(parseError(Array("[1, ".utf8) + bad + Array("]".utf8))?.reason == .invalidUTF8)
        #expect(parseError(Array("[1".utf8) + bad + Array("]".utf8))?.reason == .invalidUTF8)
        #expect(parseError(bad)?.reason == .invalidUTF8)
    }

    @Test func rejectsValidNonASCIIOutsideStringsAsUnexpected() {
        #expect(parseError("[é]")?.reason == .unexpected(found: "byte 0xC3", expected: "a value"))
    }

    @Test func rejectsNestingBeyondLimit() {
        #expect(parseError(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) == nil)
        let error = parseError(String(repeating: "[", count: 513) + String(repeating: "]", count: 513))
        #expect(error?.reason == .tooDeep(limit: 512))
        #expect(error?.byteOffset == 512)
        #expect(parseError("[[1]]", limits: JSONLimits(maxDepth: 1))?.reason == .tooDeep(limit: 1))
    }

    @Test func rejects10000DeepNestingWithoutCrashing() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(parseError(text)?.reason == .tooDeep(limit: 512))
        let objects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(parseError(objects)?.reason == .tooDeep(limit: 512))
    }

    @Test func rejectsMillionDeepNestingWithoutCrashing() {
        let bytes = [UInt8](repeating: 0x5B, count: 1_000_000)
        #expect(parseError(bytes)?.reason == .tooDeep(limit: 512))
        // With the limit lifted the iterative parser handles it (and reports truncation).
        #expect(parseError(bytes, limits: JSONLimits(maxDepth: 2_000_000))?.reason == .truncated(expected: "a value or ']'"))
        let closed = bytes + [UInt8](repeating: 0x5D, count: 1_000_000)
        #expect(parseError(closed, limits: JSONLimits(maxDepth: 1_000_000)) == nil)
    }

    @Test func rejectsInputLargerThanLimit() {
        let error = parseError("[1, 2, 3]", limits: JSONLimits(maxBytes: 4))
        #expect(error?.reason == .tooLarge(limit: 4))
    }

    // MARK: Error locations

    @Test func locatesTruncatedObject() throws {
        let text = "{\n  \"a\": {\n    \"b\": [1,\n      2],\n    \"c\":"
        let error = try #require(parseError(text))
        #expect(error.reason == .truncated(expected: "a value"))
        #expect(error.line == 5)
        #expect(error.column == 9)
        #expect(error.path == "$.a.c")
        #expect(error.byteOffset == text.utf8.count)
        #expect(error.description == "line 5, column 9 (at $.a.c): unexpected end of input, expected a value")
    }

    @Test func locatesTruncationAtLineStart() throws {
        let error = try #require(parseError("{\"a\":\n"))
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.description == "line 2, column 1 (at $.a): unexpected end of input, expected a value")
    }

    @Test func locatesMissingCommaInNestedArray() throws {
        let text = "{\n  \"a\": [\n    0,\n    [1, 2 3]\n  ]\n}"
        let error = try #require(parseError(text))
        #expect(error.reason == .unexpected(found: "'3'", expected: "',' or ']'"))
        #expect(error.line == 4)
        #expect(error.column == 11)
        #expect(error.path == "$.a[1]")
        #expect(error.description == "line 4, column 11 (at $.a[1]): expected ',' or ']', found '3'")
    }

    @Test func locatesBadKeyCharacter() throws {
        let text = "{\n  \"ok\": 1,\n  \"deployment\": {\"resources\": [{}, {}, {\"urn\": \"u\" x}]}\n}"
        let error = try #require(parseError(text))
        #expect(error.line == 3)
        #expect(error.column == 52)
        #expect(error.path == "$.deployment.resources[2]")
        #expect(error.description == "line 3, column 52 (at $.deployment.resources[2]): expected ',' or '}', found 'x'")

        let unquoted = try #require(parseError("{\"a\": {\n  b: 1}}"))
        #expect(unquoted.reason == .unexpected(found: "'b'", expected: "a string key or '}'"))
        #expect(unquoted.line == 2)
        #expect(unquoted.column == 3)
        #expect(unquoted.path == "$.a")
    }

    @Test func writesWeirdKeysInBracketsInPaths() throws {
        let error = try #require(parseError(#"{"weird key": {"x-y": [{"ok_1": tru}]}}"#))
        #expect(error.path == #"$["weird key"]["x-y"][0].ok_1"#)
        #expect(error.reason == .unexpected(found: "'}'", expected: "'true'"))
    }

    @Test func errorDescriptionNeverContainsStringContents() throws {
        let secret = "AKIAIOSFODNN7EXAMPLEsecretValue"
        let texts = [
            "{\"password\": \"\(secret)\" \"next\": 1}",
            "{\"password\": \"\(secret)\", }",
            "{\"password\": \"\(secret)\\q\"}",
            "{\"password\": \"\(secret)",
            "[\"\(secret)\" \(secret)]",
        ]
        for text in texts {
            let error = try #require(parseError(text))
            #expect(!error.description.contains("AKIA"), "\(error.description)")
            #expect(!error.description.contains("secret"), "\(error.description)")
        }
    }

    @Test func describesUnprintableBytesSafely() {
        #expect(JSONError.describeByte(0x78) == "'x'")
        #expect(JSONError.describeByte(0x0A) == "byte 0x0A")
        #expect(JSONError.describeByte(0xC3) == "byte 0xC3")
        #expect(JSONError.describeByte(0x27) == "\"'\"")
    }
}
