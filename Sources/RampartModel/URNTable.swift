import RampartJSON
import Foundation

/// A map from URN to resource index, built once per graph and read by every link lookup.
///
/// Open addressing over a power-of-two table with a cheap 64-bit multiply-mix hash of the UTF-8 bytes, eight at a
/// time: URNs are long and share long prefixes, and hashing each with `Dictionary`'s SipHash dominated building
/// the graph of a big stack. A later duplicate URN replaces an earlier one, as in Pulumi's snapshot.
struct URNTable: Sendable {
    /// One probe's worth: the full hash of the slot's key, so most probes are rejected without comparing strings,
    /// and its resource index + 1 (0: empty). Side by side, a probe reads one cache line where two arrays cost two
    /// misses: with 100,000 resources every lookup misses, and the graph makes one per parent and dependency.
    private struct Slot {
        var hash: UInt64 = 0
        var index: Int32 = 0
    }

    private var slots: [Slot]
    /// The keys are the resources' URNs, read in place (no array of 100,000 retained strings to build).
    private let resources: [Resource]
    private let mask: Int

    /// The table of `resources`' URNs; `hashes[i]` is resource `i`'s `URN.byteHash`, read beforehand (on several
    /// workers, for a big stack).
    init(_ resources: [Resource], hashes: [UInt64]) {
        self.resources = resources
        var capacity = 16
        while capacity < resources.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Slot](repeating: Slot(), count: capacity)
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].index != 0 {
                let other = Int(slots[slot].index) - 1
                if slots[slot].hash == hash && resources[other].urn.rawValue == resources[index].urn.rawValue { break }
                slot = (slot + 1) & mask
            }
            slots[slot] = Slot(hash: hash, index: Int32(index + 1))
        }
    }

    func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { index(of: $0) }
    }

    /// The index of the resource whose URN has these UTF-8 bytes (URNs compare bytewise, as in Pulumi).
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = ByteHash.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].index != 0 {
            let index = Int(slots[slot].index) - 1
            if slots[slot].hash == hash && urn(of: index, is: key) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Whether resource `index`'s URN has these UTF-8 bytes.
    func urn(of index: Int, is key: UnsafeBufferPointer<UInt8>) -> Bool {
        var urn = resources[index].urn.rawValue
        return urn.withUTF8 { $0.count == key.count && ($0.isEmpty || memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0) }
    }

}
