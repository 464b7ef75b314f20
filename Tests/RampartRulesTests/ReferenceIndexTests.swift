import RampartModel
import RampartPolicy
import Testing

/// The join index of references to a resource, by value and by property dependency.
@Suite struct ReferenceIndexTests {
    static let resources = """
    - { type: "test:index:Rule", name: r0, props: { group: Web } }
    - { type: "test:index:Rule", name: r1, props: { group: [web, db] } }
    - { type: "test:index:Rule", name: r2, props: { group: db } }
    - { type: "test:index:Rule", name: r3, props: { group: !unknown } }
    - { type: "test:index:Rule", name: r4, props: { group: web } }
    """

    @Test func referrersComeInGraphOrderOnceEachWhateverKeysFindThem() throws {
        let stack = try RuleHarness.stack(Self.resources)
        let index = ReferenceIndex.of(stack, ReferenceIndex.Query(types: ["test:index:Rule"], property: "group"))
        #expect(index.candidates(referencing: ["web"]) == [1, 4])
        #expect(index.candidates(referencing: ["db", "web", "db"]) == [1, 2, 4])
        #expect(index.candidates(referencing: ["nothing", ""]) == [])
        #expect(index.candidates(referencing: ["Web"]) == [0])
        #expect(index.opaque.map(\.index) == [3])
    }

    @Test func aCaseInsensitiveQueryHasAnIndexOfItsOwn() throws {
        let stack = try RuleHarness.stack(Self.resources)
        let exact = ReferenceIndex.of(stack, ReferenceIndex.Query(types: ["test:index:Rule"], property: "group"))
        let folded = ReferenceIndex.of(stack, ReferenceIndex.Query(types: ["test:index:Rule"], property: "group", caseInsensitive: true))
        #expect(exact.candidates(referencing: ["WEB"]) == [])
        #expect(folded.candidates(referencing: ["WEB"]) == [0, 1, 4])
        #expect(folded.caseInsensitive && !exact.caseInsensitive)
    }
}
