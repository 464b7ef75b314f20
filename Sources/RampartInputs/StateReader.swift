import RampartJSON
import RampartModel

/// Reads deployments: `pulumi stack export` output (v1–v4), DIY checkpoints (with or without `latest`), the
/// pre-versioned legacy shape and bare deployment objects.
struct StateReader {
    let file: String
    /// Workers that decode resources (a big stack's resources are decoded in parallel, in order).
    var jobs = 1

    /// The deployment envelope found at the root.
    enum Envelope {
        case export(deployment: JSONNode?, version: Int, features: [String])
        case checkpoint(stackName: String?, deployment: JSONNode?, version: Int, features: [String], path: String)
        case bare(JSONNode)
    }

    static func envelope(of root: JSONNode, file: String) throws(InputError) -> Envelope? {
        guard root.kind == .object else { return nil }
        if let v = root["version"], v.kind != .number {
            throw .unexpectedShape(file: file, path: "$.version", expected: "a number (the state format version)", found: describeKind(v))
        }
        let version = root["version"]?.number.map { Int($0) } ?? 0
        let features = root["features"]?.elements.compactMap { $0.string } ?? []
        if let deployment = root["deployment"] {
            guard deployment.kind == .object || deployment.kind == .null else {
                throw .unexpectedShape(file: file, path: "$.deployment", expected: "a deployment object", found: describeKind(deployment))
            }
            return .export(deployment: deployment.kind == .null ? nil : deployment, version: version, features: features)
        }
        if let checkpoint = root["checkpoint"] {
            guard checkpoint.kind == .object else {
                throw .unexpectedShape(file: file, path: "$.checkpoint", expected: "a checkpoint object", found: describeKind(checkpoint))
            }
            let latest = checkpoint["latest"].flatMap { $0.kind == .null ? nil : $0 }
            if let latest, latest.kind != .object {
                throw .unexpectedShape(file: file, path: "$.checkpoint.latest", expected: "a deployment object", found: describeKind(latest))
            }
            return .checkpoint(stackName: checkpoint["stack"]?.string ?? checkpoint["target"]?.string,
                               deployment: latest, version: version, features: features, path: "$.checkpoint.latest")
        }
        // Pre-versioned shape: {"target", "latest": {"time", "resources"}}.
        if let latest = root["latest"], root["target"] != nil || root["stack"] != nil {
            return .checkpoint(stackName: root["stack"]?.string ?? root["target"]?.string,
                               deployment: latest.kind == .null ? nil : latest, version: 0, features: [], path: "$.latest")
        }
        if root["resources"] != nil && (root["manifest"] != nil || root["secrets_providers"] != nil) {
            return .bare(root)
        }
        return nil
    }

    struct Result {
        var stackName: String?
        var graph: ResourceGraph
        var secretsProvider: SecretsProviderInfo?
        var version: Int
        var features: [String]
        var notices: [InputNotice]
        var kind: InputKind
    }

    func read(_ envelope: Envelope) throws(InputError) -> Result {
        switch envelope {
        case .export(let deployment, let version, let features):
            return try readDeployment(deployment, path: "$.deployment", stackName: nil, version: version, features: features, kind: .stateExport)
        case .checkpoint(let stackName, let deployment, let version, let features, let path):
            return try readDeployment(deployment, path: path, stackName: stackName, version: version, features: features, kind: .checkpoint)
        case .bare(let node):
            return try readDeployment(node, path: "$", stackName: nil, version: 3, features: [], kind: .stateExport)
        }
    }

    private func readDeployment(_ deployment: JSONNode?, path: String, stackName: String?, version: Int,
                                features: [String], kind: InputKind) throws(InputError) -> Result {
        var notices: [InputNotice] = []
        let known: Set<String> = ["refreshBeforeUpdate", "views", "hooks", "taint", "replaceWith", "snippets-prototype",
                                  "extensionParameterization", "byteString"]
        for feature in features where !known.contains(feature) {
            notices.append(InputNotice(path: "$.features", message: "unknown deployment feature '\(feature)'; read anyway"))
        }
        guard let deployment else {
            return Result(stackName: stackName, graph: ResourceGraph(resources: []), secretsProvider: nil, version: version,
                          features: features, notices: notices, kind: kind)
        }
        let decoder = ResourceDecoder(file: file, dialect: .state)
        var resources: [Resource] = []
        if let list = deployment["resources"], list.kind != .null {
            guard list.kind == .array else {
                throw .unexpectedShape(file: file, path: path + ".resources", expected: "an array of resources", found: describeKind(list))
            }
            // Signature values are rare: when the parser marked no object as holding the key, none is looked for.
            let decoded = try decodeAll(list.indexedElements, decoder: decoder, path: path + ".resources",
                                        checkingSignatures: list.document.mayHaveObjects(holding: PulumiSignature.marked))
            notices += decoded.notices
            resources = decoded.resources
        }
        var pending: [PendingOperation] = []
        if let ops = deployment["pending_operations"], ops.kind != .array && ops.kind != .null {
            throw .unexpectedShape(file: file, path: path + ".pending_operations", expected: "an array of pending operations", found: describeKind(ops))
        }
        if let sp = deployment["secrets_providers"], sp.kind != .object && sp.kind != .null {
            throw .unexpectedShape(file: file, path: path + ".secrets_providers", expected: "an object with 'type' and 'state'", found: describeKind(sp))
        }
        if let ops = deployment["pending_operations"], ops.kind == .array {
            var i = 0
            for op in ops.elements {
                let opPath = "\(path).pending_operations[\(i)]"
                guard op.kind == .object, let res = op["resource"] else {
                    throw .unexpectedShape(file: file, path: opPath, expected: "an object with 'resource' and 'type'", found: describeKind(op))
                }
                pending.append(PendingOperation(resource: try decoder.decode(res, path: opPath + ".resource"),
                                                type: op["type"]?.string ?? "unknown"))
                i += 1
            }
        }
        var provider: SecretsProviderInfo?
        if let sp = deployment["secrets_providers"], sp.kind == .object, let type = sp["type"]?.string {
            provider = SecretsProviderInfo(type: type, url: sp["state"]?["url"]?.string)
        }
        return Result(stackName: stackName, graph: ResourceGraph(resources: resources, pendingOperations: pending, jobs: jobs),
                      secretsProvider: provider, version: version, features: features, notices: notices, kind: kind)
    }

