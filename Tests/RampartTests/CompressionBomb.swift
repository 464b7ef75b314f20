/// Small compressed files that inflate enormously, built by hand so the tests need no compressor: a JSON opening,
/// then spaces repeated by the format's cheapest construct.
enum CompressionBomb {
    /// A state export cut open inside a string value: what follows it in the bombs is spaces, then nothing.
    static let opening = Array(#"{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:dev::bomb::pulumi:pulumi:Stack::bomb-dev","type":"pulumi:pulumi:Stack","outputs":{"blob":""#.utf8)

    /// A gzip member whose deflate stream is one fixed-Huffman block: `opening` as literals, one space, then
    /// `matches` copies of (length 258, distance 1), 13 bits each, so it inflates ~159× per byte. Unless
    /// `checksummed`, the trailer's CRC is left zero: a reader that stops at its limit never reaches it (one that
    /// did not would fail on it).
    static func gzip(matches: Int, checksummed: Bool = false) -> [UInt8] {
        var bits = DeflateBits()
        bits.write(1, count: 1)  // BFINAL
        bits.write(1, count: 2)  // BTYPE = 01, fixed Huffman
        for byte in opening + [0x20] { bits.writeLiteral(byte) }
        for _ in 0..<matches {
            bits.writeCode(0b1100_0101, length: 8)  // length code 285 (258 bytes, no extra bits)
            bits.writeCode(0, length: 5)  // distance code 0 (distance 1)
        }
        bits.writeCode(0, length: 7)  // end of block (256)
        let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]
        var trailer = [UInt8](repeating: 0, count: 8)
        if checksummed {
            let content = opening + [UInt8](repeating: 0x20, count: 1 + matches * 258)
            let crc = crc32(content), size = UInt32(truncatingIfNeeded: content.count)
            trailer = (0..<4).map { UInt8((crc >> (8 * $0)) & 0xFF) } + (0..<4).map { UInt8((size >> (8 * $0)) & 0xFF) }
        }
        return header + bits.flushed + trailer
    }

    /// CRC-32 (IEEE, reflected), as gzip's trailer holds it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// A zstd frame: `opening` as a raw block, then `blocks` RLE blocks of 128 KiB of spaces (4 bytes each), so it
    /// inflates ~32,000× per byte.
    static func zstd(blocks: Int) -> [UInt8] {
        var out: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
        out.append(0x00)  // frame header: no content size, no checksum, no dictionary, window descriptor follows
        out.append(7 << 3)  // window 2^(10+7) = 128 KiB
        func blockHeader(last: Bool, type: UInt32, size: UInt32) -> [UInt8] {
            let value = (size << 3) | (type << 1) | (last ? 1 : 0)
            return [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF)]
        }
        out += blockHeader(last: false, type: 0, size: UInt32(opening.count)) + opening
        for i in 0..<blocks {
            out += blockHeader(last: i == blocks - 1, type: 1, size: 128 << 10) + [0x20]
        }
        return out
    }
}

/// Deflate's bit order: fields are packed from the least significant bit; Huffman codes go most significant first.
struct DeflateBits {
    private(set) var bytes: [UInt8] = []
    private var current: UInt8 = 0
    private var used = 0

    mutating func write(_ value: UInt32, count: Int) {
        for i in 0..<count { push(UInt8((value >> UInt32(i)) & 1)) }
    }

    mutating func writeCode(_ code: UInt32, length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { push(UInt8((code >> UInt32(i)) & 1)) }
    }

    /// Fixed-Huffman literal: 0–143 are `0x30 + byte` in 8 bits, 144–255 are `0x190 + byte - 144` in 9 bits.
    mutating func writeLiteral(_ byte: UInt8) {
        if byte < 144 { writeCode(0x30 + UInt32(byte), length: 8) } else { writeCode(0x190 + UInt32(byte) - 144, length: 9) }
    }

    private mutating func push(_ bit: UInt8) {
        current |= bit << UInt8(used)
        used += 1
        if used == 8 { bytes.append(current); current = 0; used = 0 }
    }

    /// The bytes with the last partial byte flushed.
    var flushed: [UInt8] { used == 0 ? bytes : bytes + [current] }
}
