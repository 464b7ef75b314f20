import Foundation
import RampartInputs
import RampartModel
import Testing

@Suite struct StateReaderTests {
    static let counts: [(String, Int, Int)] = [
        ("state/export/aws-lambda-s3-passphrase.json", 17, 0),
        ("state/export/awsx-vpc-nlb-components.json", 23, 0),
        ("state/export/azure-aks-cluster.json", 4, 0),
        ("state/export/azure-sql-random-password.json", 9, 0),
        ("state/export/eks-cluster-kubernetes-components.json", 39, 0),
        ("state/export/gcp-compute-firewall.json", 4, 0),
        ("state/export/gcp-iam-member-custom-role.json", 6, 0),
        ("state/export/gcp-sql-user-password.json", 4, 0),
        ("state/export/random-password-plaintext-secrets.json", 3, 0),
        ("state/diy/checkpoint-v0-legacy-delete-flag.json", 44, 1),
        ("state/diy/checkpoint-v3-b64-secrets.json", 30, 0),
        ("state/diy/checkpoint-v4-features.json", 30, 0),
        ("state/diy/kloudlib-history-dev-1553911124083274026.checkpoint.json", 15, 0),
        ("state/diy/kloudlib-stacks-dev.json", 0, 0),
    ]

    @Test(arguments: counts)
    func readsEverySampleWithItsResourceCount(file: String, live: Int, tombstones: Int) throws {
        let stack = try Fixture.read(file)
        #expect(stack.graph.count == live)
        #expect(stack.graph.tombstones.count == tombstones)
        #expect(stack.propertySource == .outputs)
    }

    @Test func stateExportIdentityComesFromTheStackURN() throws {
        let stack = try Fixture.read("state/export/aws-lambda-s3-passphrase.json")
        #expect(stack.identity.stack == "dev")
        #expect(stack.identity.project == "sample")
        #expect(stack.kind == .stateExport)
        #expect(stack.secretsProvider?.type == "passphrase")
    }

    @Test func checkpointIdentityComesFromTheCheckpointStackField() throws {
        let stack = try Fixture.read("state/diy/checkpoint-v4-features.json")
        #expect(stack.kind == .checkpoint)
        #expect(stack.version == 4)
        #expect(stack.features == ["refreshBeforeUpdate"])
        #expect(stack.secretsProvider?.type == "b64")
    }

    @Test func plaintextSecretsDecodeTheirJSONEncodedValue() throws {
        let stack = try Fixture.read("state/export/random-password-plaintext-secrets.json")
        let password = try #require(stack.graph.resources.first { $0.type == "random:index/randomPassword:RandomPassword" })
        let result = try #require(password.outputs?["result"])
        #expect(result.kind == .secret)
        guard case .decrypted(let inner)? = result.secret else { Issue.record("expected a decrypted secret"); return }
        #expect(inner.kind == .string)
        #expect((inner.string ?? "").count > 0)
    }

    @Test func ciphertextSecretsStayEncrypted() throws {
        let stack = try Fixture.read("state/export/gcp-sql-user-password.json")
        let user = try #require(stack.graph.resources.first { $0.type == "gcp:sql/user:User" })
        let password = try #require(user.outputs?["password"])
        #expect(password.kind == .secret)
        guard case .encrypted? = password.secret else { Issue.record("expected an encrypted secret"); return }
        // The same password leaks as plaintext in the inputs (docs/formats.md §3).
        #expect(user.inputs?["password"]?.kind == .string)
    }

    @Test func providersAndParentsLink() throws {
        let stack = try Fixture.read("state/export/random-password-plaintext-secrets.json")
        let graph = stack.graph
        let index = try #require(graph.resources.firstIndex { $0.type == "random:index/randomPassword:RandomPassword" })
        let provider = try #require(graph.provider(of: index))
        #expect(graph.resources[provider].type == "pulumi:providers:random")
        #expect(graph.resources[index].provider?.id == "f1240041-83ec-4ced-8da3-5a441959b653")
        let parent = try #require(graph.parent(of: index))
        #expect(graph.resources[parent].type == "pulumi:pulumi:Stack")
        #expect(graph.children(of: parent).contains(index))
    }

