import Foundation

/// Derived data computed once per resource graph and shared by every policy that asks for it (join indexes).
/// Policies are values evaluated concurrently; the cache is the one place a graph keeps mutable state.
///
/// `@unchecked Sendable` is safe: `values` is only read and written under `lock`. The lock is recursive so that
/// building one entry may ask for another.
public final class GraphCache: @unchecked Sendable {
    /// One cached value, boxed in a class: reading it back is a class cast, not the unboxing of an existential
    /// (joins look their index up once per resource they judge).
    private final class Entry<Value: Sendable> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let lock = NSRecursiveLock()
    private var values: [String: AnyObject] = [:]

    public init() {}

    /// The value cached under `key`, building it on first use.
    public func value<T: Sendable>(_ key: String, build: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let cached = values[key] as? Entry<T> { return cached.value }
        let built = build()
        values[key] = Entry(built)
        return built
    }
}
