import RampartBuiltins
import RampartModel
import RampartPolicy
import Testing

/// Builds snapshots and evaluates the organisation policies on the organisation subject.
enum Org {
    static let today = "2026-05-01"
    static let subject = OrganizationScope.identity(organization: "acme")

    static func member(_ login: String, _ role: String = "member") -> OrganizationSnapshot.Member {
        OrganizationSnapshot.Member(role: role, login: login)
    }

    static func evaluate(_ policy: any StackPolicy, _ snapshot: OrganizationSnapshot?, config: [String: ConfigValue] = [:],
                         stack: Stack? = nil) throws -> [Outcome] {
        var evidence = Evidence(organization: snapshot)
        evidence.today = today
        evidence.organizationSubject = subject.description
        let stack = stack ?? Stack(identity: subject, source: "org.json", kind: .projectConfig, propertySource: .outputs,
                                   graph: ResourceGraph(resources: []))
        let merged = policy.descriptor.configSchema.defaults.merging(PolicyConfig(config))
        return try policy.evaluate(StackContext(stack: stack, evidence: evidence), config: merged).entries.map(\.outcome)
    }

    static func kinds(_ outcomes: [Outcome]) -> [OutcomeKind] { outcomes.map(\.kind) }

    static func reason(_ outcomes: [Outcome]) -> String? {
        if case .indeterminate(let r)? = outcomes.first { return r } else { return nil }
    }

    /// Unix seconds of a date.
    static func unix(_ date: String) -> Int { CivilDate(parsing: date)!.day * 86_400 }
}

@Suite struct OrganizationPolicyTests {
    /// Thresholds come from rampart.yaml as numbers; an absurd one is a threshold like any other, never a trap.
    @Test func absurdThresholdsNeverTrap() throws {
        let huge: [String: ConfigValue] = ["maxTokenAgeDays": .number(1e308), "reviewWindowDays": .number(1e308), "maxAdmins": .number(1e308)]
        let snapshot = OrganizationSnapshot(members: [Org.member("alice", "admin")])
        for policy in [TokenRotationPolicy(), RevisionHistoryReviewedPolicy(), LeastPrivilegeRBACPolicy()] as [any StackPolicy] {
            _ = try Org.evaluate(policy, snapshot, config: huge.filter { policy.descriptor.configSchema.properties[$0.key] != nil })
        }
    }

    // MARK: - sso-enforced

    @Test func ssoPassesWhenSAMLIsEnforced() throws {
        #expect(Org.kinds(try Org.evaluate(SSOEnforcedPolicy(), OrganizationSnapshot(sso: .init(provider: "saml", enforced: true)))) == [.pass])
    }

    @Test func ssoFailsWhenNotEnforcedOrMissing() throws {
        let configured = try Org.evaluate(SSOEnforcedPolicy(), OrganizationSnapshot(sso: .init(provider: "oidc", enforced: false)))
        #expect(Fixture.messages(configured) == ["the organisation has OIDC SSO configured but not enforced: members can still sign in otherwise"])
        #expect(Org.kinds(try Org.evaluate(SSOEnforcedPolicy(), OrganizationSnapshot(sso: .init(provider: nil, enforced: false)))) == [.violation])
    }

