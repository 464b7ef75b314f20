import RampartJSON
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

    /// A side with no link in the graph (a resource analysed alone links to nothing in it) is empty for every
    /// resource, and the other side is still built.
    @Test func aSideWithoutLinksIsEmptyForEveryResource() {
        var parent = Resource(urn: Self.urn("parent", type: "pkg:index:Component"))
        parent.parent = "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod"  // outside the graph
        var child = Resource(urn: Self.urn("child"))
        child.parent = parent.urn.rawValue
        var dependent = Resource(urn: Self.urn("dependent"))
        dependent.dependencies = [parent.urn.rawValue]
        for jobs in [1, 2] {
            let parentsOnly = ResourceGraph(resources: [parent, child], jobs: jobs)
            #expect(Array(parentsOnly.children(of: 0)) == [1])
            #expect((0..<2).allSatisfy { parentsOnly.dependents(of: $0).isEmpty && parentsOnly.children(of: 1).isEmpty })
            let dependenciesOnly = ResourceGraph(resources: [parent, dependent], jobs: jobs)
            #expect(Array(dependenciesOnly.dependents(of: 0)) == [1])
            #expect((0..<2).allSatisfy { dependenciesOnly.children(of: $0).isEmpty && dependenciesOnly.dependents(of: 1).isEmpty })
            let unlinked = ResourceGraph(resources: [parent, Resource(urn: Self.urn("alone"))], jobs: jobs)
            #expect((0..<2).allSatisfy { unlinked.children(of: $0).isEmpty && unlinked.dependents(of: $0).isEmpty })
            #expect(unlinked.children(of: 1).first == nil && Array(unlinked.dependents(of: 0)) == [])
        }
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
        #expect(Array(graph.children(of: 1)) == [2])
        #expect(graph.dependencies(of: 2) == [0, 1])
        #expect(Array(graph.dependents(of: 0)) == [2])
        #expect(graph.provider(of: 2) == 0)
        let stored = graph.resources[2]
        #expect(stored.parent == parent.urn.rawValue)
        #expect(stored.dependencies == [provider.urn.rawValue, "urn:pulumi:prod::shop::x:y:Z::missing"])
        #expect(stored.propertyDependencies.map(\.urns) == [[parent.urn.rawValue]])
        #expect(stored.provider?.id == "id-2")
        #expect(graph.resources[1].provider?.id == "id-1")
        #expect(stored.type == "aws:s3/bucket:Bucket")
    }

    @Test func linksAreTheSameForAnyNumberOfWorkers() {
        func resources() -> [Resource] {
            (0..<20_000).map { i in
                var resource = Resource(urn: Self.urn("r\(i)", type: i % 3 == 0 ? "aws:ec2/instance:Instance" : "aws:s3/bucket:Bucket"))
                if i > 0 { resource.parent = Self.urn("r\(i / 2)").rawValue }
                resource.dependencies = [i - 1, i - 7, i - 7, i + 5].filter { $0 >= 0 }.map { Self.urn("r\($0)").rawValue }
                    + ["urn:pulumi:prod::shop::x:y:Z::outside"]
                resource.propertyDependencies = [(property: "p", urns: [Self.urn("r\(i / 3)").rawValue])]
                resource.provider = ProviderReference(Self.urn("r0").rawValue + "::id-\(i % 4)")
                return resource
            }
        }
        let one = ResourceGraph(resources: resources(), jobs: 1)
        let many = ResourceGraph(resources: resources(), jobs: 4)
        for i in 0..<20_000 {
            #expect(one.parent(of: i) == many.parent(of: i))
            #expect(one.children(of: i) == many.children(of: i))
            #expect(one.dependencies(of: i) == many.dependencies(of: i))
            #expect(one.dependents(of: i) == many.dependents(of: i))
            #expect(one.provider(of: i) == many.provider(of: i))
            #expect(one.resources[i].dependencies == many.resources[i].dependencies)
            #expect(one.resources[i].type == many.resources[i].type)
        }
        #expect(Array(many.children(of: 1)) == [2, 3])
        #expect(Array(many.dependents(of: 7)) == [2, 8, 14, 21, 22, 23])
        // Every list, against one worked out plainly: children and dependents in resource order, each once.
        var children = [[Int]](repeating: [], count: 20_000), dependents = [[Int]](repeating: [], count: 20_000)
        for i in 0..<20_000 {
            if let p = one.parent(of: i) { children[p].append(i) }
            for d in Set(one.dependencies(of: i)) { dependents[d].append(i) }
        }
        let same = (0..<20_000).allSatisfy { Array(many.children(of: $0)) == children[$0] && Array(many.dependents(of: $0)) == dependents[$0] }
        #expect(same)
        #expect(many.indexes(ofType: "aws:ec2/instance:Instance").count == 6_667)
    }

    @Test func whichLiveResourcesAreExternalIsKnownByTheirIndexWhateverTheWorkers() {
        // Tombstones and pending replacements leave the live list, so live indexes are not input positions.
        let resources = (0..<12_000).map { i in
            var resource = Resource(urn: Self.urn("r\(i)"))
            resource.external = i % 7 == 3
            resource.delete = i % 1_000 == 5
            resource.pendingReplacement = i % 1_000 == 6
            return resource
        }
        for jobs in [1, 4] {
            let graph = ResourceGraph(resources: resources, jobs: jobs)
            #expect(graph.resources.count == 11_976)
            let mismatched = graph.resources.indices.filter { graph.isExternal($0) != graph.resources[$0].external }
            #expect(mismatched.isEmpty)
            #expect(graph.resources.indices.filter(graph.isExternal).count == resources.filter { $0.external && !$0.delete && !$0.pendingReplacement }.count)
        }
    }
}