    @Test func dollarChainedURNsGiveTheOwnTypeAndAncestors() throws {
        let stack = try Fixture.read("state/export/eks-cluster-kubernetes-components.json")
        let nested = try #require(stack.graph.resources.first { $0.urn.qualifiedType.contains("$") })
        #expect(nested.type == nested.urn.type)
        #expect(!nested.urn.ancestorTypes.isEmpty)
        #expect(stack.graph.indexes(ofType: "eks:index:Cluster").count == 1)
    }

    @Test func assetsAndArchivesAreTheirOwnKinds() throws {
        let stack = try Fixture.read("state/export/aws-lambda-s3-passphrase.json")
        let kinds = stack.graph.resources.flatMap { r in (r.outputs?.members ?? []).map(\.value.kind) }
        #expect(kinds.contains(.archive))
    }

    @Test func resourceReferencesExposeTheirURN() throws {
        let stack = try Fixture.read("state/export/eks-cluster-kubernetes-components.json")
        var found: [String] = []
        for resource in stack.graph.resources {
            for (_, value) in resource.outputs?.members ?? [] where value.kind == .resourceReference {
                if let urn = value.referencedURN { found.append(urn) }
            }
        }
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.hasPrefix("urn:pulumi:") })
    }

    @Test func dependenciesGiveDependents() throws {
        let stack = try Fixture.read("state/export/awsx-vpc-nlb-components.json")
        let graph = stack.graph
        let withDeps = try #require(graph.resources.indices.first { !graph.dependencies(of: $0).isEmpty })
        for dep in graph.dependencies(of: withDeps) { #expect(graph.dependents(of: dep).contains(withDeps)) }
    }

    @Test func legacyPreVersionedShapeKeepsTombstonesApart() throws {
        let stack = try Fixture.read("state/diy/checkpoint-v0-legacy-delete-flag.json")
        #expect(stack.version == 0)
        #expect(stack.graph.tombstones.allSatisfy { $0.delete })
    }

    @Test func checkpointWithoutLatestHasNoResources() throws {
        let text = #"{"version":3,"checkpoint":{"stack":"organization/p/dev"}}"#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "dev.json"))
        #expect(stack.graph.count == 0)
        #expect(stack.identity == StackIdentity(organization: "organization", project: "p", stack: "dev"))
    }

    @Test func pendingOperationsAreSurfaced() throws {
        let text = #"""
        {"version":3,"deployment":{"manifest":{"time":"2024-01-01T00:00:00Z","magic":"","version":"v3"},
         "resources":[{"urn":"urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev","custom":false,"type":"pulumi:pulumi:Stack"},
           {"urn":"urn:pulumi:dev::p::aws:s3/bucket:Bucket::old","custom":true,"type":"aws:s3/bucket:Bucket","pendingReplacement":true,"protect":true}],
         "pending_operations":[{"resource":{"urn":"urn:pulumi:dev::p::aws:s3/bucket:Bucket::b","custom":true,"type":"aws:s3/bucket:Bucket"},"type":"creating"}]}}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "x.json"))
        #expect(stack.graph.pendingOperations.count == 1)
        #expect(stack.graph.pendingOperations.first?.type == "creating")
        #expect(stack.graph.pendingReplacements.count == 1)
        #expect(stack.graph.pendingReplacements.first?.protect == true)
        #expect(stack.graph.count == 1)
    }

    @Test func gzippedCheckpointsRead() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixture.sample("state/diy/checkpoint-v3-b64-secrets.json")))
        let dir = try Fixture.temporaryDirectory()
        let plain = dir + "/dev.json"
        try original.write(to: URL(fileURLWithPath: plain))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [plain]
        try gzip.run()
        gzip.waitUntilExit()
        let stack = try InputReader().read(InputSource(path: plain + ".gz"))
        #expect(stack.graph.count == 30)
    }

    @Test func unknownSignatureValuesAreNoticedNotFatal() throws {
        let text = #"""
        {"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:dev::p::x:y:Z::a","custom":true,"type":"x:y:Z",
          "outputs":{"odd":{"4dabf18193072939515e22adb298388d":"ffffffffffffffffffffffffffffffff"}}}]}}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "x.json"))
        #expect(stack.graph.resources[0].outputs?["odd"]?.kind == .invalidSignature)
        #expect(stack.notices.count == 1)
    }

    @Test func nanAndByteStringSignaturesDecode() throws {
        let text = #"""
        {"version":4,"features":["byteString"],"deployment":{"resources":[{"urn":"urn:pulumi:dev::p::x:y:Z::a","custom":true,"type":"x:y:Z",
          "outputs":{"n":{"4dabf18193072939515e22adb298388d":"8ad145fe-0d11-4827-bfd7-1abcbf086f5c","value":"7ff8000000000000"},
                     "b":{"4dabf18193072939515e22adb298388d":"803fd3297a5875dc03ca845dda5d2a98","value":"/w=="}}}]}}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "x.json"))
        let outputs = try #require(stack.graph.resources[0].outputs)
        #expect(outputs["n"]?.kind == .specialNumber)
        #expect(outputs["n"]?.number?.isNaN == true)
        #expect(outputs["b"]?.kind == .byteString)
        #expect(stack.notices.isEmpty)
    }
}

