import Foundation
import RampartInputs
import RampartModel
import Testing

/// Bad input never crashes: it gets one line naming the file, where, and what was expected.
@Suite struct BadInputTests {
    let reader = InputReader()

    @Test func truncatedJSONNamesLineAndColumn() throws {
        let message = try #require(reader.failure("{\"version\": 3, \"deployment\": {\"resources\": [\n"))
        #expect(message.hasPrefix("bad.json: line 2, column 1"))
        #expect(message.contains("$.deployment.resources"))
    }

    @Test func wrongTopLevelShapeIsRejected() throws {
        let message = try #require(reader.failure("[1, 2, 3]"))
        #expect(message == "bad.json: at $: expected an object (state export, checkpoint or preview), found an array")
        let unknown = try #require(reader.failure(#"{"hello": "world"}"#))
        #expect(unknown.contains("unrecognised document"))
    }

    @Test func resourcesOfTheWrongTypeNameTheirPath() throws {
        let message = try #require(reader.failure(#"{"version":3,"deployment":{"resources":{"a":1}}}"#))
        #expect(message == "bad.json: at $.deployment.resources: expected an array of resources, found an object")
        let custom = try #require(reader.failure(#"{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:a::b::c:d:E::n","custom":"yes"}]}}"#))
        #expect(custom == "bad.json: at $.deployment.resources[0].custom: expected true or false, found a string")
    }

    /// Big stacks are decoded in parallel slices; the error must still be the first bad resource in the file.
    @Test func firstBadResourceIsReportedWhenSeveralSlicesHaveOne() throws {
        let good = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::b%d","type":"aws:s3/bucket:Bucket","custom":true}"#
        var resources = (0..<20_000).map { good.replacingOccurrences(of: "%d", with: String($0)) }
        resources[7_001] = #"{"urn":"urn:pulumi:s::p::aws:s3/bucket:Bucket::x","custom":"yes"}"#
        resources[15_002] = #"{"urn":"not-a-urn","type":"x"}"#
        resources[19_999] = "42"
        let json = #"{"version":3,"deployment":{"resources":["# + resources.joined(separator: ",") + "]}}"
        for jobs in [1, 2, 8] {
            let message = try #require(InputReader(jobs: jobs).failure(json))
            #expect(message == "bad.json: at $.deployment.resources[7001].custom: expected true or false, found a string", "jobs \(jobs)")
        }
        let stack = try InputReader(jobs: 8).read(bytes: Array(#"{"version":3,"deployment":{"resources":["#.utf8)
            + Array(resources[0..<7_000].joined(separator: ",").utf8) + Array("]}}".utf8), source: InputSource(path: "ok.json"))
        #expect(stack.graph.resources.map(\.name) == (0..<7_000).map { "b\($0)" })
    }

    @Test func urnWithoutPrefixIsRejected() throws {
        let message = try #require(reader.failure(#"{"version":3,"deployment":{"resources":[{"urn":"arn:aws:s3:::bucket","type":"x"}]}}"#))
        #expect(message.hasPrefix("bad.json: at $.deployment.resources[0].urn: expected a URN starting with 'urn:pulumi:'"))
        #expect(!message.contains("arn:aws"))
    }

    /// The URN is read in the same pass as the other members, but a missing or malformed one is still the error
    /// reported, wherever it stands; of duplicate `urn` members the last counts, as for every other key.
    @Test func aResourcesURNErrorComesFirstWhereverItStands() throws {
        func failure(_ resource: String) -> String? {
            reader.failure(#"{"version":3,"deployment":{"resources":["# + resource + "]}}")
        }
        let at = "bad.json: at $.deployment.resources[0]"
        #expect(failure(#"{"type":1,"custom":"x","urn":"arn:aws:s3:::b"}"#)?.hasPrefix(at + ".urn: expected a URN starting with") == true)
        #expect(failure(#"{"type":1,"urn":7}"#) == at + ".urn: expected a string, found a number")
        #expect(failure(#"{"custom":"x"}"#) == at + ".urn: expected a URN string, found nothing (missing)")
        #expect(failure(#"{"type":"t"}"#) == at + ".urn: expected a URN string, found nothing (missing)")
        #expect(failure(#"{"urn":"urn:pulumi:s::p::a:b:C::c","type":1}"#) == at + ".type: expected a string, found a number")
        #expect(failure(#"{"urn":"urn:pulumi:s::p::a:b:C::c","urn":"bad"}"#)?.hasPrefix(at + ".urn: expected a URN starting with") == true)
        let duplicate = #"{"version":3,"deployment":{"resources":[{"urn":1,"\u0075rn":"urn:pulumi:s::p::a:b:C::c"}]}}"#
        let graph = try InputReader().read(bytes: Array(duplicate.utf8), source: InputSource(path: "ok.json")).graph
        #expect(graph.resources.map(\.urn.rawValue) == ["urn:pulumi:s::p::a:b:C::c"])
        #expect(graph.resources.map(\.type) == ["a:b:C"])
    }

    @Test func deepNestingIsRejectedWithoutCrashing() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let message = try #require(reader.failure(deep))
        #expect(message.contains("nest"))
    }

    @Test func invalidUTF8IsRejected() throws {
        var bytes = Array(#"{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:a::b::c:d:E::"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}]}}"#.utf8)
        let message = try #require(reader.failure(bytes))
        #expect(message.contains("UTF-8"))
        #expect(message.contains("line 1"))
    }

    @Test func hugeNumbersAreRejected() throws {
        let message = try #require(reader.failure(#"{"version": 1e999999, "deployment": {}}"#))
        #expect(message.contains("$.version"))
        #expect(message.contains("range"))
    }

    @Test func emptyFileIsRejected() throws {
        #expect(reader.failure("") == "bad.json: file is empty, expected a Pulumi state export, checkpoint or preview JSON document")
        #expect(reader.failure("  \n ") != nil)
    }

    @Test func directoryWithoutCheckpointsIsRejected() throws {
        let dir = try Fixture.temporaryDirectory()
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        #expect(throws: InputError.noStacksFound(directory: dir)) { try reader.discover(dir) }
    }

    @Test func missingFileIsRejected() {
        #expect(throws: InputError.unreadable(file: "/nonexistent/state.json", reason: "no such file or directory")) {
            try reader.discover("/nonexistent/state.json")
        }
    }

    @Test func corruptGzipIsRejected() throws {
        let path = try Fixture.temporaryFile([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02], name: "dev.json.gz")
        #expect(throws: InputError.self) { try reader.read(InputSource(path: path)) }
    }

    @Test func errorsNeverEchoStringContent() throws {
        let message = try #require(reader.failure(#"{"version":3,"deployment":{"resources":[{"urn":"urn:pulumi:a::b::c:d:E::n","outputs":{"password":"hunter2-super-secret"} x}]}}"#))
        #expect(!message.contains("hunter2"))
    }

    @Test func previewStepWithoutOpIsRejected() throws {
        let message = try #require(reader.failure(#"{"steps":[{"urn":"urn:pulumi:dev::p::a:b:C::n"}]}"#))
        #expect(message == "bad.json: at $.steps[0].op: expected an operation string, found nothing (missing)")
    }
}