/// Type tokens are indexed by their bytes; strings that Swift holds equal but that differ in bytes still give one
/// entry (and no crash).
@Suite struct ResourceGraphTypeIndexTests {
    @Test func canonicallyEquivalentTypeTokensShareOneEntry() {
        let composed = "pkg:index:Caf\u{E9}"
        let decomposed = "pkg:index:Cafe\u{301}"
        let resources = [composed, decomposed, "pkg:index:Other", composed].enumerated().map { i, type in
            Resource(urn: URN("urn:pulumi:prod::shop::\(type)::r\(i)")!, type: type)
        }
        for jobs in [1, 4] {
            let graph = ResourceGraph(resources: resources, jobs: jobs)
            #expect(graph.indexes(ofType: composed) == [0, 1, 3])
            #expect(graph.indexes(ofType: decomposed) == [0, 1, 3])
            #expect(graph.indexes(ofType: "pkg:index:Other") == [2])
            #expect(graph.types.count == 2)
        }
    }

    @Test func rarelySetFieldsReadBackAndCopiesStayIndependent() {
        var resource = Resource(urn: URN("urn:pulumi:prod::shop::aws:s3/bucket:Bucket::b")!)
        #expect(resource.aliases.isEmpty && resource.importID == nil && resource.providerRaw == nil)
        resource.aliases = ["urn:pulumi:prod::shop::aws:s3/bucket:Bucket::old"]
        resource.importID = "imported"
        let copy = resource
        resource.aliases = []
        resource.deletedWith = "urn:pulumi:prod::shop::pkg:index:Owner::o"
        resource.initErrors = ["boom"]
        resource.additionalSecretOutputs = ["secret"]
        resource.providerRaw = "not-a-reference"
        resource.sourcePosition = SourcePosition("project:///index.ts#3,1")
        #expect(copy.aliases == ["urn:pulumi:prod::shop::aws:s3/bucket:Bucket::old"])
        #expect(copy.importID == "imported" && copy.deletedWith == nil && copy.initErrors.isEmpty)
        #expect(resource.aliases.isEmpty && resource.importID == "imported")
        #expect(resource.deletedWith == "urn:pulumi:prod::shop::pkg:index:Owner::o")
        #expect(resource.initErrors == ["boom"] && resource.additionalSecretOutputs == ["secret"])
        #expect(resource.providerRaw == "not-a-reference" && resource.sourcePosition?.line == 3)
        resource.importID = nil
        #expect(resource.importID == nil && copy.importID == "imported")
    }
}

