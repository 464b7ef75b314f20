import RampartJSON
import RampartModel

/// Reads the organisation snapshot (docs/product.md §2.5, docs/org-snapshot.schema.json) into `OrganizationSnapshot`.
///
/// Each part is the Pulumi Cloud answer under a fixed key. So that `curl … > part.json` can be pasted unchanged,
/// `members`, `teams`, `tokens` and `policyGroups` also accept the API's envelope (`{"members": [...],
/// "continuationToken": …}`), and `auditLogs` accepts the `auditLogEvents` of `GET /api/orgs/{org}/auditlogs`
/// beside `enabled`/`exportConfigured`. Unknown top-level keys are errors (a typo would otherwise turn an item into
/// "not evaluable" silently); fields inside API objects that Rampart does not read are ignored, since the API adds
/// fields over time. A wrong shape is an error naming the JSON path and what was expected.
public struct OrgSnapshotReader: Sendable {
    static let topLevelKeys = ["organization", "members", "teams", "tokens", "policyGroups", "auditLogs", "sso", "scim"]
    static let tokenScopes = ["organization", "team", "personal"]

    public init() {}

    public func read(_ path: String) throws(InputError) -> OrganizationSnapshot {
        let bytes = try FileLoader.read(path, limit: 256 << 20)
        guard !bytes.isEmpty else { throw .unexpectedShape(file: path, path: "$", expected: "an organisation snapshot object", found: "an empty file") }
        return try read(bytes, file: path)
    }

    public func read(_ bytes: [UInt8], file: String) throws(InputError) -> OrganizationSnapshot {
        let document: JSONDocument
        do { document = try JSONDocument.parse(bytes) } catch { throw .malformedJSON(file: file, error) }
        let root = Node(json: document.root, path: "$", file: file)
        try root.expect(.object, "an organisation snapshot object")
        for (key, _) in root.json.members {
            let name = key.string ?? ""
            guard Self.topLevelKeys.contains(name) else {
                throw .unexpectedShape(file: file, path: "$", expected: "only the keys \(Self.topLevelKeys.joined(separator: ", "))",
                                       found: "an unknown key '\(name)'")
            }
        }
        var snapshot = OrganizationSnapshot(source: file)
        snapshot.organization = try root.optional("organization")?.string()
        snapshot.members = try root.optional("members")?.list(envelope: "members").map(member)
        snapshot.teams = try root.optional("teams")?.list(envelope: "teams").map(team)
        snapshot.tokens = try root.optional("tokens")?.list(envelope: "tokens").map(token)
        snapshot.policyGroups = try root.optional("policyGroups")?.list(envelope: "policyGroups").map(policyGroup)
        if let node = try root.optional("auditLogs") { snapshot.auditLogs = try auditLogs(node) }
        if let node = try root.optional("sso") {
            try node.expect(.object, "an object {provider, enforced}")
            snapshot.sso = OrganizationSnapshot.SSO(provider: try node.optional("provider")?.string(),
                                                    enforced: try node.optional("enforced")?.bool() ?? false)
        }
        if let node = try root.optional("scim") {
            try node.expect(.object, "an object {enabled}")
            snapshot.scim = OrganizationSnapshot.SCIM(enabled: try node.optional("enabled")?.bool() ?? false)
        }
        return snapshot
    }

    // MARK: - Parts

    private func member(_ node: Node) throws(InputError) -> OrganizationSnapshot.Member {
        try node.expect(.object, "a member object {role, user{name, githubLogin}, created}")
        let user = try node.required("user", "an object {name, githubLogin}")
        try user.expect(.object, "an object {name, githubLogin}")
        return OrganizationSnapshot.Member(
            role: try node.required("role", "a role string").string(), login: try login(user),
            created: try node.optional("created")?.string(), fgaRole: try node.optional("fgaRole")?.optional("name")?.string())
    }

    private func login(_ user: Node) throws(InputError) -> String {
        if let login = try user.optional("githubLogin")?.string(), !login.isEmpty { return login }
        return try user.required("githubLogin", "a githubLogin or name string").string()
    }

