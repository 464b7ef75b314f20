/// Reads protobuf's binary wire format field by field from bytes the caller keeps alive: the analyzer's hot requests
/// (`Analyze`, `Remediate`, `AnalyzeStack`) are decoded with it straight into what Rampart evaluates, without building
/// SwiftProtobuf's messages and `Struct` dictionaries first.
///
/// It follows protobuf's rules for what it reads: unknown fields are skipped, a repeated field's elements may come
/// apart, and a scalar field seen twice keeps its last value. Group wire types (long deprecated, never sent by Pulumi)
/// are refused.
struct ProtobufReader {
    /// A field's wire type (the low three bits of its tag).
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int
    private let end: Int
    /// The method whose request is read, for errors.
    let method: String

    init(_ bytes: UnsafeBufferPointer<UInt8>, method: String) {
        self.init(bytes, range: 0..<bytes.count, method: method)
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, method: String) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.method = method
    }

    /// A reader of a length-delimited field's bytes (an embedded message).
    func reader(of range: Range<Int>) -> ProtobufReader { ProtobufReader(bytes, range: range, method: method) }

    /// The bytes of `range`, which a length-delimited field returned.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(AnalyzerError) -> (number: UInt64, type: WireType)? {
        guard position < end else { return nil }
        let tag = try varint()
        guard let type = WireType(rawValue: UInt8(truncatingIfNeeded: tag & 7)) else {
            throw malformed("wire type \(tag & 7) at byte \(position)")
        }
        let number = tag >> 3
        guard number > 0 else { throw malformed("field number 0 at byte \(position)") }
        return (number, type)
    }

    mutating func varint() throws(AnalyzerError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = bytes[position]
            position &+= 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift &+= 7
            guard shift < 64 else { break }
        }
        throw malformed("a truncated or overlong varint ending at byte \(position)")
    }

    mutating func fixed64() throws(AnalyzerError) -> UInt64 {
        guard end &- position >= 8 else { throw malformed("a truncated 64-bit field at byte \(position)") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position &+ i]) << (8 &* UInt64(i)) }
        position &+= 8
        return value
    }

    /// A length-delimited field's bytes, as a range of the whole input.
    mutating func lengthDelimited() throws(AnalyzerError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end &- position) else {
            throw malformed("a field of \(length) bytes at byte \(position), past the end of its message")
        }
        let start = position
        position &+= Int(length)
        return start..<position
    }

    /// A length-delimited field read as UTF-8 text.
    mutating func string() throws(AnalyzerError) -> String {
        let range = try lengthDelimited()
        let bytes = slice(range)
        // Type tokens and URNs are ASCII: checked a word at a time, they need no further validation (the standard
        // library's generic validation cost ~1,000 instructions a string).
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw malformed("a string field that is not valid UTF-8 at byte \(range.lowerBound)")
        }
        return text
    }

    mutating func bool() throws(AnalyzerError) -> Bool { try varint() != 0 }

    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0, high: UInt64 = 0
        while i &+ 8 <= raw.count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < raw.count {
            high |= UInt64(raw[i])
            i &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Passes over a field this reader does not use.
    mutating func skip(_ type: WireType) throws(AnalyzerError) {
        switch type {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed32:
            guard end &- position >= 4 else { throw malformed("a truncated 32-bit field at byte \(position)") }
            position &+= 4
        }
    }

    /// A field whose wire type is not the one its number declares.
    func mismatch(_ number: UInt64, _ type: WireType) -> AnalyzerError {
        malformed("field \(number) has wire type \(type.rawValue), which its declaration does not allow")
    }

    func malformed(_ reason: String) -> AnalyzerError { .undecodableRequest(method: method, reason: reason) }
}
