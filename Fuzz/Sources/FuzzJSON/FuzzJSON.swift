import RampartJSON

/// libFuzzer entry: any bytes either parse or throw a located `JSONError`. A parsed document is walked fully and
/// written back with `JSONWriter`; the written form must parse again and write back identically (round trip).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let limits = JSONLimits(maxDepth: 64, maxBytes: 1 << 20)
    let document: JSONDocument
    do {
        document = try JSONDocument.parse(bytes, limits: limits)
    } catch {
        precondition(error.line >= 1 && error.column >= 1 && error.byteOffset <= bytes.count, "unlocated error: \(error)")
        return 0
    }
    walk(document.root)
    var writer = JSONWriter()
    writer.node(document.root)
    guard let again = try? JSONDocument.parse(writer.bytes, limits: limits) else {
        preconditionFailure("JSONWriter output does not parse again")
    }
    var second = JSONWriter()
    second.node(again.root)
    precondition(second.bytes == writer.bytes, "round trip changed the document")
    return 0
}

private func walk(_ node: JSONNode) {
    switch node.kind {
    case .null: _ = node.isNull
    case .bool: _ = node.bool
    case .number: _ = node.number; _ = node.int; _ = node.numberText
    case .string: _ = node.string; _ = node.hasEscapes
    case .array:
        for element in node.elements { walk(element) }
        _ = node[node.count]
    case .object:
        for (key, value) in node.members { _ = key.string; walk(value) }
        _ = node["deployment"]
    }
}