    private func team(_ node: Node) throws(InputError) -> OrganizationSnapshot.Team {
        try node.expect(.object, "a team object {kind, name, members, stacks}")
        let members = try node.optional("members")?.list().map { (m: Node) throws(InputError) -> String in
            try m.expect(.object, "a team member object {githubLogin, name, role}")
            if let login = try m.optional("githubLogin")?.string(), !login.isEmpty { return login }
            return try m.required("name", "a githubLogin or name string").string()
        }
        let stacks = try node.optional("stacks")?.list().map { (s: Node) throws(InputError) -> OrganizationSnapshot.Team.StackGrant in
            try s.expect(.object, "a stack permission object {projectName, stackName, permission}")
            return OrganizationSnapshot.Team.StackGrant(
                projectName: try s.required("projectName", "a project name").string(),
                stackName: try s.required("stackName", "a stack name").string(),
                permission: try s.required("permission", "a permission number (101 read, 102 edit, 103 admin)").int())
        }
        return OrganizationSnapshot.Team(kind: try node.optional("kind")?.string(), name: try node.required("name", "a team name").string(),
                                         members: members, stacks: stacks)
    }

    private func token(_ node: Node) throws(InputError) -> OrganizationSnapshot.AccessToken {
        try node.expect(.object, "an access token object {id, name, created, lastUsed, expires, admin, createdBy, scope}")
        let scopeNode = try node.required("scope", "\"organization\", \"team\" or \"personal\" (added when assembling the snapshot)")
        let scope = try scopeNode.string()
        guard Self.tokenScopes.contains(scope) else {
            throw .unexpectedShape(file: node.file, path: scopeNode.path, expected: "\"organization\", \"team\" or \"personal\"", found: "'\(scope)'")
        }
        let createdNode = try node.required("created", "an ISO 8601 date")
        let created = try createdNode.string()
        guard CivilDate(parsing: created) != nil else {
            throw .unexpectedShape(file: node.file, path: createdNode.path, expected: "an ISO 8601 date (YYYY-MM-DD…)", found: "'\(created)'")
        }
        let idNode = try node.required("id", "a token id")
        let id = idNode.json.kind == .number ? String(try idNode.int()) : try idNode.string()
        return OrganizationSnapshot.AccessToken(
            id: id, name: try node.optional("name")?.string() ?? "", scope: scope, created: created,
            lastUsed: try node.optional("lastUsed")?.int() ?? 0, expires: try node.optional("expires")?.int() ?? 0,
            admin: try node.optional("admin")?.bool() ?? false, createdBy: try node.optional("createdBy")?.string())
    }

    private func policyGroup(_ node: Node) throws(InputError) -> OrganizationSnapshot.PolicyGroup {
        try node.expect(.object, "a policy group object {name, entityType, mode, stacks, appliedPolicyPacks}")
        let stacks = try node.optional("stacks")?.list().map { (s: Node) throws(InputError) -> OrganizationSnapshot.PolicyGroup.StackRef in
            try s.expect(.object, "a stack object {name, routingProject}")
            return OrganizationSnapshot.PolicyGroup.StackRef(name: try s.required("name", "a stack name").string(),
                                                             routingProject: try s.required("routingProject", "a project name").string())
        } ?? []
        let packs = try node.optional("appliedPolicyPacks")?.list().map { (p: Node) throws(InputError) -> OrganizationSnapshot.PolicyGroup.AppliedPack in
            try p.expect(.object, "an applied policy pack object {name, version, config}")
            let version = try p.optional("version").map { (v: Node) throws(InputError) -> String in
                v.json.kind == .number ? String(try v.int()) : try v.string()
            }
            return OrganizationSnapshot.PolicyGroup.AppliedPack(name: try p.required("name", "a pack name").string(), version: version,
                                                                mandatoryPolicies: try mandatory(p.optional("config")))
        } ?? []
        return OrganizationSnapshot.PolicyGroup(name: try node.required("name", "a policy group name").string(),
                                                entityType: try node.optional("entityType")?.string(), mode: try node.optional("mode")?.string(),
                                                stacks: stacks, appliedPolicyPacks: packs)
    }

