import Foundation

/// Memos one evaluating worker keeps across the resources it evaluates: answers that depend only on their input
/// and recur on nearly every resource (the classification of an object key's name, for instance). The engine makes
/// one with each worker's `DocumentHandle`; a policy reaches its own through `ResourceContext.withMemo(_:_:)`, one
/// memo per memo type.
///
/// A memo is used only inside `withMemo`, under this object's lock. A worker takes the lock once per evaluation and
/// nobody else ever does, so it costs an uncontended lock, not a cache line fought over by the cores (a memo shared
/// by all workers would be).
///
/// `@unchecked Sendable` is safe: `memos`, and every memo it holds, are only read and written under `lock`.
public final class WorkerMemos: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    /// By memo type. A worker holds a handful, so a scan comparing identifiers beats hashing one per evaluation.
    private var memos: [(type: ObjectIdentifier, memo: AnyObject)] = []

    public init() {}

    /// Calls `body` with the memo of type `M`, made by `make` on first use.
    public func withMemo<M: AnyObject, R>(_ make: () -> M, _ body: (M) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        let key = ObjectIdentifier(M.self)
        let memo: M
        if let found = memos.first(where: { $0.type == key }) {
            // Stored under `M`'s own identifier, so it is an `M`.
            memo = unsafeDowncast(found.memo, to: M.self)
        } else {
            memo = make()
            memos.append((key, memo))
        }
        return try body(memo)
    }
}
