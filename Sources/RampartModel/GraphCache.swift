import Foundation

/// Derived data computed once per resource graph and shared by every policy that asks for it (join indexes).
/// Policies are values evaluated concurrently; the cache is the one place a graph keeps mutable state.
///
/// `@unchecked Sendable` is safe: `values` is only read and written under `lock`. The lock is recursive so that
/// building one entry may ask for another.
public final class GraphCache: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var values: [String: any Sendable] = [:]

    public init() {}

    /// The value cached under `key`, building it on first use.
    public func value<T: Sendable>(_ key: String, build: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        if let cached = values[key] as? T { return cached }
        let built = build()
        values[key] = built
        return built
    }
}
