/// The organisation snapshot (docs/product.md §2.5): Pulumi Cloud REST API answers assembled into one file, typed.
/// Every part is optional: nil means "not given", which the checklist reports as not evaluable, never as a pass.
/// Field names follow the API (docs/formats.md §9); only the fields the checklist reads are kept.
public struct OrganizationSnapshot: Sendable, Hashable {
    /// The organisation's name (`acme`).
    public var organization: String?
    public var members: [Member]?
    public var teams: [Team]?
    public var tokens: [AccessToken]?
    public var policyGroups: [PolicyGroup]?
    public var auditLogs: AuditLogs?
    public var sso: SSO?
    public var scim: SCIM?
    /// The file it was read from.
    public var source: String

    public init(organization: String? = nil, members: [Member]? = nil, teams: [Team]? = nil, tokens: [AccessToken]? = nil,
                policyGroups: [PolicyGroup]? = nil, auditLogs: AuditLogs? = nil, sso: SSO? = nil, scim: SCIM? = nil,
                source: String = "org-snapshot.json") {
        self.organization = organization
        self.members = members
        self.teams = teams
        self.tokens = tokens
        self.policyGroups = policyGroups
        self.auditLogs = auditLogs
        self.sso = sso
        self.scim = scim
        self.source = source
    }

    /// An organisation member (`GET /api/orgs/{org}/members`).
    public struct Member: Sendable, Hashable {
        /// `none`, `member`, `admin`, `potential-member`, `stack-collaborator`, `billing-manager`.
        public var role: String
        /// The user's login (`user.githubLogin`), else `user.name`.
        public var login: String
        /// ISO 8601.
        public var created: String?
        /// The fine-grained role's name (`fgaRole.name`), when the org uses custom roles.
        public var fgaRole: String?

        public init(role: String, login: String, created: String? = nil, fgaRole: String? = nil) {
            self.role = role
            self.login = login
            self.created = created
            self.fgaRole = fgaRole
        }

        /// Admin through the legacy role or a fine-grained role named like one (`Admin`, `Organization Admin`).
        public var isAdmin: Bool {
            role == "admin" || (fgaRole?.lowercased().contains("admin") ?? false)
        }
    }

    /// A team (`GET /api/orgs/{org}/teams/{team}`).
    public struct Team: Sendable, Hashable {
        public struct StackGrant: Sendable, Hashable {
            public var projectName: String
            public var stackName: String
            /// 0 none, 101 read, 102 edit, 103 admin (104 also accepted by the API).
            public var permission: Int
            public init(projectName: String, stackName: String, permission: Int) {
                self.projectName = projectName
                self.stackName = stackName
                self.permission = permission
            }
            /// Admin on the stack (103 and above).
            public var isAdmin: Bool { permission >= 103 }
        }
        /// `pulumi`, `github`, `scim`.
        public var kind: String?
        public var name: String
        /// Member logins; nil when the answer had no `members`.
        public var members: [String]?
        /// nil when the answer had no `stacks`.
        public var stacks: [StackGrant]?

        public init(kind: String? = nil, name: String, members: [String]? = nil, stacks: [StackGrant]? = nil) {
            self.kind = kind
            self.name = name
            self.members = members
            self.stacks = stacks
        }
    }

    /// An access token (org, team or personal token lists), plus the `scope` the assembler adds.
    public struct AccessToken: Sendable, Hashable {
        public var id: String
        public var name: String
        /// `organization`, `team` or `personal`.
        public var scope: String
        /// ISO 8601 (date or date-time).
        public var created: String
        /// Unix seconds; 0 = never used.
        public var lastUsed: Int
        /// Unix seconds; 0 = never expires.
        public var expires: Int
        public var admin: Bool
        public var createdBy: String?

        public init(id: String, name: String, scope: String, created: String, lastUsed: Int = 0, expires: Int = 0,
                    admin: Bool = false, createdBy: String? = nil) {
            self.id = id
            self.name = name
            self.scope = scope
            self.created = created
            self.lastUsed = lastUsed
            self.expires = expires
            self.admin = admin
            self.createdBy = createdBy
        }
    }

    /// A CrossGuard policy group.
    public struct PolicyGroup: Sendable, Hashable {
        public struct StackRef: Sendable, Hashable {
            /// The stack's name.
            public var name: String
            /// Its project.
            public var routingProject: String
            public init(name: String, routingProject: String) {
                self.name = name
                self.routingProject = routingProject
            }
        }
        public struct AppliedPack: Sendable, Hashable {
            public var name: String
            public var version: String?
            /// Policy names (or `all`) set to `mandatory` by the pack's config in this group.
            public var mandatoryPolicies: [String]
            public init(name: String, version: String? = nil, mandatoryPolicies: [String] = []) {
                self.name = name
                self.version = version
                self.mandatoryPolicies = mandatoryPolicies
            }
        }
        public var name: String
        /// `stacks` or `accounts`.
        public var entityType: String?
        /// `audit` (report only) or `preventative` (blocks updates).
        public var mode: String?
        public var stacks: [StackRef]
        public var appliedPolicyPacks: [AppliedPack]

        public init(name: String, entityType: String? = nil, mode: String? = nil, stacks: [StackRef] = [],
                    appliedPolicyPacks: [AppliedPack] = []) {
            self.name = name
            self.entityType = entityType
            self.mode = mode
            self.stacks = stacks
            self.appliedPolicyPacks = appliedPolicyPacks
        }
    }

    /// Audit-log settings and, when fetched, events (`GET /api/orgs/{org}/auditlogs` → `auditLogEvents`).
    public struct AuditLogs: Sendable, Hashable {
        public struct Event: Sendable, Hashable {
            /// Unix seconds.
            public var timestamp: Int
            /// The event name (`stack-export`, `update-succeeded`, …).
            public var event: String
            public var description: String?
            public var user: String?
            public init(timestamp: Int, event: String, description: String? = nil, user: String? = nil) {
                self.timestamp = timestamp
                self.event = event
                self.description = description
                self.user = user
            }
        }
        public var enabled: Bool?
        public var exportConfigured: Bool?
        /// nil when no events were included.
        public var events: [Event]?
        public init(enabled: Bool? = nil, exportConfigured: Bool? = nil, events: [Event]? = nil) {
            self.enabled = enabled
            self.exportConfigured = exportConfigured
            self.events = events
        }
    }

    public struct SSO: Sendable, Hashable {
        /// `saml`, `oidc`, or nil when none is configured.
        public var provider: String?
        public var enforced: Bool
        public init(provider: String? = nil, enforced: Bool = false) {
            self.provider = provider
            self.enforced = enforced
        }
    }

    public struct SCIM: Sendable, Hashable {
        public var enabled: Bool
        public init(enabled: Bool) { self.enabled = enabled }
    }
}

/// The effective enforcement of a run's policy packs for one stack, as `rampart.yaml` (and
/// `--policy-pack-config`) set it: which packs have policies at `mandatory` for the stack.
public struct StackEnforcement: Sendable, Hashable {
    /// The configuration file(s) the levels came from, for messages.
    public var source: String
    /// Pack name → names of its policies whose effective level for the stack is mandatory (or remediate).
    public var mandatoryPolicies: [String: [String]]
    public init(source: String, mandatoryPolicies: [String: [String]]) {
        self.source = source
        self.mandatoryPolicies = mandatoryPolicies
    }
}
