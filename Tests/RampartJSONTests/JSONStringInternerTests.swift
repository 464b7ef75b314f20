import RampartJSON
import Testing

/// `JSONStringInterner` gives one string per distinct value, by bytes, within its capacity.
@Suite struct JSONStringInternerTests {
    @Test func equalValuesGetOneNumberWhateverTheirEscapes() throws {
        let document = try JSONDocument.parse(#"["abc", "x", "abc", "a\u0062c", "", ""]"#)
        var interner = JSONStringInterner()
        let interned = document.root.elements.map { interner.string($0) }
        #expect(interned == ["abc", "x", "abc", "abc", "", ""])
        #expect(interner.strings == ["abc", "x", ""])
        #expect(interner.intern("abc").number == 0)
        #expect(interner.intern("x").number == 1)
        #expect(interner.intern("").number == 2)
    }

    @Test func nonStringsGiveNil() throws {
        var interner = JSONStringInterner()
        for text in ["1", "null", "true", "[]", "{}"] {
            #expect(interner.string(try JSONDocument.parse(text).root) == nil)
        }
        #expect(interner.strings.isEmpty)
    }

    @Test func capacityZeroKeepsNothingAndStillGivesTheValue() {
        var interner = JSONStringInterner(capacity: 0)
        let interned = interner.intern("a")
        #expect(interned.string == "a")
        #expect(interned.number == -1)
        #expect(interner.strings.isEmpty)
    }

    @Test func pastCapacityNewValuesAreNotKept() {
        var interner = JSONStringInterner(capacity: 2)
        #expect(["a", "b", "c", "a", "c", "b"].map { interner.intern($0).number } == [0, 1, -1, 0, -1, 1])
        #expect(interner.intern("c").string == "c")
        #expect(interner.strings == ["a", "b"])
    }

    @Test func thousandsOfDistinctValuesKeepTheirNumbersAsTheTableGrows() {
        var interner = JSONStringInterner(capacity: .max)
        let values = (0..<20_000).map { "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::bucket-\($0)" }
        let first = values.map { interner.intern($0).number }
        #expect(first == Array(0..<20_000))
        #expect(values.reversed().map { interner.intern($0).number } == Array((0..<20_000).reversed()))
        #expect(interner.strings == values)
    }

    @Test func byteHashDependsOnEveryByteAndTheLength() {
        #expect(ByteHash.hash("abcdefgh") != ByteHash.hash("abcdefgi"))
        #expect(ByteHash.hash("abcdefghij") != ByteHash.hash("abcdefghik"))
        #expect(ByteHash.hash("") != ByteHash.hash("\u{0}"))
        #expect(ByteHash.hash("same") == ByteHash.hash(String("xsame".dropFirst())))
    }
}
