import RampartJSON
import RampartModel

/// Reads `pulumi preview --json` digests and `--json` engine event streams into the resource set that would
/// exist after the change.
struct PreviewReader {
    let file: String

    /// Ops after which the resource exists (with `newState`).
    static let presentOps: Set<String> = ["same", "create", "update", "replace", "create-replacement", "read",
                                           "read-replacement", "import", "import-replacement", "refresh"]
    /// Ops that read a resource the stack does not manage.
    static let readOps: Set<String> = ["read", "read-replacement"]
    /// Ops after which the resource is gone.
    static let absentOps: Set<String> = ["delete", "discard"]
    /// Ops that act on the old instance of a replaced resource; the new instance stays.
    static let oldInstanceOps: Set<String> = ["delete-replaced", "discard-replaced", "remove-pending-replace"]

    struct Result {
        var stackName: String?
        var projectName: String?
        var graph: ResourceGraph
        var notices: [InputNotice]
    }

    func readDigest(_ root: JSONNode) throws(InputError) -> Result {
        guard let steps = root["steps"], steps.kind == .array else {
            throw .unexpectedShape(file: file, path: "$.steps", expected: "an array of preview steps", found: describeKind(root["steps"]))
        }
        let decoder = ResourceDecoder(file: file, dialect: .preview)
        var state = StepAccumulator()
        var i = 0
        for step in steps.elements {
            let path = "$.steps[\(i)]"
            i += 1
            guard step.kind == .object else {
                throw .unexpectedShape(file: file, path: path, expected: "a step object", found: describeKind(step))
            }
            guard let op = step["op"]?.string else {
                throw .unexpectedShape(file: file, path: path + ".op", expected: "an operation string", found: describeKind(step["op"]))
            }
            guard let urn = step["urn"]?.string else {
                throw .unexpectedShape(file: file, path: path + ".urn", expected: "a URN string", found: describeKind(step["urn"]))
            }
            guard URN(urn) != nil else { throw .invalidURN(file: file, path: path + ".urn") }
            try state.apply(op: op, urn: urn, new: step["newState"], newPath: path + ".newState", decoder: decoder, path: path)
        }
        return state.result()
    }

    /// Engine events: take each resource's final state across `resourcePreEvent`/`resOutputsEvent`.
    func readEvents(_ events: [(node: JSONNode, line: Int)]) throws(InputError) -> Result {
        let decoder = ResourceDecoder(file: file, dialect: .preview)
        var state = StepAccumulator()
        for (event, line) in events {
            guard event.kind == .object else {
                throw .unexpectedShape(file: file, path: "line \(line): $", expected: "an engine event object", found: describeKind(event))
            }
            let eventKey: String
            if event["resOutputsEvent"] != nil { eventKey = "resOutputsEvent" }
            else if event["resourcePreEvent"] != nil { eventKey = "resourcePreEvent" }
            else { continue }
            let base = "line \(line): $.\(eventKey).metadata"
            guard let metadata = event[eventKey]?["metadata"], metadata.kind == .object else {
                throw .unexpectedShape(file: file, path: base, expected: "step metadata", found: describeKind(event[eventKey]?["metadata"]))
            }
            guard let op = metadata["op"]?.string, let urn = metadata["urn"]?.string else {
                throw .unexpectedShape(file: file, path: base, expected: "'op' and 'urn' strings", found: "an incomplete step")
            }
            guard URN(urn) != nil else { throw .invalidURN(file: file, path: base + ".urn") }
            // Blinded secrets in events are `{sig, ciphertext:"[secret]"}`: the state dialect reads them as secrets.
            try state.apply(op: op, urn: urn, new: metadata["new"], newPath: base + ".new", decoder: decoder, path: base)
        }
        return state.result()
    }
}

/// Folds steps into the set of resources present after the change, in first-seen order.
private struct StepAccumulator {
    var order: [String] = []
    var seen: Set<String> = []
    var byURN: [String: Resource] = [:]
    var notices: [InputNotice] = []

    func result() -> PreviewReader.Result {
        let resources = order.compactMap { byURN[$0] }
        return PreviewReader.Result(stackName: resources.first?.urn.stack, projectName: resources.first?.urn.project,
                                    graph: ResourceGraph(resources: resources), notices: notices)
    }

    mutating func apply(op: String, urn: String, new: JSONNode?, newPath: String, decoder: ResourceDecoder,
                        path: String) throws(InputError) {
        if PreviewReader.absentOps.contains(op) {
            byURN[urn] = nil
            return
        }
        guard PreviewReader.presentOps.contains(op) else {
            if PreviewReader.oldInstanceOps.contains(op) { return }
            if op != "diff" && op != "extend-parameterize" {
                notices.append(InputNotice(path: path + ".op", message: "unknown step operation '\(op)'; step ignored"))
            }
            return
        }
        // A step without a new state keeps what was there.
        if let new, new.kind != .object && new.kind != .null {
            throw .unexpectedShape(file: decoder.file, path: newPath, expected: "the resource's new state (an object)", found: describeKind(new))
        }
        guard let new, new.kind == .object else { return }
        var resource = try decoder.decode(new, path: newPath)
        // A `read` step is a data source or `.get()` lookup: the stack reads the resource, it does not manage it.
        // Marked external (as the state records it) so that policies skip it while the graph keeps it for the
        // resources that reference it.
        if PreviewReader.readOps.contains(op) { resource.external = true }
        resource.delete = false
        resource.pendingReplacement = false
        if seen.insert(urn).inserted { order.append(urn) }
        byURN[urn] = resource
    }
}
