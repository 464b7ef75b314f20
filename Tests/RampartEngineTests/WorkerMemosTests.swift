import RampartPolicy
import Testing

/// A worker's memos: one per memo type, made on first use and kept.
@Suite struct WorkerMemosTests {
    final class Counter { var value = 0 }
    final class Names { var seen: [String] = [] }

    @Test func eachMemoTypeIsMadeOnceAndKept() {
        let memos = WorkerMemos()
        var made = 0
        for _ in 0..<3 {
            memos.withMemo({ made += 1; return Counter() }) { $0.value += 1 }
        }
        #expect(made == 1)
        #expect(memos.withMemo(Counter.init) { $0.value } == 3)
    }

    @Test func memosOfOtherTypesAreTheirOwnAndMayBeReachedFromInsideAnother() {
        let memos = WorkerMemos()
        memos.withMemo(Counter.init) { counter in
            counter.value = 5
            memos.withMemo(Names.init) { $0.seen.append("inside") }
        }
        #expect(memos.withMemo(Names.init) { $0.seen } == ["inside"])
        #expect(memos.withMemo(Counter.init) { $0.value } == 5)
        #expect(WorkerMemos().withMemo(Counter.init) { $0.value } == 0)
    }
}
