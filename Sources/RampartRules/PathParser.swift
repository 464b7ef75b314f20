import RampartModel
/// Parses references and property paths (docs/rules.md, "What a rule can read") once, at load.
struct PathParser {
    /// Why a path did not parse: the message tail after `invalid path '…': `.
    struct Problem: Error { var message: String }

    static let identityReferences: [String: Reference] = [
        "$type": .type, "$name": .name, "$urn": .urn, "$id": .id, "$stack": .stack, "$project": .project, "$org": .org,
        "$protect": .protect, "$custom": .custom, "$parent.type": .parentType, "$parent.name": .parentName,
        "$provider.type": .providerType, "$this": .props(PropertyPath(segments: [], text: "$this")),
    ]
    static let pathPrefixes = ["$inputs", "$outputs", "$provider.props", "$config"]
    static var allReferenceNames: [String] { identityReferences.keys.sorted() + pathPrefixes }

    /// Parses a `path:` value. `configKeys` are the keys `$config.` may name.
    static func reference(_ text: String, configKeys: Set<String>) throws(Problem) -> Reference {
        guard text.hasPrefix("$") else { return .props(try path(text, allowEmpty: false)) }
        if let identity = identityReferences[text] { return identity }
        for prefix in pathPrefixes where text.hasPrefix(prefix) {
            let rest = String(text.dropFirst(prefix.count))
            guard rest.isEmpty || rest.hasPrefix(".") || rest.hasPrefix("[") else { continue }
            let body = rest.hasPrefix(".") ? String(rest.dropFirst()) : rest
            switch prefix {
            case "$inputs": return .inputs(try path(body, allowEmpty: true, text: text))
            case "$outputs": return .outputs(try path(body, allowEmpty: true, text: text))
            case "$provider.props": return .providerProps(try path(body, allowEmpty: true, text: text))
            default:
                let p = try path(body, allowEmpty: false, text: text)
                guard case .key(let key)? = p.segments.first else {
                    throw Problem(message: "expected '$config.<key>'")
                }
                guard configKeys.contains(key) else {
                    let declared = configKeys.sorted()
                    throw Problem(message: "config key '\(key)' is not declared in the policy's config"
                        + (declared.isEmpty ? "; expected a key declared under 'config'" : "; expected one of: \(declared.joined(separator: ", "))")
                        + Suggestion.hint(for: key, in: declared))
                }
                return .config(key: key, path: PropertyPath(segments: Array(p.segments.dropFirst()), text: text))
            }
        }
        let head = String(text.prefix { $0 != "." && $0 != "[" })
        throw Problem(message: "unknown reference '\(head)'" + Suggestion.hint(for: text, in: allReferenceNames)
            + (Suggestion.closest(to: text, in: allReferenceNames) == nil ? "; expected one of: \(allReferenceNames.joined(separator: ", "))" : ""))
    }

    /// Parses `a.b[0].c`, `["weird.key"]`, `[*]`, `.*`.
    static func path(_ source: String, allowEmpty: Bool, text: String? = nil) throws(Problem) -> PropertyPath {
        let display = text ?? source
        let chars = Array(source.unicodeScalars)
        if chars.isEmpty {
            if allowEmpty { return PropertyPath(segments: [], text: display) }
            throw Problem(message: "the path is empty; expected key names separated by '.'")
        }
        var segments: [PathSegment] = []
        var i = 0
        var expectKey = true  // at the start or right after '.'
        func bad(_ what: String) -> Problem {
            Problem(message: "\(what) at character \(i + 1); expected key names separated by '.', [n], [*], .* or [\"key\"]")
        }
        while i < chars.count {
            let c = chars[i]
            if c == "[" {
                if expectKey && !segments.isEmpty { throw bad("'[' right after '.'") }
                i += 1
                guard i < chars.count else { throw bad("unterminated '['") }
                if chars[i] == "*" {
                    guard i + 1 < chars.count, chars[i + 1] == "]" else { throw bad("expected ']' after '[*'") }
                    segments.append(.everyElement); i += 2
                } else if chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]; i += 1
                    var key = String.UnicodeScalarView()
                    while i < chars.count, chars[i] != quote {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        key.append(chars[i]); i += 1
                    }
                    guard i + 1 < chars.count, chars[i + 1] == "]" else { throw bad("unterminated quoted key") }
                    segments.append(.key(String(key))); i += 2
                } else {
                    var digits = ""
                    while i < chars.count, chars[i] != "]" { digits.unicodeScalars.append(chars[i]); i += 1 }
                    guard i < chars.count else { throw bad("unterminated '['") }
                    guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal && $0.isASCII }),
                          let n = Int(digits) else { throw bad("'[\(digits)]' is not an index") }
                    segments.append(.index(n)); i += 1
                }
                expectKey = false
            } else if c == "." {
                if expectKey { throw bad("empty key") }
                i += 1
                guard i < chars.count else { throw bad("trailing '.'") }
                if chars[i] == "*" && (i + 1 == chars.count || chars[i + 1] == "." || chars[i + 1] == "[") {
                    segments.append(.everyMember); i += 1; expectKey = false
                } else {
                    expectKey = true
                }
            } else {
                guard expectKey else { throw bad("unexpected '\(Character(c))'") }
                if c == "*" && segments.isEmpty && (i + 1 == chars.count || chars[i + 1] == "." || chars[i + 1] == "[") {
                    segments.append(.everyMember); i += 1; expectKey = false; continue
                }
                var key = String.UnicodeScalarView()
                while i < chars.count, chars[i] != ".", chars[i] != "[" { key.append(chars[i]); i += 1 }
                segments.append(.key(String(key)))
                expectKey = false
            }
        }
        if expectKey && !segments.isEmpty { throw bad("trailing '.'") }
        return PropertyPath(segments: segments, text: display)
    }
}
