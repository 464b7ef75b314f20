import RampartModel
import Testing

/// The graph's URN index and the string sharing done while links are resolved.
@Suite struct ResourceGraphTests {
    static func urn(_ name: String, type: String = "aws:s3/bucket:Bucket") -> URN {
        URN("urn:pulumi:prod::shop::\(type)::\(name)")!
    }

    @Test func everyURNOfABigStackIsFoundAndUnknownOnesAreNot() {
        let resources = (0..<50_000).map { Resource(urn: Self.urn("bucket-\($0)")) }
        let graph = ResourceGraph(resources: resources)
        for i in stride(from: 0, to: 50_000, by: 7) { #expect(graph.index(of: Self.urn("bucket-\(i)").rawValue) == i) }
        #expect(graph.index(of: Self.urn("bucket-50000").rawValue) == nil)
        #expect(graph.index(of: "") == nil)
        #expect(graph.index(of: "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::bucket-1 ") == nil)
    }

    @Test func laterDuplicateURNWins() {
        var first = Resource(urn: Self.urn("a"))
        first.id = "first"
        var second = Resource(urn: Self.urn("a"))
        second.id = "second"
        let graph = ResourceGraph(resources: [first, Resource(urn: Self.urn("b")), second])
        #expect(graph.index(of: Self.urn("a").rawValue) == 2)
        #expect(graph.resource(Self.urn("a").rawValue)?.id == "second")
    }

    @Test func linksResolveAndReferencesKeepTheirTextAfterSharing() {
        let provider = Resource(urn: Self.urn("default", type: "pulumi:providers:aws"))
        var parent = Resource(urn: Self.urn("parent", type: "pkg:index:Component"))
        parent.provider = ProviderReference(Self.urn("default", type: "pulumi:providers:aws").rawValue + "::id-1")
        var child = Resource(urn: Self.urn("child"))
        child.parent = parent.urn.rawValue
        child.dependencies = [provider.urn.rawValue, "urn:pulumi:prod::shop::x:y:Z::missing"]
        child.propertyDependencies = [(property: "bucket", urns: [parent.urn.rawValue])]
        child.provider = ProviderReference(Self.urn("default", type: "pulumi:providers:aws").rawValue + "::id-2")
        let graph = ResourceGraph(resources: [provider, parent, child])
        #expect(graph.parent(of: 2) == 1)
        #expect(graph.children(of: 1) == [2])
        #expect(graph.dependencies(of: 2) == [0, 1])
        #expect(graph.dependents(of: 0) == [2])
        #expect(graph.provider(of: 2) == 0)
        let stored = graph.resources[2]
        #expect(stored.parent == parent.urn.rawValue)
        #expect(stored.dependencies == [provider.urn.rawValue, "urn:pulumi:prod::shop::x:y:Z::missing"])
        #expect(stored.propertyDependencies.map(\.urns) == [[parent.urn.rawValue]])
        #expect(stored.provider?.id == "id-2")
        #expect(graph.resources[1].provider?.id == "id-1")
        #expect(stored.type == "aws:s3/bucket:Bucket")
    }
}
