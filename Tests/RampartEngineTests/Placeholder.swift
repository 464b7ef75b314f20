import Testing

@Suite struct RampartEngineTestsPlaceholder {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