    /// Decodes the resources in contiguous slices on up to `jobs` workers, each writing its slice of the result in
    /// place (no per-slice arrays joined afterwards). Each slice stops at its first bad resource; the error reported
    /// is that of the earliest slice, so it is the first bad resource in the file, as a sequential read would report.
    /// The notices of undefined signatures are collected on the same workers (`checkingSignatures`: when some
    /// object may hold a signature key).
    private func decodeAll(_ elements: JSONIndexedElements, decoder: ResourceDecoder, path: String,
                           checkingSignatures: Bool) throws(InputError) -> (resources: [Resource], notices: [InputNotice]) {
        let count = elements.count
        // Sixteen tasks a worker: a task of a 100k-resource stack takes ~4 ms, so the last one leaves the other
        // cores idle that long, not the ~17 ms of four tasks a worker.
        let tasks = Parallel.taskCount(items: count, workers: jobs, minimum: 2048, perWorker: 16)
        var slices: [SliceOutcome] = []
        let resources = [Resource](unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = ResourceSlots(base: buffer.baseAddress)
            slices = Parallel.map(tasks, workers: jobs) { task -> SliceOutcome in
                let range = Parallel.slice(task, of: tasks, items: count)
                var notices: [InputNotice] = []
                // Each worker reads through its own handle on the document: every node read retains its document,
                // and two workers retaining one object fight over its reference count (`JSONDocument.sharingStorage()`).
                let handle = elements.newHandle()
                var strings = SharedStrings()
                for i in range {
                    do throws(InputError) {
                        let resource = try decoder.decode(elements.element(i, through: handle), path: "\(path)[\(i)]", strings: &strings)
                        if checkingSignatures { notices += StateReader.signatureNotices(resource) }
                        (output.base! + i).initialize(to: resource)
                    } catch {
                        return SliceOutcome(range: range, decoded: i - range.lowerBound, notices: notices, error: error)
                    }
                }
                return SliceOutcome(range: range, decoded: range.count, notices: notices, error: nil)
            }
            if slices.allSatisfy({ $0.error == nil }) {
                initialized = count
            } else {
                // Nothing is returned: free what the slices decoded before the error.
                for slice in slices { (buffer.baseAddress! + slice.range.lowerBound).deinitialize(count: slice.decoded) }
                initialized = 0
            }
        }
        if let error = slices.lazy.compactMap(\.error).first { throw error }
        return (resources, slices.flatMap(\.notices))
    }

    /// What one decoding worker did with its slice.
    private struct SliceOutcome: Sendable {
        var range: Range<Int>
        /// How many resources from the start of the slice were decoded (and written).
        var decoded: Int
        var notices: [InputNotice]
        var error: InputError?
    }

    /// Undefined signature values are reported, not fatal (docs/formats.md §3). Only top-level properties are checked
    /// here; deeper ones surface when a policy reads them.
    private static func signatureNotices(_ resource: Resource) -> [InputNotice] {
        var notices: [InputNotice] = []
        func check(_ label: String, _ props: PropertyValue?) {
            guard let props else { return }
            // Only objects can carry a signature; skip everything else without decoding keys.
            for (key, value) in props.node.members(whoseObjectHolds: PulumiSignature.marked) {
                guard PropertyValue(node: value, dialect: props.dialect).kind == .invalidSignature else { continue }
                notices.append(InputNotice(path: "\(resource.urn.rawValue) \(label).\(key.string ?? "")",
                                           message: "unknown signature value; treated as an opaque object"))
            }
        }
        check("inputs", resource.inputs)
        check("outputs", resource.outputs)
        return notices
    }
}

/// The result array while workers fill it.
/// `@unchecked Sendable`: each worker initializes only the slots of its own slice, and the buffer outlives the workers
/// (they run inside `Array(unsafeUninitializedCapacity:)`).
private struct ResourceSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Resource>?
}
