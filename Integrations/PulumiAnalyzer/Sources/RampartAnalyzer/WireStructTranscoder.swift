import RampartJSON
import RampartModel

/// Writes a `google.protobuf.Struct`'s wire bytes as the JSON Rampart parses into a property value, as `WireValues`
/// describes: members sorted by key (a key sent twice keeps its last value, as protobuf's maps do), secrets as
/// decrypted secrets, output values as their value. One pass over the bytes; no `Struct` or dictionary is built.
///
/// The wire shapes (`google/protobuf/struct.proto`): a Struct is repeated field 1, each a map entry of key (field 1)
/// and Value (field 2); a Value sets one of null (1), number (2, a double), string (3), bool (4), struct (5) or list (6),
/// and a list is repeated Value field 1. A Value that sets none is null, and one that sets several keeps the last.
struct WireStructTranscoder {
    /// How deep Structs and lists may nest (SwiftProtobuf's default message depth is 100 messages, about half as many
    /// levels of values): deeper requests are refused rather than recursed through.
    static let depthLimit = 100

    private enum Kind {
        case null, number(Double), string(Range<Int>), bool(Bool), structure(Range<Int>), list(Range<Int>)
    }

    /// One member of an object being written: where its key and Value lie, and its place on the wire.
    private struct Entry {
        var key: Range<Int>
        /// nil when the map entry has no value: protobuf's default Value, null.
        var value: Range<Int>?
        var ordinal: Int
    }

    private let reader: ProtobufReader
    /// The members of every object being written, innermost last: each object sorts and writes its own tail.
    private var entries: [Entry] = []
    private static let signatureKey = Array(PulumiSignature.key.utf8)
    private static let secretSignature = Array(PulumiSignature.secret.utf8)
    private static let outputSignature = Array(PulumiSignature.outputValue.utf8)
    private static let valueKey = Array("value".utf8)
    private static let secretKey = Array("secret".utf8)

    init(reader: ProtobufReader) {
        self.reader = reader
        // Room for a resource's top-level members and one nested object's: growing from empty cost several
        // reallocations per request.
        entries.reserveCapacity(Self.reservedEntries)
    }

    static let reservedEntries = 32

    /// Writes the Struct whose bytes are `parts` taken together.
    mutating func writeStruct(_ parts: [Range<Int>], into writer: inout JSONWriter) throws(AnalyzerError) {
        let base = entries.count
        for part in parts { try collect(part) }
        try writeObject(from: base, into: &writer, depth: 1)
    }

    // MARK: - Values

    private mutating func writeValue(_ value: Range<Int>?, into writer: inout JSONWriter, depth: Int) throws(AnalyzerError) {
        switch try kind(of: value) {
        case .null: writer.null()
        case .number(let n):
            if n.isFinite { writer.number(n) } else { writer.null() }  // JSON has no NaN or ±inf
        case .string(let range): writer.string(utf8: reader.slice(range))
        case .bool(let b): writer.bool(b)
        case .structure(let range):
            try checkDepth(depth)
            let base = entries.count
            try collect(range)
            try writeObject(from: base, into: &writer, depth: depth &+ 1)
        case .list(let range):
            try checkDepth(depth)
            writer.beginArray()
            var list = reader.reader(of: range)
            while let (number, type) = try list.nextField() {
                guard number == 1 else { try list.skip(type); continue }
                guard type == .lengthDelimited else { throw list.mismatch(number, type) }
                try writeValue(try list.lengthDelimited(), into: &writer, depth: depth &+ 1)
            }
            writer.endArray()
        }
    }

    private func kind(of value: Range<Int>?) throws(AnalyzerError) -> Kind {
        guard let value else { return .null }
        var kind = Kind.null
        var fields = reader.reader(of: value)
        while let (number, type) = try fields.nextField() {
            let expected: ProtobufReader.WireType
            switch number {
            case 1, 4: expected = .varint
            case 2: expected = .fixed64
            case 3, 5, 6: expected = .lengthDelimited
            default: try fields.skip(type); continue
            }
            guard type == expected else { throw fields.mismatch(number, type) }
            switch number {
            case 1: _ = try fields.varint(); kind = .null
            case 2: kind = .number(Double(bitPattern: try fields.fixed64()))
            case 3: kind = .string(try fields.lengthDelimited())
            case 4: kind = .bool(try fields.bool())
            case 5: kind = .structure(try fields.lengthDelimited())
            default: kind = .list(try fields.lengthDelimited())
            }
        }
        return kind
    }

    private func checkDepth(_ depth: Int) throws(AnalyzerError) {
        guard depth < Self.depthLimit else {
            throw reader.malformed("property values nested more than \(Self.depthLimit) levels deep")
        }
    }

    // MARK: - Objects

