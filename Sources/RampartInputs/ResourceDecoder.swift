import RampartJSON
import RampartModel

/// Decodes ResourceV3 objects (and the smaller engine-event `old`/`new` shape) into `Resource` values.
/// Lenient about unknown fields, strict about the types of the fields it uses.
struct ResourceDecoder {
    let file: String
    let dialect: PropertyDialect

    func decode(_ node: JSONNode, path: String) throws(InputError) -> Resource {
        guard node.kind == .object else {
            throw .unexpectedShape(file: file, path: path, expected: "a resource object", found: describeKind(node))
        }
        guard let urnNode = node["urn"] else {
            throw .unexpectedShape(file: file, path: path + ".urn", expected: "a URN string", found: "nothing (missing)")
        }
        let urnText = try string(urnNode, path: path + ".urn")
        guard let urn = URN(urnText) else { throw .invalidURN(file: file, path: path + ".urn") }
        var resource = Resource(urn: urn)
        resource.byteOffset = node.byteOffset

        for (key, value) in node.members {
            // Dispatch on the key without allocating for the common short keys.
            if key.stringEquals("type") {
                let type = try string(value, path: path + ".type")
                if !type.isEmpty { resource.type = type }
            } else if key.stringEquals("custom") {
                resource.custom = try bool(value, path: path + ".custom")
            } else if key.stringEquals("id") {
                resource.id = try optionalString(value, path: path + ".id")
            } else if key.stringEquals("parent") {
                resource.parent = try optionalString(value, path: path + ".parent").flatMap { $0.isEmpty ? nil : $0 }
            } else if key.stringEquals("provider") {
                if let raw = try optionalString(value, path: path + ".provider"), !raw.isEmpty {
                    resource.provider = ProviderReference(raw)
                    if resource.provider == nil { resource.providerRaw = raw }
                }
            } else if key.stringEquals("inputs") {
                resource.inputs = try properties(value, path: path + ".inputs")
            } else if key.stringEquals("outputs") {
                resource.outputs = try properties(value, path: path + ".outputs")
            } else if key.stringEquals("defaults") {
                // ResourceV1 (2017) `defaults`: merged into inputs only when no inputs exist.
                if resource.inputs == nil { resource.inputs = try properties(value, path: path + ".defaults") }
            } else if key.stringEquals("protect") {
                resource.protect = try bool(value, path: path + ".protect")
            } else if key.stringEquals("external") {
                resource.external = try bool(value, path: path + ".external")
            } else if key.stringEquals("delete") {
                resource.delete = try bool(value, path: path + ".delete")
            } else if key.stringEquals("pendingReplacement") {
                resource.pendingReplacement = try bool(value, path: path + ".pendingReplacement")
            } else if key.stringEquals("retainOnDelete") {
                resource.retainOnDelete = try bool(value, path: path + ".retainOnDelete")
            } else if key.stringEquals("taint") {
                resource.taint = try bool(value, path: path + ".taint")
            } else if key.stringEquals("dependencies") {
                resource.dependencies = try stringArray(value, path: path + ".dependencies")
            } else if key.stringEquals("propertyDependencies") {
                resource.propertyDependencies = try propertyDependencies(value, path: path + ".propertyDependencies")
            } else if key.stringEquals("additionalSecretOutputs") {
                resource.additionalSecretOutputs = try stringArray(value, path: path + ".additionalSecretOutputs")
            } else if key.stringEquals("aliases") {
                resource.aliases = try aliases(value, path: path + ".aliases")
            } else if key.stringEquals("importID") {
                resource.importID = try optionalString(value, path: path + ".importID")
            } else if key.stringEquals("deletedWith") {
                resource.deletedWith = try optionalString(value, path: path + ".deletedWith")
            } else if key.stringEquals("sourcePosition") {
                resource.sourcePosition = try optionalString(value, path: path + ".sourcePosition").flatMap(SourcePosition.init)
            } else if key.stringEquals("initErrors") {
                resource.initErrors = try stringArray(value, path: path + ".initErrors")
            } else if key.stringEquals("created") {
                resource.created = try optionalString(value, path: path + ".created")
            } else if key.stringEquals("modified") {
                resource.modified = try optionalString(value, path: path + ".modified")
            }
        }
        return resource
    }

    // MARK: - Field readers

    func string(_ node: JSONNode, path: String) throws(InputError) -> String {
        guard let s = node.string else { throw .unexpectedShape(file: file, path: path, expected: "a string", found: describeKind(node)) }
        return s
    }

    func optionalString(_ node: JSONNode, path: String) throws(InputError) -> String? {
        if node.kind == .null { return nil }
        return try string(node, path: path)
    }

    func bool(_ node: JSONNode, path: String) throws(InputError) -> Bool {
        if node.kind == .null { return false }
        guard let b = node.bool else { throw .unexpectedShape(file: file, path: path, expected: "true or false", found: describeKind(node)) }
        return b
    }

    func stringArray(_ node: JSONNode, path: String) throws(InputError) -> [String] {
        if node.kind == .null { return [] }
        guard node.kind == .array else { throw .unexpectedShape(file: file, path: path, expected: "an array of strings", found: describeKind(node)) }
        var result: [String] = []
        result.reserveCapacity(node.count)
        var i = 0
        for element in node.elements {
            result.append(try string(element, path: "\(path)[\(i)]"))
            i += 1
        }
        return result
    }

    func properties(_ node: JSONNode, path: String) throws(InputError) -> PropertyValue? {
        if node.kind == .null { return nil }
        guard node.kind == .object else { throw .unexpectedShape(file: file, path: path, expected: "an object of properties", found: describeKind(node)) }
        return PropertyValue(node: node, dialect: dialect)
    }

    func propertyDependencies(_ node: JSONNode, path: String) throws(InputError) -> [(property: String, urns: [String])] {
        if node.kind == .null { return [] }
        guard node.kind == .object else { throw .unexpectedShape(file: file, path: path, expected: "an object mapping properties to URN arrays", found: describeKind(node)) }
        var result: [(property: String, urns: [String])] = []
        for (key, value) in node.members {
            let name = key.string ?? ""
            result.append((name, try stringArray(value, path: JSONPath.appending(path, key: name))))
        }
        return result.sorted { $0.property < $1.property }
    }

    /// Aliases are URN strings, or (newer engines) alias spec objects with a `urn`.
    func aliases(_ node: JSONNode, path: String) throws(InputError) -> [String] {
        if node.kind == .null { return [] }
        guard node.kind == .array else { throw .unexpectedShape(file: file, path: path, expected: "an array of URNs", found: describeKind(node)) }
        var result: [String] = []
        for element in node.elements {
            if let s = element.string { result.append(s) } else if let s = element["urn"]?.string { result.append(s) }
        }
        return result
    }
}

/// JSON path rendering shared by the readers.
enum JSONPath {
    static func appending(_ path: String, key: String) -> String {
        let identifierLike = !key.isEmpty && key.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        }
        if identifierLike { return path + "." + key }
        var escaped = ""
        for ch in key.unicodeScalars {
            switch ch {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.unicodeScalars.append(ch)
            }
        }
        return path + "[\"" + escaped + "\"]"
    }
}
