import Foundation

/// Derived data computed once per resource graph and shared by every policy that asks for it (join indexes).
/// Policies are values evaluated concurrently; the cache is the one place a graph keeps mutable state.
///
/// Values are found by `Key`: a key is numbered once, when it is made, so a lookup indexes an array. Joins look
/// their index up once per resource they judge; hashing a name and checking the value's type on every lookup
/// cost more than the join itself.
///
/// `@unchecked Sendable` is safe: `values` is only read and written under `lock`. The lock is recursive so that
/// building one entry may ask for another.
public final class GraphCache: @unchecked Sendable {
    /// The name of a cached value of type `Value`. Keys made with the same name and type share a slot, in every
    /// graph's cache; a name made with two types gets two slots.
    public struct Key<Value: Sendable>: Sendable {
        @usableFromInline let slot: Int

        public init(_ name: String) {
            slot = GraphCache.slots.number(for: SlotName(name: name, type: ObjectIdentifier(Value.self)))
        }

        private init(slot: Int) { self.slot = slot }

        /// A key no other key shares (for a value that belongs to one object, such as a compiled rule's join).
        public static func unique() -> Key { Key(slot: GraphCache.slots.newNumber()) }
    }

    /// One cached value, boxed in a class: reading it back is a pointer cast, not the unboxing of an existential.
    @usableFromInline final class Entry<Value: Sendable> {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    @usableFromInline let lock = NSRecursiveLock()
    /// By slot; nil where nothing is cached yet.
    @usableFromInline var values: [AnyObject?] = []

    public init() {}

    /// The value cached under `key`, building it on first use.
    @inlinable
    public func value<T: Sendable>(_ key: Key<T>, build: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if key.slot < values.count, let cached = values[key.slot] {
            // The slot was filled under this key, whose type is `T`.
            return unsafeDowncast(cached, to: Entry<T>.self).value
        }
        let built = build()
        if key.slot >= values.count { values.append(contentsOf: repeatElement(nil, count: key.slot + 1 - values.count)) }
        values[key.slot] = Entry(built)
        return built
    }

    /// The value cached under `key`, nil when none is yet. For a value built outside the lock (which every lookup
    /// takes) and then stored with `value(_:build:)`, where the first value stored wins.
    public func existing<T: Sendable>(_ key: Key<T>) -> T? {
        lock.lock()
        defer { lock.unlock() }
        guard key.slot < values.count, let cached = values[key.slot] else { return nil }
        return unsafeDowncast(cached, to: Entry<T>.self).value
    }

    /// What a key's slot is numbered by.
    struct SlotName: Hashable {
        let name: String
        let type: ObjectIdentifier
    }

    /// The numbering of keys, shared by every cache of the process.
    /// `@unchecked Sendable`: `numbers` and `next` are only touched under `lock`.
    final class SlotNumbers: @unchecked Sendable {
        private let lock = NSLock()
        private var numbers: [SlotName: Int] = [:]
        private var next = 0

        func number(for name: SlotName) -> Int {
            lock.withLock {
                if let known = numbers[name] { return known }
                numbers[name] = next
                next += 1
                return next - 1
            }
        }

        func newNumber() -> Int {
            lock.withLock {
                next += 1
                return next - 1
            }
        }
    }

    static let slots = SlotNumbers()
}
