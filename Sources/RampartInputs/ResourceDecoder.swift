import Foundation
import RampartJSON
import RampartModel

/// Decodes ResourceV3 objects (and the smaller engine-event `old`/`new` shape) into `Resource` values.
/// Lenient about unknown fields, strict about the types of the fields it uses.
struct ResourceDecoder: Sendable {
    let file: String
    let dialect: PropertyDialect

    func decode(_ node: JSONNode, path pathBuilder: @autoclosure () -> String) throws(InputError) -> Resource {
        guard node.kind == .object else {
            throw .unexpectedShape(file: file, path: pathBuilder(), expected: "a resource object", found: describeKind(node))
        }
        guard let urnNode = node["urn"] else {
            throw .unexpectedShape(file: file, path: pathBuilder() + ".urn", expected: "a URN string", found: "nothing (missing)")
        }
        let urnText = try string(urnNode, path: pathBuilder() + ".urn")
        guard let urn = URN(urnText) else { throw .invalidURN(file: file, path: pathBuilder() + ".urn") }
        var resource = Resource(urn: urn)
        resource.byteOffset = node.byteOffset

        for (key, value) in node.members {
            guard let number = key.withStringUTF8({ ResourceField.number(bytes: $0) }), number >= 0 else { continue }
            let field = ResourceField.allCases[number]
            switch field {
            case .type:
                let type = try string(value, path: pathBuilder() + ".type")
                if !type.isEmpty { resource.type = type }
            case .custom: resource.custom = try bool(value, path: pathBuilder() + ".custom")
            case .id: resource.id = try optionalString(value, path: pathBuilder() + ".id")
            case .parent:
                resource.parent = try optionalString(value, path: pathBuilder() + ".parent").flatMap { $0.isEmpty ? nil : $0 }
            case .provider:
                if let raw = try optionalString(value, path: pathBuilder() + ".provider"), !raw.isEmpty {
                    resource.provider = ProviderReference(raw)
                    if resource.provider == nil { resource.providerRaw = raw }
                }
            case .inputs: resource.inputs = try properties(value, path: pathBuilder() + ".inputs")
            case .outputs: resource.outputs = try properties(value, path: pathBuilder() + ".outputs")
            case .defaults:
                // ResourceV1 (2017) `defaults`: used as inputs only when there are none.
                if resource.inputs == nil { resource.inputs = try properties(value, path: pathBuilder() + ".defaults") }
            case .protect: resource.protect = try bool(value, path: pathBuilder() + ".protect")
            case .external: resource.external = try bool(value, path: pathBuilder() + ".external")
            case .delete: resource.delete = try bool(value, path: pathBuilder() + ".delete")
            case .pendingReplacement: resource.pendingReplacement = try bool(value, path: pathBuilder() + ".pendingReplacement")
            case .retainOnDelete: resource.retainOnDelete = try bool(value, path: pathBuilder() + ".retainOnDelete")
            case .taint: resource.taint = try bool(value, path: pathBuilder() + ".taint")
            case .dependencies: resource.dependencies = try stringArray(value, path: pathBuilder() + ".dependencies")
            case .propertyDependencies:
                resource.propertyDependencies = try propertyDependencies(value, path: pathBuilder() + ".propertyDependencies")
            case .additionalSecretOutputs:
                resource.additionalSecretOutputs = try stringArray(value, path: pathBuilder() + ".additionalSecretOutputs")
            case .aliases: resource.aliases = try aliases(value, path: pathBuilder() + ".aliases")
            case .importID: resource.importID = try optionalString(value, path: pathBuilder() + ".importID")
            case .deletedWith: resource.deletedWith = try optionalString(value, path: pathBuilder() + ".deletedWith")
            case .sourcePosition:
                resource.sourcePosition = try optionalString(value, path: pathBuilder() + ".sourcePosition").flatMap(SourcePosition.init)
            case .initErrors: resource.initErrors = try stringArray(value, path: pathBuilder() + ".initErrors")
            case .created: resource.created = try optionalString(value, path: pathBuilder() + ".created")
            case .modified: resource.modified = try optionalString(value, path: pathBuilder() + ".modified")
            }
        }
        return resource
    }

    // MARK: - Field readers

    func string(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> String {
        guard let s = node.string else { throw .unexpectedShape(file: file, path: path(), expected: "a string", found: describeKind(node)) }
        return s
    }

    func optionalString(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> String? {
        if node.kind == .null { return nil }
        return try string(node, path: path())
    }

    func bool(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> Bool {
        if node.kind == .null { return false }
        guard let b = node.bool else { throw .unexpectedShape(file: file, path: path(), expected: "true or false", found: describeKind(node)) }
        return b
    }

    func stringArray(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> [String] {
        if node.kind == .null { return [] }
        guard node.kind == .array else { throw .unexpectedShape(file: file, path: path(), expected: "an array of strings", found: describeKind(node)) }
        var result: [String] = []
        result.reserveCapacity(node.count)
        var i = 0
        for element in node.elements {
            result.append(try string(element, path: "\(path())[\(i)]"))
            i += 1
        }
        return result
    }

    func properties(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> PropertyValue? {
        if node.kind == .null { return nil }
        guard node.kind == .object else { throw .unexpectedShape(file: file, path: path(), expected: "an object of properties", found: describeKind(node)) }
        return PropertyValue(node: node, dialect: dialect)
    }

    func propertyDependencies(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> [(property: String, urns: [String])] {
        if node.kind == .null { return [] }
        guard node.kind == .object else { throw .unexpectedShape(file: file, path: path(), expected: "an object mapping properties to URN arrays", found: describeKind(node)) }
        var result: [(property: String, urns: [String])] = []
        for (key, value) in node.members {
            let name = key.string ?? ""
            result.append((name, try stringArray(value, path: JSONPath.appending(path(), key: name))))
        }
        return result.sorted { $0.property < $1.property }
    }

    /// Aliases are URN strings, or (newer engines) alias spec objects with a `urn`.
    func aliases(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> [String] {
        if node.kind == .null { return [] }
        guard node.kind == .array else { throw .unexpectedShape(file: file, path: path(), expected: "an array of URNs", found: describeKind(node)) }
        var result: [String] = []
        for element in node.elements {
            if let s = element.string { result.append(s) } else if let s = element["urn"]?.string { result.append(s) }
        }
        return result
    }
}

/// The ResourceV3 keys the decoder reads, recognised from the key's bytes without allocating a string.
enum ResourceField: String, CaseIterable {
    case type, custom, id, parent, provider, inputs, outputs, defaults, protect, external, delete
    case pendingReplacement, retainOnDelete, taint, dependencies, propertyDependencies, additionalSecretOutputs
    case aliases, importID, deletedWith, sourcePosition, initErrors, created, modified

    /// Fields indexed by key length, each with its UTF-8 bytes (an array index, not a hash, per key).
    private static let byLength: [[(bytes: [UInt8], number: Int)]] = {
        var table = [[(bytes: [UInt8], number: Int)]](repeating: [], count: 32)
        for (number, field) in allCases.enumerated() { table[field.rawValue.utf8.count].append((Array(field.rawValue.utf8), number)) }
        return table
    }()

    /// The position in `allCases` of the field named by `bytes`, or -1.
    static func number(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard bytes.count > 0, bytes.count < ResourceField.byLength.count else { return -1 }
        for candidate in ResourceField.byLength[bytes.count] where candidate.bytes[0] == bytes[0] {
            if memcmp(candidate.bytes, bytes.baseAddress!, bytes.count) == 0 { return candidate.number }
        }
        return -1
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
