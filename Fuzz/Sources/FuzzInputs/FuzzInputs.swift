import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy

/// Every built-in pack, built once (evaluating them over fuzzed resources also fuzzes the built-in policies).
private let engine = Engine(packs: BuiltinPacks.all, options: EngineOptions(jobs: 1, today: "2026-01-01"))
private let reader = InputReader(limits: JSONLimits(maxDepth: 128, maxBytes: 1 << 20))

/// libFuzzer entry: bytes are read as a state export, checkpoint, preview or event stream (format sniffed from
/// content, as the CLI does); whatever reads is evaluated with every built-in pack. Errors are fine; crashes,
/// hangs and leaks are findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInputs(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let stack: Stack
    do {
        stack = try reader.read(bytes: bytes, source: InputSource(path: "fuzz.json"))
    } catch {
        precondition(!error.description.isEmpty)
        return 0
    }
    for resource in stack.graph.resources { _ = resource.urn.type; _ = resource.properties(stack.propertySource) }
    let result = engine.evaluate(stack)
    _ = result
    return 0
}