    /// Policy names (or `all`) a pack config sets to mandatory: `{"all": "mandatory"}`, `{"p": {"enforcementLevel": "mandatory"}}`.
    private func mandatory(_ config: Node?) throws(InputError) -> [String] {
        guard let config else { return [] }
        try config.expect(.object, "a policy pack config object")
        var names: [String] = []
        for (key, value) in config.json.members {
            let level = value.kind == .object ? value["enforcementLevel"]?.string : value.string
            if level == "mandatory" || level == "remediate", let name = key.string { names.append(name) }
        }
        return names.sorted()
    }

    private func auditLogs(_ node: Node) throws(InputError) -> OrganizationSnapshot.AuditLogs {
        try node.expect(.object, "an object {enabled, exportConfigured, auditLogEvents?}")
        let events = try node.optional("auditLogEvents")?.list().map { (e: Node) throws(InputError) -> OrganizationSnapshot.AuditLogs.Event in
            try e.expect(.object, "an audit log event {timestamp, event, description, user}")
            var user: String?
            if let u = try e.optional("user") {
                if u.json.kind == .object {
                    let login = try u.optional("githubLogin")
                    user = try (login != nil ? login : u.optional("name"))?.string()
                } else {
                    user = try u.string()
                }
            }
            return OrganizationSnapshot.AuditLogs.Event(
                timestamp: try e.required("timestamp", "a Unix time in seconds").int(), event: try e.required("event", "an event name").string(),
                description: try e.optional("description")?.string(), user: user)
        }
        return OrganizationSnapshot.AuditLogs(enabled: try node.optional("enabled")?.bool(),
                                              exportConfigured: try node.optional("exportConfigured")?.bool(), events: events)
    }
}

/// A JSON node with its path, for located errors.
private struct Node {
    let json: JSONNode
    let path: String
    let file: String

    func expect(_ kind: JSONKind, _ expected: String) throws(InputError) {
        guard json.kind == kind else { throw .unexpectedShape(file: file, path: path, expected: expected, found: describeKind(json)) }
    }

    /// The member `key`; nil when absent or null.
    func optional(_ key: String) throws(InputError) -> Node? {
        guard json.kind == .object, let child = json[key], child.kind != .null else { return nil }
        return Node(json: child, path: "\(path).\(key)", file: file)
    }

    func required(_ key: String, _ expected: String) throws(InputError) -> Node {
        guard let node = try optional(key) else {
            throw .unexpectedShape(file: file, path: "\(path).\(key)", expected: expected, found: "nothing (missing)")
        }
        return node
    }

    func string() throws(InputError) -> String {
        guard let s = json.string else { throw .unexpectedShape(file: file, path: path, expected: "a string", found: describeKind(json)) }
        return s
    }

    func bool() throws(InputError) -> Bool {
        guard let b = json.bool else { throw .unexpectedShape(file: file, path: path, expected: "true or false", found: describeKind(json)) }
        return b
    }

    func int() throws(InputError) -> Int {
        guard let n = json.number, n == n.rounded(), abs(n) < 1e15 else {
            throw .unexpectedShape(file: file, path: path, expected: "an integer", found: json.kind == .number ? "a number that is not an integer" : describeKind(json))
        }
        return Int(n)
    }

    /// The elements of an array; with `envelope`, also the API answer `{"<envelope>": [...]}`.
    func list(envelope: String? = nil) throws(InputError) -> [Node] {
        if let envelope, json.kind == .object, let inner = json[envelope], inner.kind == .array {
            return Node(json: inner, path: "\(path).\(envelope)", file: file).elements
        }
        try expect(.array, envelope.map { "an array (or the API answer {\"\($0)\": [...]})" } ?? "an array")
        return elements
    }

    private var elements: [Node] {
        json.elements.enumerated().map { Node(json: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }
}
