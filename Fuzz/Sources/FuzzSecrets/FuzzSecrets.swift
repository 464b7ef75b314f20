import RampartBuiltins

private let detector = SecretDetector()

/// libFuzzer entry: the first line is a key name, the rest a value; both go through the secret detector (formats,
/// entropy heuristics, sensitive names). Any input must give an answer without trapping; a detection's summary
/// never quotes the value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecrets(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let name = parts.count > 1 ? String(parts[0]) : nil
    let value = String(parts.last ?? "")
    for near in [false, true] {
        if let found = detector.detect(value, name: name, nearAWSAccessKey: near), value.count >= 8 {
            precondition(!found.summary.contains(value) && !found.reason.contains(value), "detection quotes the value")
        }
    }
    return 0
}
