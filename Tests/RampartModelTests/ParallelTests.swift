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

    @Test(arguments: [(0, 2), (1, 2), (511, 2), (512, 2), (3_000, 2), (100_000, 2), (100_000, 8), (100_000, 1)])
    func shrinkingSlicesCoverEveryItemOnceInOrderAndNeverGrow(_ shape: (items: Int, workers: Int)) {
        let slices = Parallel.shrinkingSlices(items: shape.items, workers: shape.workers, minimum: 256)
        #expect(slices.flatMap { Array($0) } == Array(0..<shape.items))
        // Each no larger than the one before, and none below the minimum but the last.
        #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.count >= $1.count })
        #expect(slices.dropLast().allSatisfy { $0.count >= 256 })
        if shape.workers == 1 || shape.items < 512 {
            #expect(slices.count == 1)
        } else {
            // A share of what is left per worker (the first of two workers' slices is a quarter of the work), down
            // to the minimum.
            #expect(slices[0].count == max(256, shape.items / (2 * shape.workers)))
            #expect(slices.last!.count <= 256)
        }
    }

    @Test func containsFindsAHitInAnySliceForAnyWorkerCount() {
        // Hits at the first and last items and on either side of the slice boundaries; each slice gives up once
        // told another has found something, so a flag that stopped slices too early would miss hits.
        for workers in [1, 2, 3, 8] {
            for hit in [nil, 0, 1, 124, 125, 332, 333, 334, 499, 500, 666, 667, 668, 998, 999] as [Int?] {
                let found = Parallel.contains(1_000, workers: workers, minimum: 10) { range, stopped in
                    for i in range {
                        if stopped() { return false }
                        if i == hit { return true }
                    }
                    return false
                }
                #expect(found == (hit != nil), "workers \(workers), hit \(String(describing: hit))")
            }
        }
    }

    @Test func containsCutsSlicesOnlyAboveTheMinimumAndCoversEveryItem() {
        // One search of every item below two slices' worth (or with one worker), several from two on.
        for (count, workers, minimum) in [(0, 4, 10), (19, 2, 10), (100, 1, 1)] {
            #expect(Parallel.contains(count, workers: workers, minimum: minimum) { range, _ in range == 0..<count })
        }
        for (count, workers, minimum) in [(20, 2, 10), (1_000, 3, 10)] {
            #expect(Parallel.contains(count, workers: workers, minimum: minimum) { range, _ in range.count < count })
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
