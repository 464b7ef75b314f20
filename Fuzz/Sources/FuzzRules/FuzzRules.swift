import Foundation
import RampartEngine
import RampartInputs
import RampartModel
import RampartPolicy
import RampartRules

/// A small state the fuzzed rules are evaluated against (types the sample packs select, nested properties, tags).
private let stack: Stack = {
    let state = #"""
    {"version":3,"deployment":{"manifest":{},"resources":[
     {"urn":"urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev","type":"pulumi:pulumi:Stack","custom":false},
     {"urn":"urn:pulumi:dev::p::aws:s3/bucket:Bucket::b","type":"aws:s3/bucket:Bucket","custom":true,"id":"b-1",
      "outputs":{"bucket":"b-1","acl":"private","tags":{"env":"prod","owner":"x"},"versioning":{"enabled":true},
                 "serverSideEncryptionConfiguration":{"rule":{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"aws:kms"}}},
                 "grants":[{"type":"Group","permissions":["READ"]}],"ports":[22,443],"cidr":"10.0.0.0/8"}},
     {"urn":"urn:pulumi:dev::p::aws:ec2/securityGroup:SecurityGroup::sg","type":"aws:ec2/securityGroup:SecurityGroup","custom":true,
      "outputs":{"ingress":[{"fromPort":22,"toPort":22,"cidrBlocks":["0.0.0.0/0"],"protocol":"tcp"}],"vpcId":"v-1"},
      "dependencies":["urn:pulumi:dev::p::aws:s3/bucket:Bucket::b"]}
    ]}}
    """#
    return try! InputReader().read(bytes: Array(state.utf8), source: InputSource(path: "fuzz-state.json"))
}()

/// One scratch file per fuzzing process: the loader reads rule files from disk, as the CLI does.
private let scratch = NSTemporaryDirectory() + "rampart-fuzz-rules-\(getpid()).yaml"

/// libFuzzer entry: bytes are loaded as a single YAML rule file (parse, alias expansion under budget, checking,
/// compilation); a pack that loads is evaluated over a small state. Errors are fine; crashes, hangs and leaks are not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Data(bytes: data, count: count)
    guard FileManager.default.createFile(atPath: scratch, contents: bytes) else { return 0 }
    let loaded: LoadedRulePack
    do {
        loaded = try RulePackLoader().load(at: scratch)
    } catch {
        precondition(!error.message.isEmpty)
        return 0
    }
    let engine = Engine(packs: [loaded.pack], options: EngineOptions(jobs: 1, today: "2026-01-01"))
    _ = engine.evaluate(stack)
    return 0
}
