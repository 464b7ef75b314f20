import Foundation
import RampartInputs
import RampartModel
import Testing

@Suite struct OrgSnapshotReaderTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/org-snapshot.json").path

    func read(_ json: String) throws -> OrganizationSnapshot {
        try OrgSnapshotReader().read(Array(json.utf8), file: "org.json")
    }

    func error(_ json: String) -> String? {
        do { _ = try read(json); return nil } catch { return String(describing: error) }
    }

    @Test func readsEveryPartOfTheSample() throws {
        let snapshot = try OrgSnapshotReader().read(Self.sample)
        #expect(snapshot.organization == "acme")
        #expect(snapshot.members?.map(\.login) == ["alice", "bob", "carol", "dave", "erin", "frank"])
        #expect(snapshot.members?.filter(\.isAdmin).count == 2)
        #expect(snapshot.members?[4].fgaRole == "Member")
        #expect(snapshot.teams?.map(\.name) == ["platform", "developers"])
        #expect(snapshot.teams?[0].stacks?.filter(\.isAdmin).count == 3)
        #expect(snapshot.tokens?.map(\.scope) == ["organization", "team", "personal", "personal"])
        #expect(snapshot.tokens?[0].expires == 0)
        #expect(snapshot.policyGroups?[0].appliedPolicyPacks[0].mandatoryPolicies == ["all"])
        #expect(snapshot.policyGroups?[1].mode == "audit")
        #expect(snapshot.auditLogs?.events?.map(\.user) == ["alice", "bob"])
        #expect(snapshot.sso == OrganizationSnapshot.SSO(provider: "saml", enforced: true))
        #expect(snapshot.scim?.enabled == true)
    }

    @Test func leavesMissingPartsNil() throws {
        let snapshot = try read(#"{"organization": "acme", "sso": {"provider": null, "enforced": false}}"#)
        #expect(snapshot.members == nil && snapshot.teams == nil && snapshot.tokens == nil && snapshot.auditLogs == nil)
        #expect(snapshot.sso?.provider == nil)
    }

    @Test func acceptsTheAPIEnvelopes() throws {
        let snapshot = try read(#"""
            {"members": {"members": [{"role": "admin", "user": {"name": "A", "githubLogin": "a"}}], "continuationToken": null},
             "tokens": {"tokens": [{"id": "t1", "name": "ci", "created": "2026-01-01 10:00:00", "lastUsed": 0, "expires": 0, "admin": false, "scope": "team"}]}}
            """#)
        #expect(snapshot.members?.map(\.login) == ["a"])
        #expect(snapshot.tokens?.map(\.name) == ["ci"])
    }

    @Test func rejectsWrongShapesWithTheirJSONPath() {
        #expect(error(#"{"members": [{"role": "admin", "user": "a"}]}"#)
                == "org.json: at $.members[0].user: expected an object {name, githubLogin}, found a string")
        #expect(error(#"{"teams": [{"name": "t", "stacks": [{"projectName": "p", "stackName": "s", "permission": "admin"}]}]}"#)
                == "org.json: at $.teams[0].stacks[0].permission: expected an integer, found a string")
        #expect(error(#"{"tokens": [{"id": "t", "created": "2026-01-01"}]}"#)
                == #"org.json: at $.tokens[0].scope: expected "organization", "team" or "personal" (added when assembling the snapshot), found nothing (missing)"#)
        #expect(error(#"{"tokens": [{"id": "t", "created": "last week", "scope": "team"}]}"#)
                == "org.json: at $.tokens[0].created: expected an ISO 8601 date (YYYY-MM-DD…), found 'last week'")
        #expect(error(#"{"sso": true}"#) == "org.json: at $.sso: expected an object {provider, enforced}, found a boolean")
        #expect(error(#"[]"#) == "org.json: at $: expected an organisation snapshot object, found an array")
    }

    @Test func rejectsUnknownTopLevelKeys() {
        #expect(error(#"{"member": []}"#)?.contains("found an unknown key 'member'") == true)
    }

    @Test func rejectsMalformedJSON() {
        #expect(error(#"{"members": ["#)?.hasPrefix("org.json:") == true)
    }
}