/// `ResourceGraph.documents`: every parsed document the stack's properties are read from, each storage once, so a
/// search of all property values (the secret redactor's) looks through each document once.
@Suite struct ResourceGraphDocumentsTests {
    static func resource(_ name: String, inputs: JSONNode? = nil, outputs: JSONNode? = nil, delete: Bool = false) -> Resource {
        var resource = Resource(urn: ResourceGraphTests.urn(name))
        resource.inputs = inputs.map { PropertyValue(node: $0) }
        resource.outputs = outputs.map { PropertyValue(node: $0) }
        resource.delete = delete
        return resource
    }

    @Test func eachStorageIsListedOnceInTheOrderFirstMetWhateverTheWorkers() throws {
        let shared = try JSONDocument.parse(#"{"resources": [{"a": 1}, {"b": 2}]}"#)
        let handle = shared.sharingStorage()
        let other = try JSONDocument.parse(#"{"c": 3}"#)
        let elements = shared.root["resources"]!.elements.map { $0 }
        // 9,000 resources (several slices on four workers): the shared document through both handles, and the
        // other document only far down the list, on another worker's slice.
        let resources = (0..<9_000).map { i -> Resource in
            if i == 8_500 { return Self.resource("r\(i)", inputs: other.root) }
            let element = i % 2 == 0 ? elements[i % 2] : elements[i % 2].reading(through: handle)
            return Self.resource("r\(i)", inputs: element, outputs: i % 3 == 0 ? element : nil)
        }
        for jobs in [1, 4] {
            let graph = ResourceGraph(resources: resources, jobs: jobs)
            #expect(graph.documents.map(\.storageIdentity) == [shared.storageIdentity, other.storageIdentity])
        }
    }

    /// The first few documents are compared in turn, later ones through a set: either way each once, in the order
    /// first met, whatever the workers.
    @Test func manyDocumentsAreEachListedOnceInTheOrderFirstMet() throws {
        let documents = try (0..<20).map { try JSONDocument.parse(#"{"n": \#($0)}"#) }
        // Documents 0–19 met in turn, each met again at once and after others, then all again in reverse, then 9,000
        // more (several slices on four workers, each meeting every document again).
        let order = (0..<20).flatMap { [$0, $0, max(0, $0 - 3)] } + (0..<20).reversed() + (0..<9_000).map { ($0 * 7) % 20 }
        let resources = order.enumerated().map { i, d in Self.resource("r\(i)", inputs: documents[d].root) }
        for jobs in [1, 4] {
            let graph = ResourceGraph(resources: resources, jobs: jobs)
            #expect(graph.documents.map(\.storageIdentity) == documents.map(\.storageIdentity))
        }
    }

    @Test func documentsOfTombstonesAndPendingOperationsAreListedAfterTheLiveOnes() throws {
        let live = try JSONDocument.parse(#"{"a": 1}"#)
        let deleted = try JSONDocument.parse(#"{"b": 2}"#)
        let pending = try JSONDocument.parse(#"{"c": 3}"#)
        let graph = ResourceGraph(
            resources: [Self.resource("gone", outputs: deleted.root, delete: true), Self.resource("here", inputs: live.root),
                        Self.resource("bare")],
            pendingOperations: [PendingOperation(resource: Self.resource("creating", inputs: pending.root), type: "creating")])
        #expect(graph.documents.map(\.storageIdentity) == [live, deleted, pending].map(\.storageIdentity))
    }

    @Test func aStackWithoutPropertiesHasNoDocuments() {
        #expect(ResourceGraph(resources: [Self.resource("bare")]).documents.isEmpty)
    }
}