    /// Appends a Struct's map entries to `entries`.
    private mutating func collect(_ structure: Range<Int>) throws(AnalyzerError) {
        var fields = reader.reader(of: structure)
        while let (number, type) = try fields.nextField() {
            guard number == 1 else { try fields.skip(type); continue }
            guard type == .lengthDelimited else { throw fields.mismatch(number, type) }
            var entry = reader.reader(of: try fields.lengthDelimited())
            var key = 0..<0
            var value: Range<Int>?
            while let (member, memberType) = try entry.nextField() {
                guard member == 1 || member == 2 else { try entry.skip(memberType); continue }
                guard memberType == .lengthDelimited else { throw entry.mismatch(member, memberType) }
                if member == 1 { key = try entry.lengthDelimited() } else { value = try entry.lengthDelimited() }
            }
            entries.append(Entry(key: key, value: value, ordinal: entries.count))
        }
    }

    /// Writes the object whose members are `entries[base...]`, then drops them.
    private mutating func writeObject(from base: Int, into writer: inout JSONWriter, depth: Int) throws(AnalyzerError) {
        defer { entries.removeSubrange(base...) }
        // One look-up of the signature key serves both signatures: most objects have none.
        if let signature = member(Self.signatureKey, from: base), case .string(let range) = try kind(of: signature.value) {
            let name = reader.slice(range)
            if name.elementsEqual(Self.secretSignature) {
                try writeSecret(member(Self.valueKey, from: base)?.value, into: &writer, depth: depth)
                return
            }
            if name.elementsEqual(Self.outputSignature) {
                try writeOutputValue(from: base, into: &writer, depth: depth)
                return
            }
        }
        let ascii = sortMembers(from: base)
        writer.beginObject()
        let end = entries.count
        var i = base
        while i < end {
            // Equal keys sort by their place on the wire: the last value stands, under the first spelling of the key
            // (canonically equivalent keys differ in bytes; a dictionary keeps the key it was first given).
            let first = entries[i]
            var last = first
            i &+= 1
            while i < end, sameKey(first, entries[i], ascii: ascii) {
                last = entries[i]
                i &+= 1
            }
            writer.key(utf8: reader.slice(first.key))
            try writeValue(last.value, into: &writer, depth: depth)
        }
        writer.endObject()
    }

    /// `{sig: secret, plaintext: "<the value as JSON>"}`: Rampart's decrypted secret.
    private mutating func writeSecret(_ value: Range<Int>?, into writer: inout JSONWriter, depth: Int) throws(AnalyzerError) {
        var inner = JSONWriter()
        try writeValue(value, into: &inner, depth: depth)
        writer.beginObject()
        writer.key(PulumiSignature.key)
        writer.string(PulumiSignature.secret)
        writer.key("plaintext")
        inner.finalBytes().withUnsafeBufferPointer { writer.string(utf8: $0) }
        writer.endObject()
    }

    /// An output value is its value: unknown when it has none, a secret when flagged.
    private mutating func writeOutputValue(from base: Int, into writer: inout JSONWriter, depth: Int) throws(AnalyzerError) {
        guard let value = member(Self.valueKey, from: base) else {
            writer.string(PulumiSignature.unknown)
            return
        }
        if let secret = member(Self.secretKey, from: base), case .bool(true) = try kind(of: secret.value) {
            try writeSecret(value.value, into: &writer, depth: depth)
        } else {
            try writeValue(value.value, into: &writer, depth: depth)
        }
    }

    /// The last member named `name` among `entries[base...]` (still in wire order).
    private func member(_ name: [UInt8], from base: Int) -> Entry? {
        var i = entries.count
        while i > base {
            i &-= 1
            if entries[i].key.count == name.count, reader.slice(entries[i].key).elementsEqual(name) { return entries[i] }
        }
        return nil
    }

    /// Sorts `entries[base...]` as `String`'s `<` orders their keys (byte order, which is the same for ASCII keys),
    /// equal keys in wire order. Returns whether every key is ASCII.
    private mutating func sortMembers(from base: Int) -> Bool {
        let reader = self.reader
        let ascii = entries[base...].allSatisfy { ProtobufReader.isASCII(reader.slice($0.key)) }
        if ascii {
            entries[base...].sort { a, b in
                let x = reader.slice(a.key), y = reader.slice(b.key)
                return x.elementsEqual(y) ? a.ordinal < b.ordinal : x.lexicographicallyPrecedes(y)
            }
        } else {
            entries[base...].sort { a, b in
                let x = String(decoding: reader.slice(a.key), as: UTF8.self), y = String(decoding: reader.slice(b.key), as: UTF8.self)
                return x != y ? x < y : a.ordinal < b.ordinal
            }
        }
        return ascii
    }

    /// Keys as `String` compares them: canonically equivalent keys are one key, as in SwiftProtobuf's dictionary.
    /// ASCII keys are equal only byte for byte.
    private func sameKey(_ a: Entry, _ b: Entry, ascii: Bool) -> Bool {
        let x = reader.slice(a.key), y = reader.slice(b.key)
        if ascii { return x.elementsEqual(y) }
        return String(decoding: x, as: UTF8.self) == String(decoding: y, as: UTF8.self)
    }
}
