import Foundation
import RampartJSON
import RampartModel

/// Decodes ResourceV3 objects (and the smaller engine-event `old`/`new` shape) into `Resource` values.
/// Lenient about unknown fields, strict about the types of the fields it uses.
struct ResourceDecoder: Sendable {
    let file: String
    let dialect: PropertyDialect

    func decode(_ node: JSONNode, path pathBuilder: @autoclosure () -> String) throws(InputError) -> Resource {
        var strings = SharedStrings(capacity: 0)
        return try decode(node, path: pathBuilder(), strings: &strings)
    }

    /// Decodes one resource, sharing repeated strings (type tokens, parent and provider URNs) through `strings`, the
    /// calling worker's interner. Rarely read values (id, timestamps, dependencies) stay in the input until read.
    func decode(_ node: JSONNode, path pathBuilder: @autoclosure () -> String,
                strings: inout SharedStrings) throws(InputError) -> Resource {
        guard node.kind == .object else {
            throw .unexpectedShape(file: file, path: pathBuilder(), expected: "a resource object", found: describeKind(node))
        }
        // The fields are filled in the resource's own storage: built in a local and returned, they were copied (and
        // the local destroyed) per resource. The URN is found in the same pass over the members as the rest.
        var resource = Resource(fields: Resource.Fields(urn: ResourceDecoder.unread, type: "", custom: true))
        do throws(InputError) {
            try resource.fillingFields { (fields: inout Resource.Fields) throws(InputError) in
                let urnNode = try fill(&fields, from: node, path: pathBuilder(), strings: &strings)
                let parsed = try urn(urnNode, path: pathBuilder())
                fields.urn = parsed
                if fields.type.isEmpty { fields.type = parsed.type }
            }
        } catch {
            // A missing or malformed URN is the error reported, wherever it stands among the members.
            _ = try urn(node["urn"], path: pathBuilder())
            throw error
        }
        return resource
    }

    /// What a resource's URN holds until its member is read (never seen: a resource without one is an error).
    private static let unread = URN("urn:pulumi:" + "::" + "::" + "::")!

    /// The URN `node` holds (`urn`, the last of duplicate members, as lookups read them).
    private func urn(_ node: JSONNode?, path: @autoclosure () -> String) throws(InputError) -> URN {
        guard let node else {
            throw .unexpectedShape(file: file, path: path() + ".urn", expected: "a URN string", found: "nothing (missing)")
        }
        guard let urn = URN(try string(node, path: path() + ".urn")) else { throw .invalidURN(file: file, path: path() + ".urn") }
        return urn
    }

    /// Fills `fields` but the URN from the members of `node`, read by position (`JSONTreeView`): a node for every
    /// key and value cost two reference counts on the document each, about a quarter of the decode. Only the values
    /// a resource keeps (properties, lazily read strings and lists) become nodes. Returns the `urn` member's value
    /// (the last, if several), nil when there is none.
    private func fill(_ fields: inout Resource.Fields, from node: JSONNode, path pathBuilder: @autoclosure () -> String,
                      strings: inout SharedStrings) throws(InputError) -> JSONNode? {
        fields.byteOffset = .node(node)
        var urnNode: JSONNode?
        var failure: InputError?
        node.readWithTreeView { view in
            var key = view.firstChild(of: view.root)
            let end = view.after(view.root)
            while key < end {
                let value = key &+ 1
                // A key without escapes is numbered in place; one with escapes is decoded first.
                let number = view.withStringUTF8(key) { ResourceField.number(bytes: $0) } ?? -1
                if number == ResourceField.urnNumber {
                    urnNode = view.node(value)
                } else if number >= 0, let field = ResourceField(rawValue: number) {
                    do throws(InputError) {
                        try fill(field, of: &fields, from: view, at: value, path: pathBuilder(), strings: &strings)
                    } catch {
                        failure = error
                        return
                    }
                }
                key = view.after(value)
            }
        }
        if let failure { throw failure }
        return urnNode
    }

