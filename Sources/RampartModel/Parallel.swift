import Foundation

/// Runs independent tasks on all cores and returns their results in task order, so the output never depends on
/// scheduling.
public enum Parallel {
    /// `body(0) … body(count - 1)`, spread over worker threads; on the calling thread when there is one task or
    /// `workers` is 1.
    public static func map<Result: Sendable>(_ count: Int, workers: Int,
                                             _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
        guard count > 1, workers > 1 else { return (0..<max(0, count)).map(body) }
        let slots = Slots<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, body($0)) }
        return slots.collect()
    }

    /// How many tasks to cut `items` units of work into: one per `minimum` items, at most four per worker (so an
    /// uneven task does not leave a core idle), and one when there is a single worker.
    public static func taskCount(items: Int, workers: Int, minimum: Int) -> Int {
        workers <= 1 ? 1 : max(1, min(workers * 4, items / max(1, minimum)))
    }

    /// The `task`-th of `tasks` contiguous, nearly equal slices of `0..<items`.
    public static func slice(_ task: Int, of tasks: Int, items: Int) -> Range<Int> {
        let size = (items + tasks - 1) / max(1, tasks)
        return min(task * size, items)..<min((task + 1) * size, items)
    }
}

/// Per-task result storage for `concurrentPerform`.
/// `@unchecked Sendable` is safe here: each task writes exactly one distinct index, under a lock, and `collect`
/// runs only after `concurrentPerform` has returned.
private final class Slots<Element: Sendable>: @unchecked Sendable {
    private var slots: [Element?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Element) {
        lock.withLock { slots[index] = value }
    }

    /// The values in task order; every task has set its slot.
    func collect() -> [Element] { lock.withLock { slots.map { $0! } } }
}
