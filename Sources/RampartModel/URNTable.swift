/// A map from URN to resource index, built once per graph and read by every link lookup.
///
/// Open addressing over a power-of-two table with a cheap 64-bit multiply-mix hash of the UTF-8 bytes, eight at a
/// time: URNs are long and share long prefixes, and hashing each with `Dictionary`'s SipHash dominated building
/// the graph of a big stack. A later duplicate URN replaces an earlier one, as in Pulumi's snapshot.
struct URNTable: Sendable {
    /// Resource index + 1 per slot; 0 is empty.
    private var slots: [Int32]
    /// The full hash of each occupied slot's key, so most probes are rejected without comparing strings.
    private var slotHashes: [UInt64]
    private let keys: [String]
    private let mask: Int

    init(_ keys: [String]) {
        self.keys = keys
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: 0, count: capacity)
        slotHashes = [UInt64](repeating: 0, count: capacity)
        for (index, key) in keys.enumerated() {
            let hash = URNTable.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let other = Int(slots[slot]) - 1
                if slotHashes[slot] == hash && keys[other] == key { break }
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(index + 1)
            slotHashes[slot] = hash
        }
    }

    func index(of key: String) -> Int? {
        let hash = URNTable.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if slotHashes[slot] == hash && keys[index] == key { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { bytes -> UInt64 in
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
            var i = 0
            let raw = UnsafeRawBufferPointer(bytes)
            while i + 8 <= bytes.count {
                h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            return mix(h ^ tail)
        }
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        return z &* 0x94D0_49BB_1331_11EB
    }
}
