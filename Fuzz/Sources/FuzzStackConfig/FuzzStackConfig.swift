import RampartInputs
import RampartYAML

private let loader = YAMLLoader(budget: YAMLBudget(maxBytes: 1 << 20))

/// libFuzzer entry: bytes are composed as YAML under the loader's budgets (size, nodes after alias expansion,
/// nesting) and read as `Pulumi.dev.yaml` and as `Pulumi.yaml`. Errors are fine; crashes, hangs and leaks are not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStackConfig(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard let node = try? loader.compose(bytes: bytes, file: "Pulumi.dev.yaml") else { return 0 }
    _ = try? StackConfigReader(loader: loader).read(node, path: "Pulumi.dev.yaml", stackName: "dev", projectName: "fuzz")
    _ = try? ProjectFileReader(loader: loader).read(node, path: "Pulumi.yaml")
    return 0
}