/// What the decoder keeps as places in the input (ids, timestamps) and shares between resources (providers, types,
/// parents) reads back exactly as written.
@Suite struct ResourceDecodingTests {
    static func state(_ resources: [String]) -> String {
        #"{"version":3,"deployment":{"resources":["# + resources.joined(separator: ",") + "]}}"
    }

    @Test func providersInRunsAndAlternatingReadBackTheirOwnReference() throws {
        let providerA = "urn:pulumi:s::p::pulumi:providers:aws::a"
        let providerB = "urn:pulumi:s::p::pulumi:providers:aws::b"
        let refs = ["\(providerA)::id-1", "\(providerA)::id-1", "\(providerB)::id-2", "\(providerA)::id-1", "\(providerA)::id-3",
                    "no-double-colon", "", "\(providerB)::"]
        let resources = [#"{"urn":"\#(providerA)","type":"pulumi:providers:aws","id":"id-1"}"#,
                         #"{"urn":"\#(providerB)","type":"pulumi:providers:aws","id":"id-2"}"#]
            + refs.enumerated().map { i, ref in #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b\#(i)","type":"aws:s3/bucket:Bucket","provider":"\#(ref)"}"# }
        let graph = try InputReader().read(bytes: Array(Self.state(resources).utf8), source: InputSource(path: "s.json")).graph
        let read = graph.resources.dropFirst(2).map { ($0.provider.map { "\($0.urn)::\($0.id)" }, $0.providerRaw) }
        #expect(read.map(\.0) == ["\(providerA)::id-1", "\(providerA)::id-1", "\(providerB)::id-2", "\(providerA)::id-1",
                                  "\(providerA)::id-3", nil, nil, "\(providerB)::"])
        #expect(read.map(\.1) == [nil, nil, nil, nil, nil, "no-double-colon", nil, nil])
        #expect((2..<7).map { graph.provider(of: $0) } == [0, 0, 1, 0, 0])
    }

