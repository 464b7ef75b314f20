import RampartModel
import RampartPolicy

/// Reads a policy's `config:` — a JSON-Schema subset — into a `ConfigSchema`, validating defaults.
struct ConfigSchemaChecker {
    let doc: DocumentChecker
    static let propertyKeys = ["type", "items", "default", "enum", "minimum", "maximum", "description"]
    static let typeNames = ["string", "number", "integer", "boolean", "array", "object"]

    func schema(_ node: YAMLNode) throws(RulesError) -> ConfigSchema {
        let m = try doc.mapping(node, "'config'")
        var properties: [String: ConfigProperty] = [:]
        for entry in m.entries {
            guard PolicyPack.isValidName(entry.key) else {
                throw doc.fail(entry.keyNode, "config key '\(entry.key)': expected a name of letters, digits, '-', '_' or '.'")
            }
            properties[entry.key] = try property(entry.value, "config '\(entry.key)'")
        }
        return ConfigSchema(properties: properties)
    }

    private func type(_ node: YAMLNode, _ what: String, items: YAMLNode?) throws(RulesError) -> ConfigType {
        let name = try doc.string(node, "'type' of \(what)")
        switch name {
        case "string": return .string
        case "number": return .number
        case "integer": return .integer
        case "boolean": return .boolean
        case "object": return .object
        case "array":
            guard let items else { return .array(items: nil) }
            let m = try doc.mapping(items, "'items' of \(what)")
            try doc.checkKeys(m, allowed: ["type", "items"], in: "'items' of \(what)")
            let t = try doc.require(m, "type", in: "'items' of \(what)", expected: "a type")
            return .array(items: try type(t, "the items of \(what)", items: m["items"]))
        default:
            throw doc.fail(node, "'type' of \(what): found '\(name)', expected one of \(Self.typeNames.joined(separator: ", "))\(Suggestion.hint(for: name, in: Self.typeNames))")
        }
    }

    private func property(_ node: YAMLNode, _ what: String) throws(RulesError) -> ConfigProperty {
        let m = try doc.mapping(node, what)
        try doc.checkKeys(m, allowed: Self.propertyKeys, in: what)
        let typeNode = try doc.require(m, "type", in: what, expected: "one of \(Self.typeNames.joined(separator: ", "))")
        if m["items"] != nil, typeNode.string != "array" {
            throw doc.fail(m.entry("items")!.keyNode, "'items' in \(what) whose type is not array; expected 'items' only with type: array")
        }
        var property = ConfigProperty(type: try type(typeNode, what, items: m["items"]))
        property.description = try m["description"].map { (n) throws(RulesError) in try doc.string(n, "'description' of \(what)") }
        if let e = m["enum"] {
            guard case .array(let values) = try doc.value(e, "'enum' of \(what)"), !values.isEmpty else {
                throw doc.wrongType(e, "'enum' of \(what)", expected: "a non-empty list of allowed values")
            }
            for value in values where !property.type.accepts(value) {
                throw doc.fail(e, "'enum' of \(what): found \(value.rendered), expected values of type \(property.type.name)")
            }
            property.allowed = values
        }
        property.minimum = try m["minimum"].map { (n) throws(RulesError) in try doc.number(n, "'minimum' of \(what)") }
        property.maximum = try m["maximum"].map { (n) throws(RulesError) in try doc.number(n, "'maximum' of \(what)") }
        if let d = m["default"] {
            let value = try doc.value(d, "'default' of \(what)")
            if let problem = property.problem(with: value) { throw doc.fail(d, "'default' of \(what): \(problem)") }
            property.defaultValue = value
        }
        return property
    }
}

/// Compiles `message` templates (docs/rules.md, "Messages"); unknown variables are rejected at load.
struct TemplateParser {
    let doc: DocumentChecker
    let conditions: ConditionChecker
    /// Stack policies have no resource: only `stack` and `config.` are allowed.
    let forStack: Bool

    static let resourceVariables = ["name", "type", "urn", "id", "stack", "props.<path>", "config.<key>"]
    static let stackVariables = ["stack", "config.<key>"]

    func template(_ node: YAMLNode) throws(RulesError) -> MessageTemplate {
        let text = try doc.string(node, "'message'")
        var parts: [MessageTemplate.Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw doc.fail(node, "'message': found '{{' without a closing '}}', expected {{ variable }}")
            }
            let variable = String(rest[open.upperBound..<close.lowerBound]).trimmingWhitespace
            parts.append(try part(variable, node))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return MessageTemplate(parts: parts)
    }

    private func part(_ variable: String, _ node: YAMLNode) throws(RulesError) -> MessageTemplate.Part {
        let allowed = forStack ? Self.stackVariables : Self.resourceVariables
        func unknown() -> RulesError {
            let names = allowed.map { $0.replacingOccurrences(of: ".<path>", with: "").replacingOccurrences(of: ".<key>", with: "") }
            return doc.fail(node, "unknown template variable '{{ \(variable) }}' in 'message'\(Suggestion.hint(for: variable, in: names)); expected one of: \(allowed.joined(separator: ", "))")
        }
        switch variable {
        case "stack": return .stack
        case "name" where !forStack: return .name
        case "type" where !forStack: return .type
        case "urn" where !forStack: return .urn
        case "id" where !forStack: return .id
        default: break
        }
        if variable.hasPrefix("config.") {
            let reference = try conditions.reference("$" + variable, node)
            return .value(reference)
        }
        if variable.hasPrefix("props.") || variable.hasPrefix("props["), !forStack {
            let path = String(variable.dropFirst(variable.hasPrefix("props.") ? 6 : 5))
            let parsed: PropertyPath
            do {
                parsed = try PathParser.path(path, allowEmpty: false, text: variable)
            } catch {
                throw doc.fail(node, "invalid path in template variable '{{ \(variable) }}': \(error.message)")
            }
            if parsed.hasWildcard {
                throw doc.fail(node, "template variable '{{ \(variable) }}' has a wildcard; expected a path to one value")
            }
            return .value(.props(parsed))
        }
        throw unknown()
    }
}
