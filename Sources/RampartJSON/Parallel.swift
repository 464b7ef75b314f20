import Foundation
import Synchronization

/// Runs independent tasks on all cores and returns their results in task order, so the output never depends on
/// scheduling.
public enum Parallel {
    /// The cores this process may use (`ProcessInfo.activeProcessorCount`), asked once: on Linux each ask reads the
    /// control group's CPU quota files, and a scan asked three times on its way to its first byte.
    public static let availableCores = ProcessInfo.processInfo.activeProcessorCount

    /// `body(0) … body(count - 1)`, spread over worker threads; on the calling thread when there is one task or
    /// `workers` is 1.
    ///
    /// Inlinable, so the one-thread case is a loop specialised for the caller's `Result`: a generic `map` over a range
    /// looks up type metadata per call, which a one-resource graph built per analyzer call paid three times.
    @inlinable
    public static func map<Result: Sendable>(_ count: Int, workers: Int,
                                             _ body: @Sendable (Int) -> Result) -> [Result] {
        guard count > 1, workers > 1 else {
            var results: [Result] = []
            results.reserveCapacity(max(0, count))
            for i in 0..<max(0, count) { results.append(body(i)) }
            return results
        }
        return concurrentMap(count, body)
    }

    @usableFromInline
    static func concurrentMap<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        let slots = Slots<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, body($0)) }
        return slots.collect()
    }

    /// How many tasks to cut `items` units of work into: one per `minimum` items, at most `perWorker` per worker (so
    /// an uneven task does not leave a core idle), and one when there is a single worker.
    public static func taskCount(items: Int, workers: Int, minimum: Int, perWorker: Int = 4) -> Int {
        workers <= 1 ? 1 : max(1, min(workers * max(1, perWorker), items / max(1, minimum)))
    }

    /// `items` sorted by `areInIncreasingOrder`: slices are sorted on the workers, then merged. Stable, like
    /// `sorted(by:)`, so the result is the same for any number of workers.
    public static func sorted<Element: Sendable>(_ items: [Element], workers: Int, minimum: Int = 16_384,
                                                 by areInIncreasingOrder: @Sendable (Element, Element) -> Bool) -> [Element] {
        let tasks = taskCount(items: items.count, workers: workers, minimum: minimum)
        guard tasks > 1 else { return items.sorted(by: areInIncreasingOrder) }
        var runs = map(tasks, workers: workers) { task in items[slice(task, of: tasks, items: items.count)].sorted(by: areInIncreasingOrder) }
        while runs.count > 1 {
            var merged: [[Element]] = []
            for pair in stride(from: 0, to: runs.count, by: 2) {
                merged.append(pair + 1 < runs.count ? merge(runs[pair], runs[pair + 1], areInIncreasingOrder) : runs[pair])
            }
            runs = merged
        }
        return runs[0]
    }

    /// Merges two sorted runs; on ties the element of `left` (earlier in the input) comes first, so merging the
    /// sorted slices of a list in turn gives the order one stable sort of it gives. Inlinable, so a caller in
    /// another module gets it specialised for its elements and comparison.
    @inlinable
    public static func merge<Element>(_ left: [Element], _ right: [Element], _ less: (Element, Element) -> Bool) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(left.count + right.count)
        var i = 0, j = 0
        while i < left.count && j < right.count {
            if less(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out.append(contentsOf: left[i...])
        out.append(contentsOf: right[j...])
        return out
    }

    /// Whether `search` finds something in `0..<count`, searched as up to `workers` contiguous slices (one per
    /// `minimum` items at least) on as many threads. Each slice is given `stopped`, which turns true once another
    /// slice has found something: a slice asks it every so often and gives up, so a hit anywhere ends every slice
    /// early, as it ends a search on one thread. The answer is the same for any number of workers.
    public static func contains(_ count: Int, workers: Int, minimum: Int,
                                _ search: @Sendable (_ range: Range<Int>, _ stopped: () -> Bool) -> Bool) -> Bool {
        // One slice per worker: what is asked of each item is the same, so there is nothing to balance.
        let tasks = Swift.min(workers, count / Swift.max(1, minimum))
        guard tasks > 1 else { return search(0..<Swift.max(0, count), { false }) }
        let hit = HitFlag()
        _ = map(tasks, workers: workers) { task in
            if search(slice(task, of: tasks, items: count), { hit.isSet }) { hit.set() }
        }
        return hit.isSet
    }

    /// The `task`-th of `tasks` contiguous, nearly equal slices of `0..<items`.
    public static func slice(_ task: Int, of tasks: Int, items: Int) -> Range<Int> {
        let size = (items + tasks - 1) / max(1, tasks)
        return min(task * size, items)..<min((task + 1) * size, items)
    }

    /// `0..<items` cut into contiguous slices, in order, that shrink as the work runs out: each takes a
    /// `1/(2 × workers)` share of what the slices before it left, but at least `minimum` items (the last takes what
    /// is left). Workers taking slices in order then finish within about one small slice of each other, where
    /// slices of one size leave a worker alone with the last of them. One slice with a single worker, or too few
    /// items to cut.
    public static func shrinkingSlices(items: Int, workers: Int, minimum: Int) -> [Range<Int>] {
        let minimum = max(1, minimum)
        guard workers > 1, items >= 2 * minimum else { return [0..<max(0, items)] }
        var slices: [Range<Int>] = []
        var start = 0
        while start < items {
            let remaining = items - start
            let size = min(remaining, max(minimum, remaining / (2 * workers)))
            slices.append(start..<start + size)
            start += size
        }
        return slices
    }
}

/// Whether some slice of `Parallel.contains` has found something. Relaxed: it only tells the others they may stop;
/// the answer is read after every slice has returned.
private final class HitFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
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
