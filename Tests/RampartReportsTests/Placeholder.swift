import Testing

@Suite struct RampartReportsTestsPlaceholder {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
