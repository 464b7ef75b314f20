@testable import RampartJSON
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

    /// A string met first as a `String` is kept as it is: later lookups, by string or by bytes, share its storage.
    @Test func aStringSeenFirstIsKeptWithItsOwnStorage() {
        var interner = JSONStringInterner()
        let given = "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::logs"  // past the small-string size: its bytes live apart, at an address of their own
        let kept = interner.intern(given).string
        #expect(Self.storage(of: kept) == Self.storage(of: given))
        #expect(Self.storage(of: interner.intern(String(decoding: Array(given.utf8), as: UTF8.self)).string) == Self.storage(of: given))
        let bytes = Array(given.utf8)
        #expect(Self.storage(of: bytes.withUnsafeBufferPointer { interner.intern($0).string }) == Self.storage(of: given))
        #expect(interner.strings.count == 1)
    }

    private static func storage(of string: String) -> UnsafeRawPointer? {
        var copy = string
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
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

    /// The bytes after the last whole word are read as one little-endian word, as putting them together a byte at a
    /// time does: for every length up to 24, at every alignment of the buffer.
    @Test func byteHashReadsTheBytesPastTheLastWordAsTheyAre() {
        let storage = (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for offset in 0..<8 {
            for length in 0...24 {
                storage.withUnsafeBytes { all in
                    let raw = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    let start = length - length % 8
                    var expected: UInt64 = 0
                    for (k, byte) in raw[start...].enumerated() { expected |= UInt64(byte) << (8 * UInt64(k)) }
                    #expect(ByteHash.tail(raw, from: start) == expected, "length \(length), offset \(offset)")
                }
            }
        }
    }

    /// Keys of every length up to 64 (the secret walk's key-name memo keeps keys that long) differing in one byte,
    /// at the first, the last, and every place between, have distinct hashes.
    @Test func byteHashTellsApartKeysDifferingInOneByte() {
        for length in 1...64 {
            let base = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            var hashes: Set<UInt64> = [base.withUnsafeBufferPointer { ByteHash.hash($0) }]
            for position in 0..<length {
                var changed = base
                changed[position] = UInt8(ascii: "b")
                hashes.insert(changed.withUnsafeBufferPointer { ByteHash.hash($0) })
            }
            #expect(hashes.count == length + 1, "length \(length)")
        }
    }
}
