import Foundation
import RampartJSON

/// `SensitiveName.classify` and `SensitiveName.mentionsAWS` of object keys, remembered by the key's bytes: the secret
/// walk classifies every key of every resource, and the same keys (`tags`, `arn`, `name`, `password`, …) recur on
/// nearly every one. A worker keeps one (`ResourceContext.withMemo`); a remembered answer costs a hash of the key and
/// one comparison instead of the normalisation and the word-list searches.
///
/// Open addressing over a fixed table; keys up to `maxKeyLength` bytes are copied into a fixed arena. When the table
/// or the arena is full, further keys are classified without being remembered: the answers never change, only their
/// cost.
final class SensitiveNameMemo {
    /// What the walker needs to know of a key name.
    struct Answer: Equatable {
        var sensitivity: SensitiveName
        var mentionsAWS: Bool
    }

    static let maxKeyLength = 64
    private static let slotCount = 4096
    private static let maxEntries = slotCount / 2
    private static let arenaSize = 64 * 1024

    private struct Slot {
        var hash: UInt64
        var start: UInt32
        var length: UInt16
        /// 0: empty; otherwise `1 | sensitivity << 1 | mentionsAWS << 3`.
        var packed: UInt8
    }

    private let slots: UnsafeMutableBufferPointer<Slot>
    private let arena: UnsafeMutableBufferPointer<UInt8>
    private var entries = 0
    private var arenaUsed = 0

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot(hash: 0, start: 0, length: 0, packed: 0))
        arena = .allocate(capacity: Self.arenaSize)
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
    }

    /// The answer for the key name `name` (its UTF-8 bytes), the same as classifying it uncached.
    func answer(_ name: UnsafeBufferPointer<UInt8>) -> Answer {
        guard name.count <= Self.maxKeyLength, let bytes = name.baseAddress else { return Self.classify(name) }
        let hash = ByteHash.hash(name)
        let mask = Self.slotCount - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.packed == 0 { break }
            if slot.hash == hash, Int(slot.length) == name.count,
               memcmp(arena.baseAddress! + Int(slot.start), bytes, name.count) == 0 {
                return Self.unpack(slot.packed)
            }
            i = (i &+ 1) & mask
        }
        let answer = Self.classify(name)
        if entries < Self.maxEntries, arenaUsed + name.count <= Self.arenaSize {
            let start = arenaUsed
            (arena.baseAddress! + start).update(from: bytes, count: name.count)
            arenaUsed += name.count
            entries += 1
            slots[i] = Slot(hash: hash, start: UInt32(start), length: UInt16(name.count), packed: Self.pack(answer))
        }
        return answer
    }

    static func classify(_ name: UnsafeBufferPointer<UInt8>) -> Answer {
        Answer(sensitivity: SensitiveName.classify(utf8: name), mentionsAWS: SensitiveName.mentionsAWS(utf8: name))
    }

    private static func pack(_ answer: Answer) -> UInt8 {
        let sensitivity: UInt8
        switch answer.sensitivity {
        case .none: sensitivity = 0
        case .weak: sensitivity = 1
        case .strong: sensitivity = 2
        }
        return 1 | sensitivity << 1 | (answer.mentionsAWS ? 8 : 0)
    }

    private static func unpack(_ packed: UInt8) -> Answer {
        let sensitivity: SensitiveName
        switch (packed >> 1) & 3 {
        case 1: sensitivity = .weak
        case 2: sensitivity = .strong
        default: sensitivity = .none
        }
        return Answer(sensitivity: sensitivity, mentionsAWS: packed & 8 != 0)
    }
}