    /// Reads one member's value, at `value` of `view`, into its field.
    private func fill(_ field: ResourceField, of fields: inout Resource.Fields, from view: JSONTreeView, at value: Int,
                      path pathBuilder: @autoclosure () -> String, strings: inout SharedStrings) throws(InputError) {
        switch field {
        case .type:
            guard let type = strings.string(view, value) else {
                throw .unexpectedShape(file: file, path: pathBuilder() + ".type", expected: "a string", found: describeKind(view.node(value)))
            }
            fields.type = type
        case .custom: fields.custom = try bool(view, value, path: pathBuilder() + ".custom")
        case .id: fields.id = try lazyString(view, value, path: pathBuilder() + ".id")
        case .parent:
            switch view.kind(value) {
            case .null: fields.parent = nil
            case .string: fields.parent = strings.string(view, value).flatMap { $0.isEmpty ? nil : $0 }
            default:
                throw .unexpectedShape(file: file, path: pathBuilder() + ".parent", expected: "a string", found: describeKind(view.node(value)))
            }
        case .provider:
            guard view.kind(value) != .null else { fields.provider = nil; fields.providerRaw = nil; return }
            // Read through the non-generic `withStringUTF8`: the generic one cost ~800 instructions a resource in
            // metadata lookups, more than the comparison below.
            var reference: ProviderReference?
            guard view.withStringUTF8(value, { raw -> Int in
                // Resources of one provider come in runs, so the previous reference is usually this one.
                if let previous = strings.lastProvider, ProviderReference.equals(previous, raw) {
                    reference = previous
                    return 0
                }
                guard let cut = ProviderReference.cut(raw) else { return 0 }
                let made = ProviderReference(urn: strings.intern(UnsafeBufferPointer(rebasing: raw[..<cut])).string,
                                             id: String(decoding: UnsafeBufferPointer(rebasing: raw[(cut + 2)...]), as: UTF8.self))
                strings.lastProvider = made
                reference = made
                return 0
            }) != nil else {
                throw .unexpectedShape(file: file, path: pathBuilder() + ".provider", expected: "a string", found: describeKind(view.node(value)))
            }
            fields.provider = reference
            // A provider that does not split is kept as written (an empty one is no provider).
            fields.providerRaw = reference == nil ? view.node(value).string.flatMap { $0.isEmpty ? nil : $0 } : nil
        case .inputs: fields.inputs = try properties(view.node(value), path: pathBuilder() + ".inputs")
        case .outputs: fields.outputs = try properties(view.node(value), path: pathBuilder() + ".outputs")
        case .defaults:
            // ResourceV1 (2017) `defaults`: used as inputs only when there are none.
            if fields.inputs == nil { fields.inputs = try properties(view.node(value), path: pathBuilder() + ".defaults") }
        case .protect: fields.protect = try bool(view, value, path: pathBuilder() + ".protect")
        case .external: fields.external = try bool(view, value, path: pathBuilder() + ".external")
        case .delete: fields.delete = try bool(view, value, path: pathBuilder() + ".delete")
        case .pendingReplacement: fields.pendingReplacement = try bool(view, value, path: pathBuilder() + ".pendingReplacement")
        case .retainOnDelete: fields.retainOnDelete = try bool(view, value, path: pathBuilder() + ".retainOnDelete")
        case .taint: fields.taint = try bool(view, value, path: pathBuilder() + ".taint")
        case .dependencies: fields.dependencies = try urnList(view, value, path: pathBuilder() + ".dependencies")
        case .propertyDependencies:
            fields.propertyDependencies = try propertyURNLists(view, value, path: pathBuilder() + ".propertyDependencies")
        case .additionalSecretOutputs:
            fields.additionalSecretOutputs = try stringArray(view.node(value), path: pathBuilder() + ".additionalSecretOutputs",
                                                             strings: &strings)
        case .aliases: fields.aliases = try aliases(view.node(value), path: pathBuilder() + ".aliases")
        case .importID: fields.importID = try lazyString(view, value, path: pathBuilder() + ".importID")
        case .deletedWith: fields.deletedWith = try lazyString(view, value, path: pathBuilder() + ".deletedWith")
        case .sourcePosition:
            fields.sourcePosition = try optionalString(view.node(value), path: pathBuilder() + ".sourcePosition").flatMap(SourcePosition.init)
        case .initErrors: fields.initErrors = try stringArray(view.node(value), path: pathBuilder() + ".initErrors")
        case .created: fields.created = try lazyString(view, value, path: pathBuilder() + ".created")
        case .modified: fields.modified = try lazyString(view, value, path: pathBuilder() + ".modified")
        }
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

    /// A boolean or null (false).
    func bool(_ view: JSONTreeView, _ value: Int, path: @autoclosure () -> String) throws(InputError) -> Bool {
        if view.kind(value) == .null { return false }
        guard let b = view.bool(value) else {
            throw .unexpectedShape(file: file, path: path(), expected: "true or false", found: describeKind(view.node(value)))
        }
        return b
    }

    /// A string or null kept as its node, decoded when read.
    func lazyString(_ view: JSONTreeView, _ value: Int, path: @autoclosure () -> String) throws(InputError) -> LazyString {
        switch view.kind(value) {
        case .null: return .value(nil)
        case .string: return .node(view.node(value))
        default: throw .unexpectedShape(file: file, path: path(), expected: "a string", found: describeKind(view.node(value)))
        }
    }

    func stringArray(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> [String] {
        var strings = SharedStrings(capacity: 0)
        return try stringArray(node, path: path(), strings: &strings)
    }

    func stringArray(_ node: JSONNode, path: @autoclosure () -> String, strings: inout SharedStrings) throws(InputError) -> [String] {
        if node.kind == .null { return [] }
        guard node.kind == .array else { throw .unexpectedShape(file: file, path: path(), expected: "an array of strings", found: describeKind(node)) }
        var result: [String] = []
        result.reserveCapacity(node.count)
        var i = 0
        for element in node.elements {
            guard let s = strings.string(element) else {
                throw .unexpectedShape(file: file, path: "\(path())[\(i)]", expected: "a string", found: describeKind(element))
            }
            result.append(s)
            i += 1
        }
        return result
    }

    func properties(_ node: JSONNode, path: @autoclosure () -> String) throws(InputError) -> PropertyValue? {
        if node.kind == .null { return nil }
        guard node.kind == .object else { throw .unexpectedShape(file: file, path: path(), expected: "an object of properties", found: describeKind(node)) }
        return PropertyValue(node: node, dialect: dialect)
    }

    /// `dependencies`: an array of strings (or null), checked here and kept in the input (`LazyURNList`).
    func urnList(_ view: JSONTreeView, _ value: Int, path: @autoclosure () -> String) throws(InputError) -> LazyURNList {
        switch view.kind(value) {
        case .null: return .value([])
        case .array: break
        default: throw .unexpectedShape(file: file, path: path(), expected: "an array of strings", found: describeKind(view.node(value)))
        }
        var element = view.firstChild(of: value)
        let end = view.after(value)
        var i = 0
        while element < end {
            guard view.kind(element) == .string else {
                throw .unexpectedShape(file: file, path: "\(path())[\(i)]", expected: "a string", found: describeKind(view.node(element)))
            }
            element &+= 1
            i += 1
        }
        return .node(view.node(value))
    }

    /// `propertyDependencies`: an object of arrays of strings (or null), checked here and kept in the input.
    func propertyURNLists(_ view: JSONTreeView, _ value: Int, path: @autoclosure () -> String) throws(InputError) -> LazyPropertyURNLists {
        switch view.kind(value) {
        case .null: return .value([])
        case .object: break
        default:
            throw .unexpectedShape(file: file, path: path(), expected: "an object mapping properties to URN arrays",
                                   found: describeKind(view.node(value)))
        }
        var key = view.firstChild(of: value)
        let end = view.after(value)
        while key < end {
            _ = try urnList(view, key &+ 1, path: JSONPath.appending(path(), key: view.node(key).string ?? ""))
            key = view.after(key &+ 1)
        }
        return .node(view.node(value))
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

/// What one decoding worker shares between the resources it decodes: repeated strings, and the last provider
/// reference (a mutable value, one per worker).
struct SharedStrings {
    private var interner: JSONStringInterner
    var lastProvider: ProviderReference?

    /// - Parameter capacity: the most distinct strings kept (0 for a one-off decode, which shares nothing).
    init(capacity: Int = 1 << 16) { interner = JSONStringInterner(capacity: capacity) }

    mutating func string(_ node: JSONNode) -> String? { interner.string(node) }
    mutating func string(_ view: JSONTreeView, _ position: Int) -> String? { interner.string(view, position) }
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (string: String, number: Int) { interner.intern(bytes) }
}

/// The ResourceV3 keys the decoder reads, recognised from the key's bytes without allocating a string.
enum ResourceField: Int, CaseIterable {
    case type, custom, id, parent, provider, inputs, outputs, defaults, protect, external, delete
    case pendingReplacement, retainOnDelete, taint, dependencies, propertyDependencies, additionalSecretOutputs
    case aliases, importID, deletedWith, sourcePosition, initErrors, created, modified

    /// What `number(bytes:)` gives for `urn`, which the decoder reads before the others.
    static let urnNumber = -2

    /// The position in `allCases` of the field named by `bytes`, `urnNumber` for `urn`, or -1. A switch on length
    /// and first byte, then one compare: this runs once per key of every resource.
    static func number(bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard bytes.count >= 2 else { return -1 }
        func named(_ name: StaticString) -> Bool {
            name.utf8CodeUnitCount == bytes.count && memcmp(name.utf8Start, bytes.baseAddress!, bytes.count) == 0
        }
        func field(_ name: StaticString, _ field: ResourceField) -> Int { named(name) ? field.rawValue : -1 }
        switch (bytes.count, bytes[0]) {
        case (3, UInt8(ascii: "u")): return named("urn") ? urnNumber : -1
        case (2, UInt8(ascii: "i")): return field("id", .id)
        case (4, UInt8(ascii: "t")): return field("type", .type)
        case (5, UInt8(ascii: "t")): return field("taint", .taint)
        case (6, UInt8(ascii: "c")): return field("custom", .custom)
        case (6, UInt8(ascii: "p")): return field("parent", .parent)
        case (6, UInt8(ascii: "i")): return field("inputs", .inputs)
        case (6, UInt8(ascii: "d")): return field("delete", .delete)
        case (7, UInt8(ascii: "o")): return field("outputs", .outputs)
        case (7, UInt8(ascii: "p")): return field("protect", .protect)
        case (7, UInt8(ascii: "a")): return field("aliases", .aliases)
        case (7, UInt8(ascii: "c")): return field("created", .created)
        case (8, UInt8(ascii: "p")): return field("provider", .provider)
        case (8, UInt8(ascii: "d")): return field("defaults", .defaults)
        case (8, UInt8(ascii: "e")): return field("external", .external)
        case (8, UInt8(ascii: "i")): return field("importID", .importID)
        case (8, UInt8(ascii: "m")): return field("modified", .modified)
        case (10, UInt8(ascii: "i")): return field("initErrors", .initErrors)
        case (11, UInt8(ascii: "d")): return field("deletedWith", .deletedWith)
        case (12, UInt8(ascii: "d")): return field("dependencies", .dependencies)
        case (14, UInt8(ascii: "r")): return field("retainOnDelete", .retainOnDelete)
        case (14, UInt8(ascii: "s")): return field("sourcePosition", .sourcePosition)
        case (18, UInt8(ascii: "p")): return field("pendingReplacement", .pendingReplacement)
        case (20, UInt8(ascii: "p")): return field("propertyDependencies", .propertyDependencies)
        case (23, UInt8(ascii: "a")): return field("additionalSecretOutputs", .additionalSecretOutputs)
        default: return -1
        }
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
