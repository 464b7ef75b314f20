import RampartModel
import Testing

/// Work spread over workers must come back exactly as one worker would produce it.
@Suite struct ParallelTests {
    @Test func mapReturnsResultsInTaskOrderForAnyWorkerCount() {
        for workers in [1, 2, 7] {
            #expect(Parallel.map(100, workers: workers) { $0 * $0 } == (0..<100).map { $0 * $0 })
        }
        #expect(Parallel.map(0, workers: 4) { $0 }.isEmpty)
    }

    @Test func slicesCoverEveryItemOnceInOrder() {
        for (items, tasks) in [(0, 1), (10, 3), (100_000, 8), (5, 8)] {
            let covered = (0..<tasks).flatMap { Array(Parallel.slice($0, of: tasks, items: items)) }
            #expect(covered == Array(0..<items))
        }
    }

    @Test func parallelSortEqualsAStableSortIncludingTies() {
        // Pairs (key, position): sorting by key only must keep equal keys in input order.
        var state: UInt64 = 7
        let items = (0..<100_000).map { position -> (key: Int, position: Int) in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Int(state >> 54), position)
        }
        let expected = items.sorted { $0.key < $1.key }
        for workers in [1, 2, 3, 8] {
            let sorted = Parallel.sorted(items, workers: workers, minimum: 1_000) { $0.key < $1.key }
            #expect(sorted.map(\.position) == expected.map(\.position), "workers \(workers)")
        }
    }
}
