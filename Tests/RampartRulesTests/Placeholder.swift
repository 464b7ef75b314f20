import Testing

@Suite struct RampartRulesTestsPlaceholder {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