    @Test func ssoIsNotEvaluableWithoutSnapshotOrPart() throws {
        #expect(Org.reason(try Org.evaluate(SSOEnforcedPolicy(), nil)) == "not evaluable: no organisation snapshot given (--org)")
        #expect(Org.reason(try Org.evaluate(SSOEnforcedPolicy(), OrganizationSnapshot(organization: "acme", source: "/x/org.json")))
                == "not evaluable: the organisation snapshot org.json has no 'sso' part")
    }

    @Test func organisationItemsAreReportedOnlyUnderTheOrganisationSubject() throws {
        let other = Fixture.stack("prod")
        #expect(Org.kinds(try Org.evaluate(SSOEnforcedPolicy(), nil, stack: other)) == [.notApplicable])
    }

    // MARK: - least-privilege-rbac and broad-org-admin

    static let fewAdmins = ["a": "admin", "b": "admin", "c": "member", "d": "member", "e": "member", "f": "member",
                            "g": "member", "h": "member", "i": "member", "j": "member"]

    static func members(_ roles: [String: String]) -> [OrganizationSnapshot.Member] {
        roles.keys.sorted().map { Org.member($0, roles[$0]!) }
    }

    static func team(_ name: String, _ grants: [(String, Int)]) -> OrganizationSnapshot.Team {
        OrganizationSnapshot.Team(name: name, members: [], stacks: grants.map {
            let parts = $0.0.split(separator: "/").map(String.init)
            return .init(projectName: parts[0], stackName: parts[1], permission: $0.1)
        })
    }

    @Test func rbacPassesWithFewAdminsAndTeamGrants() throws {
        let snapshot = OrganizationSnapshot(members: Self.members(Self.fewAdmins),
                                            teams: [Self.team("web", [("web/prod", 103), ("db/prod", 101)])])
        #expect(Org.kinds(try Org.evaluate(LeastPrivilegeRBACPolicy(), snapshot)) == [.pass])
    }

    @Test func rbacFailsOnManyAdminsCollaboratorsAndAdminEverywhere() throws {
        var roles = Self.fewAdmins
        roles["c"] = "admin"; roles["d"] = "admin"; roles["e"] = "stack-collaborator"
        let snapshot = OrganizationSnapshot(members: Self.members(roles),
                                            teams: [Self.team("ops", [("web/prod", 103), ("db/prod", 103)]), Self.team("dev", [("web/prod", 102)])])
        #expect(Fixture.messages(try Org.evaluate(LeastPrivilegeRBACPolicy(), snapshot)) == [
            "4 of 10 members (40%) are admins (at most 20% allowed): a, b, c, d",
            "1 member(s) get stack access directly as stack collaborators rather than through a team: e",
            "team 'ops' is admin on every stack the organisation grants (2)",
        ])
        #expect(Fixture.messages(try Org.evaluate(LeastPrivilegeRBACPolicy(), snapshot, config: ["maxAdmins": .number(3), "maxAdminRatio": .number(0.5)])).first
                == "4 of 10 members are admins (at most 3 allowed): a, b, c, d")
    }

    @Test func rbacIsNotEvaluableWithoutMembersOrTeams() throws {
        #expect(Org.reason(try Org.evaluate(LeastPrivilegeRBACPolicy(), nil)) == "not evaluable: no organisation snapshot given (--org)")
        let onlyMembers = OrganizationSnapshot(members: Self.members(Self.fewAdmins), source: "org.json")
        #expect(Org.reason(try Org.evaluate(LeastPrivilegeRBACPolicy(), onlyMembers)) == "not evaluable: the organisation snapshot org.json has no 'teams' part")
    }

    @Test func broadOrgAdminPassesWithTwoAdmins() throws {
        #expect(Org.kinds(try Org.evaluate(BroadOrgAdminPolicy(), OrganizationSnapshot(members: Self.members(Self.fewAdmins)))) == [.pass])
    }

    @Test func broadOrgAdminFailsWhenEveryMemberIsAdmin() throws {
        let snapshot = OrganizationSnapshot(organization: "acme", members: [Org.member("a", "admin"), Org.member("b", "admin")])
        #expect(Fixture.messages(try Org.evaluate(BroadOrgAdminPolicy(), snapshot)) == ["every one of the 2 members of organisation 'acme' is an admin"])
        let many = OrganizationSnapshot(members: (0..<30).map { Org.member("u\($0)", $0 < 6 ? "admin" : "member") })
        #expect(Fixture.messages(try Org.evaluate(BroadOrgAdminPolicy(), many)).first?.hasPrefix("6 of 30 members are admins (at most 5 allowed)") == true)
    }

    @Test func broadOrgAdminIsNotEvaluableWithoutMembers() throws {
        #expect(Org.reason(try Org.evaluate(BroadOrgAdminPolicy(), OrganizationSnapshot(sso: .init(), source: "s.json")))
                == "not evaluable: the organisation snapshot s.json has no 'members' part")
    }

    // MARK: - token-rotation

    static func token(_ name: String, created: String, expires: String?) -> OrganizationSnapshot.AccessToken {
        OrganizationSnapshot.AccessToken(id: name, name: name, scope: "organization", created: created + "T10:00:00.000Z",
                                         expires: expires.map(Org.unix) ?? 0)
    }

    @Test func tokenRotationPassesForYoungExpiringAndExpiredTokens() throws {
        let snapshot = OrganizationSnapshot(tokens: [Self.token("young", created: "2026-03-01", expires: "2026-09-01"),
                                                     Self.token("expired", created: "2024-01-01", expires: "2024-06-01")])
        #expect(Org.kinds(try Org.evaluate(TokenRotationPolicy(), snapshot)) == [.pass])
    }

    @Test func tokenRotationFailsForOldAndNonExpiringTokens() throws {
        let snapshot = OrganizationSnapshot(tokens: [Self.token("old", created: "2026-01-01", expires: "2027-01-01"),
                                                     Self.token("forever", created: "2026-04-30", expires: nil)])
        #expect(Fixture.messages(try Org.evaluate(TokenRotationPolicy(), snapshot)) == [
            "organization token 'forever' never expires",
            "organization token 'old' is 120 days old and still valid (rotate within 90 days)",
        ])
        #expect(Fixture.messages(try Org.evaluate(TokenRotationPolicy(), snapshot, config: ["maxTokenAgeDays": .number(180)])).count == 1)
    }

    @Test func tokenRotationIsNotEvaluableWithoutTokens() throws {
        #expect(Org.reason(try Org.evaluate(TokenRotationPolicy(), OrganizationSnapshot(source: "o.json")))
                == "not evaluable: the organisation snapshot o.json has no 'tokens' part")
    }

    // MARK: - audit-logging

    @Test func auditLoggingPassesWhenEnabledAndExportedIfRequired() throws {
        let logs = OrganizationSnapshot(auditLogs: .init(enabled: true, exportConfigured: true))
        #expect(Org.kinds(try Org.evaluate(AuditLoggingPolicy(), logs, config: ["requireExport": .bool(true)])) == [.pass])
        #expect(Org.kinds(try Org.evaluate(AuditLoggingPolicy(), OrganizationSnapshot(auditLogs: .init(enabled: true, exportConfigured: false)))) == [.pass])
    }

    @Test func auditLoggingFailsWhenDisabledOrNotExported() throws {
        #expect(Org.kinds(try Org.evaluate(AuditLoggingPolicy(), OrganizationSnapshot(auditLogs: .init(enabled: false)))) == [.violation])
        let unexported = OrganizationSnapshot(organization: "acme", auditLogs: .init(enabled: true, exportConfigured: false))
        #expect(Fixture.messages(try Org.evaluate(AuditLoggingPolicy(), unexported, config: ["requireExport": .bool(true)]))
                == ["organisation 'acme' has audit logs enabled but no automated export configured"])
    }

    @Test func auditLoggingIsNotEvaluableWithoutTheSetting() throws {
        #expect(Org.reason(try Org.evaluate(AuditLoggingPolicy(), nil)) == "not evaluable: no organisation snapshot given (--org)")
        #expect(Org.kinds(try Org.evaluate(AuditLoggingPolicy(), OrganizationSnapshot(auditLogs: .init()))) == [.indeterminate])
    }

    // MARK: - revision-history-reviewed

    static func events(_ items: [(String, String)]) -> OrganizationSnapshot {
        OrganizationSnapshot(auditLogs: .init(enabled: true, events: items.map { .init(timestamp: Org.unix($0.1) + 3600, event: $0.0) }))
    }

    @Test func historyReviewPassesWithARecentReviewEvent() throws {
        #expect(Org.kinds(try Org.evaluate(RevisionHistoryReviewedPolicy(), Self.events([("stack-export", "2026-04-20")]))) == [.pass])
        let custom = Self.events([("update-log-opened", "2026-04-25")])
        #expect(Org.kinds(try Org.evaluate(RevisionHistoryReviewedPolicy(), custom, config: ["reviewEvents": .array([.string("update-log-*")])])) == [.pass])
    }

    @Test func historyReviewFailsWhenStaleOrAbsent() throws {
        #expect(Fixture.messages(try Org.evaluate(RevisionHistoryReviewedPolicy(), Self.events([("stack-export", "2026-02-01")])))
                == ["stack history was last reviewed 89 days ago ('stack-export' on 2026-02-01), more than 30 days"])
        #expect(Org.kinds(try Org.evaluate(RevisionHistoryReviewedPolicy(), Self.events([("member-added", "2026-04-30")]))) == [.violation])
        #expect(Org.kinds(try Org.evaluate(RevisionHistoryReviewedPolicy(), OrganizationSnapshot(auditLogs: .init(enabled: false)))) == [.violation])
    }

    @Test func historyReviewIsNotEvaluableWithoutEvents() throws {
        #expect(Org.reason(try Org.evaluate(RevisionHistoryReviewedPolicy(), OrganizationSnapshot(auditLogs: .init(enabled: true), source: "o.json")))
                == "not evaluable: the organisation snapshot o.json has no 'auditLogs.auditLogEvents' part")
    }
}
