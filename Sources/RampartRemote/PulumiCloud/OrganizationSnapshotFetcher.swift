import Foundation
import RampartJSON

/// Assembles the organisation snapshot of `pulumi://ORG` from the Pulumi Cloud API: the same requests
/// docs/org-snapshot.md makes with `curl`, joined into the same JSON document (API field names unchanged), so
/// `OrgSnapshotReader` reads it exactly as it reads a file and `--save-org` can keep it for the record.
///
/// A part the token may not read (401/403 on any of its requests) is left out whole — a partial list would turn
/// "not evaluable" into a wrong pass — so the items that need it are reported not evaluable. Every other failure
/// is an error.
struct OrganizationSnapshotFetcher: Sendable {
    let client: PulumiCloudClient
    let organization: String
    /// At most this many audit-log events are read, newest first (the review window of `revision-history-reviewed`
    /// is days to weeks; the bound keeps the snapshot small for organisations with a long log).
    var maxAuditLogEvents = 100_000
    var now: @Sendable () -> Date = { Date() }

    private var org: String { PulumiCloudClient.encode(organization) }
    private var location: String { "pulumi://\(organization)" }

    func snapshot() async throws(RemoteError) -> [UInt8] {
        let members = try await part { () async throws(RemoteError) in
            try await client.list("/api/orgs/\(org)/members", query: [("type", "backend")], key: "members", location: at("members"))
        }
        let teamNames = try await part { () async throws(RemoteError) in
            try await client.list("/api/orgs/\(org)/teams", key: "teams", location: at("teams")).map { team throws(RemoteError) in
                guard let name = team["name"]?.string else {
                    throw .unexpectedResponse(location: at("teams"), reason: "expected a team name string at $.teams[].name")
                }
                return name
            }
        }
        let teams: [JSONNode]? = try await teamNames.asyncMap { names throws(RemoteError) in
            try await part { () async throws(RemoteError) in
                var details: [JSONNode] = []
                for name in names {
                    let path = "/api/orgs/\(org)/teams/\(PulumiCloudClient.encode(name))"
                    details.append(try await client.object(path, location: at("teams/\(name)")).root)
                }
                return details
            }
        } ?? nil
        // Team tokens need the team names: without them the token list would be incomplete.
        let tokens: [(String, JSONNode)]? = try await teamNames.asyncMap { names throws(RemoteError) in try await self.tokens(teams: names) } ?? nil
        let policyGroups = try await part { () async throws(RemoteError) in
            var groups: [JSONNode] = []
            for group in try await client.list("/api/orgs/\(org)/policygroups", key: "policyGroups", location: at("policygroups")) {
                guard let name = group["name"]?.string else {
                    throw .unexpectedResponse(location: at("policygroups"), reason: "expected a name string at $.policyGroups[].name")
                }
                let path = "/api/orgs/\(org)/policygroups/\(PulumiCloudClient.encode(name))"
                groups.append(try await client.object(path, location: at("policygroups/\(name)")).root)
            }
            return groups
        }
        let auditLogs = try await auditLogs()
        let sso = try await sso()

        var w = JSONWriter(style: .pretty(indent: 2))
        w.beginObject()
        w.key("organization"); w.string(organization)
        if let members { w.key("members"); array(members, &w) }
        if let teams { w.key("teams"); array(teams, &w) }
        if let tokens {
            w.key("tokens"); w.beginArray()
            for (scope, token) in tokens {
                w.beginObject()
                for (key, value) in token.members where key.string != "scope" {
                    w.key(key.string ?? ""); w.node(value)
                }
                w.key("scope"); w.string(scope)
                w.endObject()
            }
            w.endArray()
        }
        if let policyGroups { w.key("policyGroups"); array(policyGroups, &w) }
        if let auditLogs {
            w.key("auditLogs"); w.beginObject()
            w.key("enabled"); w.bool(true)
            if let exported = auditLogs.exportConfigured { w.key("exportConfigured"); w.bool(exported) }
            w.key("auditLogEvents"); array(auditLogs.events, &w)
            w.endObject()
        }
        if let sso {
            w.key("sso"); w.beginObject()
            w.key("provider"); if let provider = sso.provider { w.string(provider) } else { w.null() }
            w.key("enforced"); w.bool(sso.enforced)
            w.endObject()
        }
        w.endObject()
        return w.takeBytes() + [0x0A]
    }

