import RampartInputs
import RampartModel
import Testing

@Suite struct PreviewReaderTests {
    @Test func createDigestHasEveryCreatedResourceWithInputs() throws {
        let stack = try Fixture.read("preview/digest/aws-create.json")
        #expect(stack.kind == .previewDigest)
        #expect(stack.graph.count == 16)
        #expect(stack.propertySource == .inputs)
        #expect(stack.identity.stack == "dev")
        #expect(stack.identity.project == "sample")
    }

    @Test func unknownsAreTheirOwnKind() throws {
        let stack = try Fixture.read("preview/digest/aws-create.json")
        var unknowns = 0
        for resource in stack.graph.resources {
            for (_, value) in resource.outputs?.members ?? [] where value.kind == .unknown { unknowns += 1 }
            for (_, value) in resource.inputs?.members ?? [] where value.kind == .unknown { unknowns += 1 }
        }
        #expect(unknowns > 0)
        let role = try #require(stack.graph.resources.first { $0.type == "aws:iam/role:Role" })
        #expect(role.provider?.isUnknownID == true)
        #expect(role.inputs?["maxSessionDuration"]?.number == 3600)
    }

    @Test func deletedResourcesAreNotPresent() throws {
        let stack = try Fixture.read("preview/digest/aws-delete-show-sames.json")
        #expect(stack.graph.count == 2)
    }

    @Test func samesAndUpdatesArePresent() throws {
        let stack = try Fixture.read("preview/digest/aws-update-show-sames.json")
        #expect(stack.graph.count == 16)
    }

    @Test func blindedSecretsInADigestAreSecrets() throws {
        let text = #"""
        {"steps":[{"op":"create","urn":"urn:pulumi:dev::p::aws:rds/instance:Instance::db",
          "newState":{"urn":"urn:pulumi:dev::p::aws:rds/instance:Instance::db","custom":true,"type":"aws:rds/instance:Instance",
          "inputs":{"password":"[secret]","storageEncrypted":false}}}]}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "p.json"))
        let db = stack.graph.resources[0]
        #expect(db.inputs?["password"]?.kind == .secret)
        #expect(db.inputs?["storageEncrypted"]?.bool == false)
    }

    @Test func readStepsAreExternalResources() throws {
        let text = #"""
        {"steps":[{"op":"read","urn":"urn:pulumi:dev::p::aws:ec2/vpc:Vpc::default",
          "newState":{"urn":"urn:pulumi:dev::p::aws:ec2/vpc:Vpc::default","custom":true,"type":"aws:ec2/vpc:Vpc","id":"vpc-1",
          "inputs":{},"outputs":{"cidrBlock":"172.31.0.0/16"}}},
          {"op":"create","urn":"urn:pulumi:dev::p::aws:ec2/subnet:Subnet::a",
          "newState":{"urn":"urn:pulumi:dev::p::aws:ec2/subnet:Subnet::a","custom":true,"type":"aws:ec2/subnet:Subnet",
          "inputs":{"vpcId":"vpc-1"}}}]}
        """#
        let stack = try InputReader().read(bytes: Array(text.utf8), source: InputSource(path: "p.json"))
        #expect(stack.graph.resources.map(\.external) == [true, false])
    }

    static let eventStreams: [(String, Int)] = [
        ("preview/events/up-eks-create.jsonl", -1),
        ("preview/events/webserver-replace.jsonl", -1),
        ("preview/events/failed-update-secret-outputs.jsonl", -1),
        ("preview/events/up-interrupted.jsonl", -1),
        ("preview/events/destroy-component-hierarchy.jsonl", 1),
        ("preview/events/policy-violations.jsonl", 0),
        ("preview/events/policy-remediation.jsonl", -1),
        ("preview/events/read-replacement.jsonl", 1),
        ("preview/events/import-replacement-discard-replaced.jsonl", 1),
        ("preview/events/refresh-before-update-preview.jsonl", -1),
    ]

    @Test(arguments: eventStreams)
    func readsEveryEventStream(file: String, expected: Int) throws {
        let stack = try Fixture.read(file)
        #expect(stack.kind == .engineEvents)
        if expected >= 0 { #expect(stack.graph.count == expected) } else { #expect(stack.graph.count > 0) }
    }

    @Test func replacementKeepsTheNewResourceOnce() throws {
        let stack = try Fixture.read("preview/events/webserver-replace.jsonl")
        let urns = stack.graph.resources.map(\.urn.rawValue)
        #expect(Set(urns).count == urns.count)
        #expect(stack.graph.resources.contains { $0.type == "aws:ec2/instance:Instance" })
    }
}
