import Testing

@Suite struct RampartBuiltinsTestsPlaceholder {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