    // MARK: - Parts

    /// Tokens of the three scopes (`organization`, `team`, `personal`), each tagged with its scope.
    private func tokens(teams: [String]) async throws(RemoteError) -> [(String, JSONNode)]? {
        try await part { () async throws(RemoteError) in
            var tokens: [(String, JSONNode)] = []
            for token in try await client.list("/api/orgs/\(org)/tokens", key: "tokens", location: at("tokens")) {
                tokens.append(("organization", token))
            }
            for team in teams {
                let path = "/api/orgs/\(org)/teams/\(PulumiCloudClient.encode(team))/tokens"
                for token in try await client.list(path, key: "tokens", location: at("teams/\(team)/tokens")) {
                    tokens.append(("team", token))
                }
            }
            for token in try await client.list("/api/user/tokens", query: [("show_expired", "true")], key: "tokens",
                                               location: "pulumi://user/tokens") {
                tokens.append(("personal", token))
            }
            return tokens
        }
    }

    /// The audit log's newest events (at most `maxAuditLogEvents`, as the API pages them) and whether an
    /// export is configured (nil when that setting may not be read).
    private func auditLogs() async throws(RemoteError) -> (events: [JSONNode], exportConfigured: Bool?)? {
        let events = try await part { () async throws(RemoteError) -> [JSONNode] in
            let start = Int(now().timeIntervalSince1970)
            var events: [JSONNode] = []
            var token: String?
            for _ in 0..<PulumiCloudClient.maxPages {
                var query = [("startTime", String(start))]
                if let token { query.append(("continuationToken", token)) }
                let page = try await client.object("/api/orgs/\(org)/auditlogs", query: query, location: at("auditlogs"))
                guard let list = page.root["auditLogEvents"], list.kind == .array else {
                    throw .unexpectedResponse(location: at("auditlogs"), reason: "expected an array at $.auditLogEvents")
                }
                events.append(contentsOf: list.elements.prefix(maxAuditLogEvents - events.count))
                guard let next = page.root["continuationToken"]?.string, !next.isEmpty, next != token,
                      events.count < maxAuditLogEvents else { break }
                token = next
            }
            return events
        }
        guard let events else { return nil }
        let exportConfigured: Bool?
        do throws(RemoteError) {
            _ = try await client.get("/api/orgs/\(org)/auditlogs/export/config", location: at("auditlogs/export/config"))
            exportConfigured = true
        } catch {
            if case .status(_, 404, _) = error { exportConfigured = false } else if error.isAccessDenied { exportConfigured = nil } else { throw error }
        }
        return (events, exportConfigured)
    }

    /// The organisation's SAML settings: a SAML-backed organisation (an identity-provider descriptor configured) signs
    /// its members in through that provider. Left out when the API does not answer for the organisation (not a SAML
    /// organisation, or not readable with this token).
    private func sso() async throws(RemoteError) -> (provider: String?, enforced: Bool)? {
        do throws(RemoteError) {
            let saml = try await client.object("/api/orgs/\(org)/auth/saml", location: at("auth/saml"))
            let descriptor = saml.root["idpSsoDescriptor"]?.string ?? ""
            return descriptor.isEmpty ? (nil, false) : ("saml", true)
        } catch {
            if error.isAccessDenied { return nil }
            if case .status(_, 404, _) = error { return nil }
            throw error
        }
    }

    // MARK: - Helpers

    /// The part `read` returns, or nil when the token may not read it.
    private func part<Value>(_ read: () async throws(RemoteError) -> Value) async throws(RemoteError) -> Value? {
        do throws(RemoteError) { return try await read() } catch {
            if error.isAccessDenied { return nil }
            throw error
        }
    }

    private func at(_ part: String) -> String { "\(location)/\(part)" }

    private func array(_ nodes: [JSONNode], _ w: inout JSONWriter) {
        w.beginArray()
        for node in nodes { w.node(node) }
        w.endArray()
    }
}

extension Optional {
    /// `map` for an async transform.
    fileprivate func asyncMap<Mapped>(_ transform: (Wrapped) async throws(RemoteError) -> Mapped) async throws(RemoteError) -> Mapped? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