    /// Keys and values written with escapes read as their plain spellings do: the decoder numbers plain keys in
    /// place and decodes the others.
    @Test func escapedKeysAndValuesReadAsTheirPlainSpellings() throws {
        let plain = #"""
        {"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","type":"aws:s3/bucket:Bucket","custom":true,"protect":true,
         "parent":"urn:pulumi:s::p::pulumi:pulumi:Stack::p-s","provider":"urn:pulumi:s::p::pulumi:providers:aws::a::id-1",
         "dependencies":["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"],"outputs":{"acl":"private"}}
        """#
        let escaped = #"""
        {"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","type":"aws:s3\/bucket:Bucket","custom":true,"protect":true,
         "parent":"urn:pulumi:s::p::pulumi:pulumi:Stack::p-s","provider":"urn:pulumi:s::p::pulumi:providers:aws::a::id-1",
         "dependencies":["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"],"outputs":{"acl":"private"}}
        """#
        let stack = #"{"urn":"urn:pulumi:s::p::pulumi:pulumi:Stack::p-s","type":"pulumi:pulumi:Stack"}"#
        func read(_ resource: String) throws -> String {
            let graph = try InputReader().read(bytes: Array(Self.state([stack, resource]).utf8), source: InputSource(path: "s.json")).graph
            let r = graph.resources[1]
            return "\(r.type) \(r.custom) \(r.protect) \(r.parent ?? "-") \(r.provider.map { "\($0.urn)::\($0.id)" } ?? "-") "
                + "\(graph.dependencies(of: 1)) \(r.outputs?.node["acl"]?.string ?? "-")"
        }
        #expect(try read(plain) == "aws:s3/bucket:Bucket true true urn:pulumi:s::p::pulumi:pulumi:Stack::p-s "
                + "urn:pulumi:s::p::pulumi:providers:aws::a::id-1 [0] private")
        #expect(try read(escaped) == read(plain))
    }

    /// Each field read by position reports a value of the wrong kind at its own path.
    @Test func fieldsOfTheWrongKindAreReportedAtTheirPath() {
        let cases: [(String, String)] = [
            (#""type":1"#, "$.deployment.resources[0].type: expected a string, found a number"),
            (#""custom":"yes""#, "$.deployment.resources[0].custom: expected true or false, found a string"),
            (#""parent":{}"#, "$.deployment.resources[0].parent: expected a string, found an object"),
            (#""provider":[]"#, "$.deployment.resources[0].provider: expected a string, found an array"),
            (#""id":false"#, "$.deployment.resources[0].id: expected a string, found a boolean"),
            (#""dependencies":"x""#, "$.deployment.resources[0].dependencies: expected an array of strings, found a string"),
            (#""dependencies":["urn:pulumi:s::p::a:b:C::c",{}]"#, "$.deployment.resources[0].dependencies[1]: expected a string, found an object"),
            (#""outputs":[]"#, "$.deployment.resources[0].outputs: expected an object of properties, found an array"),
        ]
        for (member, message) in cases {
            let resource = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","# + member + "}"
            do {
                _ = try InputReader().read(bytes: Array(Self.state([resource]).utf8), source: InputSource(path: "bad.json"))
                Issue.record("\(member) was read")
            } catch {
                #expect("\(error)" == "bad.json: at " + message, "\(member)")
            }
        }
    }

    @Test func idsAndTimestampsReadBackAndSettersReplaceThem() throws {
        let resource = #"""
        {"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","type":"aws:s3/bucket:Bucket","id":"b-\u00e9","created":"2026-10-01T12:00:00Z",
         "modified":null,"importID":"imp","deletedWith":"urn:pulumi:s::p::pkg:index:O::o","aliases":["urn:pulumi:s::p::aws:s3/bucket:Bucket::old"]}
        """#
        let stack = try InputReader().read(bytes: Array(Self.state([resource]).utf8), source: InputSource(path: "s.json"))
        var read = stack.graph.resources[0]
        #expect(read.id == "b-\u{e9}")
        #expect(read.created == "2026-10-01T12:00:00Z")
        #expect(read.modified == nil)
        #expect(read.importID == "imp")
        #expect(read.deletedWith == "urn:pulumi:s::p::pkg:index:O::o")
        #expect(read.aliases == ["urn:pulumi:s::p::aws:s3/bucket:Bucket::old"])
        read.id = "other"
        read.created = nil
        #expect(read.id == "other" && read.created == nil)
        #expect(stack.graph.resources[0].id == "b-\u{e9}")
    }

    @Test func lazilyKeptFieldsOfTheWrongTypeAreStillLocatedErrors() {
        for field in ["id", "created", "modified", "importID", "deletedWith"] {
            let resource = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","\#(field)":42}"#
            #expect(InputReader().failure(Self.state([resource]))
                    == "bad.json: at $.deployment.resources[0].\(field): expected a string, found a number")
        }
        let parent = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","parent":[]}"#
        #expect(InputReader().failure(Self.state([parent])) == "bad.json: at $.deployment.resources[0].parent: expected a string, found an array")
        let dependency = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","dependencies":["urn:pulumi:s::p::a:b:C::c", 1]}"#
        #expect(InputReader().failure(Self.state([dependency]))
                == "bad.json: at $.deployment.resources[0].dependencies[1]: expected a string, found a number")
        let provider = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","provider":{}}"#
        #expect(InputReader().failure(Self.state([provider])) == "bad.json: at $.deployment.resources[0].provider: expected a string, found an object")
        let dependencies = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","dependencies":{}}"#
        #expect(InputReader().failure(Self.state([dependencies]))
                == "bad.json: at $.deployment.resources[0].dependencies: expected an array of strings, found an object")
        let lists = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","propertyDependencies":{"a":[],"b c":["x", null]}}"#
        #expect(InputReader().failure(Self.state([lists]))
                == "bad.json: at $.deployment.resources[0].propertyDependencies[\"b c\"][1]: expected a string, found null")
        let notLists = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b","propertyDependencies":[]}"#
        #expect(InputReader().failure(Self.state([notLists]))
                == "bad.json: at $.deployment.resources[0].propertyDependencies: expected an object mapping properties to URN arrays, found an array")
    }

    /// Dependencies stay where the reader found them until asked for: read back, they are what was written (the
    /// properties' lists sorted by name), and the graph links them as it links lists set in code.
    @Test func dependenciesKeptInTheInputReadBackAndLinkAsListsSetInCode() throws {
        let urn = { (name: String) in "urn:pulumi:s::p::aws:s3/bucket:Bucket::\(name)" }
        // `b` written with an escape, a URN outside the stack, a repeated one, and null lists.
        let resources = [
            #"{"urn":"\#(urn("a"))"}"#,
            #"{"urn":"\#(urn("b"))","dependencies":["\#(urn("a"))"]}"#,
            #"{"urn":"\#(urn("c"))","dependencies":["urn:pulumi:s::p::aws:s3/bucket:Bucket::\u0062","\#(urn("gone"))","\#(urn("a"))"],"# +
                #""propertyDependencies":{"zone":["\#(urn("a"))"],"acl":["\#(urn("a"))","\#(urn("gone"))"],"none":[]}}"#,
            #"{"urn":"\#(urn("d"))","dependencies":null,"propertyDependencies":null}"#,
            #"{"urn":"\#(urn("e"))","propertyDependencies":{"p":["\#(urn("d"))"]}}"#,
        ]
        let read = try InputReader().read(bytes: Array(Self.state(resources).utf8), source: InputSource(path: "s.json")).graph
        #expect(read.resources[2].dependencies == [urn("b"), urn("gone"), urn("a")])
        #expect(read.resources[2].propertyDependencies.map(\.property) == ["acl", "none", "zone"])
        #expect(read.resources[2].propertyDependencies.map(\.urns) == [[urn("a"), urn("gone")], [], [urn("a")]])
        #expect(read.resources[3].dependencies.isEmpty && read.resources[3].propertyDependencies.isEmpty)

        var copies = read.resources
        for i in copies.indices {
            copies[i].dependencies = read.resources[i].dependencies
            copies[i].propertyDependencies = read.resources[i].propertyDependencies
        }
        let set = ResourceGraph(resources: copies)
        for graph in [read, set] {
            #expect(graph.dependencies(of: 2) == [1, 0])
            #expect(Array(graph.dependents(of: 0)) == [1, 2])
            #expect(Array(graph.dependents(of: 1)) == [2])
            #expect(graph.dependencies(of: 3).isEmpty)
            // `e` is linked only through a property's list, `b` only through its escaped spelling.
            #expect(Array(graph.dependents(of: 3)) == [4])
            #expect(graph.dependencies(of: 4) == [3])
        }
    }
}
