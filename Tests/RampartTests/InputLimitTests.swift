import Foundation
import RampartInputs
import RampartJSON
import Testing

/// Bounds on state and preview inputs (docs/robustness.md), through the reader and through the CLI.
@Suite struct InputLimitTests {
    static let hostile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    @Test func stackWithMoreResourcesThanTheCapIsRejectedWithTheCount() throws {
        let file = Self.hostile.appendingPathComponent("state/many-resources.json").path
        do {
            _ = try InputReader(maxResources: 100).read(InputSource(path: file))
            Issue.record("accepted")
        } catch {
            #expect(error == .tooManyResources(file: file, count: 1501, limit: 100))
            #expect(error.description.contains("holds 1501 resources, more than the limit of 100"))
        }
        #expect(try InputReader().read(InputSource(path: file)).graph.count == 1501)
    }

    @Test func maxResourcesFlagGivesExitTwoWithOneLocatedLine() throws {
        let file = Self.hostile.appendingPathComponent("state/many-resources.json").path
        let result = try CLIProcess.run(["scan", file, "--quiet", "--max-resources", "10"])
        #expect(result.exitCode == 2)
        #expect(result.stderr == "rampart: error: \(file): at $: holds 1501 resources, more than the limit of 10; expected at most 10 (raise it with --max-resources)\n")
    }

    @Test func documentLargerThanTheSizeLimitIsRejected() {
        let bytes = Array(#"{"version":3,"deployment":{"resources":[]}}"#.utf8)
        #expect(throws: InputError.self) {
            try InputReader(limits: JSONLimits(maxBytes: 16)).read(bytes: bytes, source: InputSource(path: "big.json"))
        }
        do { _ = try InputReader(limits: JSONLimits(maxBytes: 16)).read(bytes: bytes, source: InputSource(path: "big.json")) } catch {
            #expect(error.description.contains("input larger than 16 bytes"))
        }
    }

    @Test func nestingDeeperThanTheLimitIsRejectedWithItsPath() {
        let bytes = Array((#"{"deployment":{"resources":[{"outputs":{"a":"# + String(repeating: "[", count: 40) + "]").utf8)
        do {
            _ = try InputReader(limits: JSONLimits(maxDepth: 32)).read(bytes: bytes, source: InputSource(path: "deep.json"))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("nesting deeper than 32 levels"))
            #expect(error.description.contains("$.deployment.resources[0].outputs.a[0]"))
        }
    }

    @Test func utf16InputIsNamedAsSuch() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("{}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        do { _ = try InputReader().read(bytes: bytes, source: InputSource(path: "w.json")); Issue.record("accepted") } catch {
            #expect(error.description.contains("UTF-16"))
        }
    }
}
