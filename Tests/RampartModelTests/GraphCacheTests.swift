import RampartModel
import Testing

/// The graph's cache of derived data: one value per key, built once.
@Suite struct GraphCacheTests {
    @Test func aValueIsBuiltOnceAndKeysOfOneNameShareIt() {
        let cache = GraphCache()
        var builds = 0
        let first = cache.value(GraphCache.Key<[Int]>("graph-cache-test-shared")) { builds += 1; return [1, 2] }
        let second = cache.value(GraphCache.Key<[Int]>("graph-cache-test-shared")) { builds += 1; return [3] }
        #expect(first == [1, 2] && second == [1, 2])
        #expect(builds == 1)
    }

    @Test func anExistingValueIsReadWithoutBuildingAndTheFirstStoredWins() {
        let cache = GraphCache()
        let key = GraphCache.Key<[Int]>("graph-cache-test-existing")
        #expect(cache.existing(key) == nil)
        #expect(cache.value(key) { [1] } == [1])
        #expect(cache.existing(key) == [1])
        // A value built outside the lock, stored after another: the first stays.
        #expect(cache.value(key) { [2] } == [1])
        #expect(GraphCache().existing(key) == nil)
    }

    @Test func oneNameWithTwoTypesKeepsTwoValues() {
        let cache = GraphCache()
        let number = cache.value(GraphCache.Key<Int>("graph-cache-test-typed")) { 7 }
        let text = cache.value(GraphCache.Key<String>("graph-cache-test-typed")) { "seven" }
        #expect(number == 7 && text == "seven")
        #expect(cache.value(GraphCache.Key<Int>("graph-cache-test-typed")) { 0 } == 7)
        #expect(cache.value(GraphCache.Key<String>("graph-cache-test-typed")) { "" } == "seven")
    }

    @Test func uniqueKeysNeverShareAndEachCacheHasItsOwnValues() {
        let a = GraphCache.Key<Int>.unique(), b = GraphCache.Key<Int>.unique()
        let cache = GraphCache(), other = GraphCache()
        #expect(cache.value(a) { 1 } == 1)
        #expect(cache.value(b) { 2 } == 2)
        #expect(cache.value(a) { 3 } == 1)
        #expect(other.value(a) { 4 } == 4)
    }

    @Test func buildingOneValueMayAskForAnother() {
        let cache = GraphCache()
        let inner = GraphCache.Key<Int>.unique(), outer = GraphCache.Key<Int>.unique()
        let value = cache.value(outer) { cache.value(inner) { 20 } + 1 }
        #expect(value == 21)
        #expect(cache.value(inner) { 0 } == 20)
        #expect(cache.value(outer) { 0 } == 21)
    }
}
