import RampartModel
import RampartPolicy

extension AzureBaseline {
    static var databasePolicies: [any Policy] {
        [sqlTDE, sqlAuditing, sqlADAdmin, sqlFirewallNotOpen, sqlPublicNetworkAccess, cosmosNetwork, postgresMySQLSSL]
    }

    static let nativeSQLServer = "azure-native:sql:Server"
    static let classicSQLServer = "azure:sql/sqlServer:SqlServer"
    static let mssqlServer = "azure:mssql/server:Server"
    /// Auditing policies and AD administrators by their server, for native and classic servers.
    static let nativeAuditJoin = Baseline.attachmentQuery(
        TypeSelector(AzureTypes.native("sql", "ServerBlobAuditingPolicy") + AzureTypes.native("sql", "ExtendedServerBlobAuditingPolicy")),
        property: "serverName")
    static let classicAuditJoin = Baseline.attachmentQuery(
        TypeSelector(["azure:mssql/serverExtendedAuditingPolicy:ServerExtendedAuditingPolicy"]), property: "serverId")
    static let nativeADAdminJoin = Baseline.attachmentQuery(TypeSelector(AzureTypes.native("sql", "ServerAzureADAdministrator")),
                                                            property: "serverName")
    static let classicADAdminJoin = Baseline.attachmentQuery(
        TypeSelector(["azure:sql/activeDirectoryAdministrator:ActiveDirectoryAdministrator"]), property: "serverName")

    /// The keys a child resource may use to name its SQL server: id, name.
    static func serverKeys(_ server: ResourceContext) -> [String?] {
        [server.props["id"].string, server.resource.id, server.props["name"].string]
    }

    static let sqlTDE = SwiftResourcePolicy(
        Baseline.descriptor("azure-sql-transparent-data-encryption", "SQL databases keep transparent data encryption on.", .high,
            rationale: "TDE encrypts database files, backups and logs at rest; turning it off leaves them in clear on Azure storage.",
            remediation: "Leave `transparentDataEncryptionEnabled` true (classic `azure:mssql/Database`) or set `state: \"Enabled\"` on the `azure-native:sql:TransparentDataEncryption`.",
            frameworks: [BaselineFrameworks.cisAzure("4.1.5"), nist("SC-28")],
            examples: [
                Baseline.ex("azure:mssql/database:Database", #"{"transparentDataEncryptionEnabled": true}"#, .pass),
                Baseline.ex("azure:mssql/database:Database", #"{"transparentDataEncryptionEnabled": false}"#, .violation),
                Baseline.ex("azure-native:sql:TransparentDataEncryption", #"{"state": "Enabled"}"#, .pass),
                Baseline.ex("azure-native:sql/v20221101preview:TransparentDataEncryption", #"{"state": "Disabled"}"#, .violation),
            ]),
        types: ["azure:mssql/database:Database"] + AzureTypes.native("sql", "TransparentDataEncryption")
    ) { db, _ in
        if AzureTypes.isNative(db) {
            return .check((try db.string("state") ?? "Enabled") == "Enabled", "Transparent data encryption of \(db.name) is disabled.")
        }
        return .check(try db.bool("transparentDataEncryptionEnabled") != false, "Database \(db.name) has transparent data encryption turned off.")
    }

    static let sqlAuditing = SwiftResourcePolicy(
        Baseline.descriptor("azure-sql-server-auditing", "SQL servers have auditing enabled.", .medium,
            rationale: "Server auditing records logins, queries and permission changes; without it a breach cannot be reconstructed.",
            remediation: "Add an `azure:mssql/ServerExtendedAuditingPolicy` (classic) or `azure-native:sql:ServerBlobAuditingPolicy` with `state: \"Enabled\"` for the server.",
            frameworks: [BaselineFrameworks.cisAzure("4.1.1"), nist("AU-12")],
            examples: [
                Baseline.joined(.pass, nil,
                    ExampleResource("sql", type: mssqlServer, properties: #"{"name": "sql-1"}"#),
                    ExampleResource("audit", type: "azure:mssql/serverExtendedAuditingPolicy:ServerExtendedAuditingPolicy",
                                    properties: #"{"serverId": "x", "enabled": true}"#, propertyDependencies: ["serverId": ["sql"]])),
                Baseline.ex(mssqlServer, #"{"name": "sql-1"}"#, .violation),
                Baseline.joined(.violation, "native auditing policy disabled",
                    ExampleResource("sql", type: nativeSQLServer, properties: #"{"name": "sql-1"}"#),
                    ExampleResource("audit", type: "azure-native:sql:ServerBlobAuditingPolicy",
                                    properties: #"{"serverName": "sql-1", "state": "Disabled"}"#)),
                Baseline.joined(.pass, "preview: server name unknown, joined by dependency",
                    ExampleResource("sql", type: nativeSQLServer, properties: #"{"name": \#(Baseline.unknown)}"#),
                    ExampleResource("audit", type: "azure-native:sql:ServerBlobAuditingPolicy",
                                    properties: #"{"serverName": \#(Baseline.unknown), "state": "Enabled"}"#,
                                    propertyDependencies: ["serverName": ["sql"]])),
                Baseline.ex(classicSQLServer, #"{"extendedAuditingPolicy": {"storageEndpoint": "https://a.blob.core.windows.net/"}}"#, .pass,
                            "legacy inline auditing"),
            ]),
        types: AzureTypes.sqlServers
    ) { server, _ in
        if try server.value("extendedAuditingPolicy").count ?? 0 > 0 { return .pass }
        let native = AzureTypes.isNative(server)
        let audits = Baseline.attachments(to: server, native ? nativeAuditJoin : classicAuditJoin, keys: serverKeys(server))
        for audit in audits.matched {
            let on = native ? try audit.string("state") == "Enabled" : try audit.bool("enabled") != false
            if on { return .pass }
        }
        if !audits.unresolved.isEmpty { return .indeterminate("an auditing policy targets a server not known until deployment") }
        return .violation("SQL server \(server.name) has no enabled auditing policy.")
    }

    static let sqlADAdmin = SwiftResourcePolicy(
        Baseline.descriptor("azure-sql-server-ad-admin", "SQL servers have a Microsoft Entra ID (Azure AD) administrator.", .medium,
            rationale: "Entra ID authentication gives central identity, MFA and revocation; a server with only a SQL login admin relies on one shared password.",
            remediation: "Set `azureadAdministrator` (classic `azure:mssql/Server`), add an `azure:sql/ActiveDirectoryAdministrator`, or set `administrators` / add an `azure-native:sql:ServerAzureADAdministrator`.",
            frameworks: [BaselineFrameworks.cisAzure("4.1.4")],
            examples: [
                Baseline.ex(mssqlServer, #"{"azureadAdministrator": {"loginUsername": "dba", "objectId": "o"}}"#, .pass),
                Baseline.ex(mssqlServer, #"{"azureadAdministrator": null}"#, .violation),
                Baseline.ex(nativeSQLServer, #"{"administrators": {"login": "dba", "sid": "s"}}"#, .pass),
                Baseline.joined(.pass, "legacy server with a separate administrator",
                    ExampleResource("sql", type: classicSQLServer, properties: #"{"name": "sql-1"}"#),
                    ExampleResource("admin", type: "azure:sql/activeDirectoryAdministrator:ActiveDirectoryAdministrator",
                                    properties: #"{"serverName": "sql-1", "login": "dba"}"#)),
            ]),
        types: AzureTypes.sqlServers
    ) { server, _ in
        for key in ["azureadAdministrator", "administrators"] where try server.value(key).count ?? 0 > 0 { return .pass }
        let native = AzureTypes.isNative(server)
        let admins = Baseline.attachments(to: server, native ? nativeADAdminJoin : classicADAdminJoin, keys: serverKeys(server))
        if !admins.matched.isEmpty { return .pass }
        if !admins.unresolved.isEmpty { return .indeterminate("an AD administrator targets a server not known until deployment") }
        return .violation("SQL server \(server.name) has no Entra ID (Azure AD) administrator.")
    }

    static let firewallRuleTypes = [
        "azure:sql/firewallRule:FirewallRule", "azure:mssql/firewallRule:FirewallRule",
        "azure:postgresql/firewallRule:FirewallRule", "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
        "azure:mysql/firewallRule:FirewallRule", "azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
        "azure:mariadb/firewallRule:FirewallRule",
    ] + AzureTypes.native("sql", "FirewallRule") + AzureTypes.native("dbforpostgresql", "FirewallRule")
        + AzureTypes.native("dbformysql", "FirewallRule")

    static let sqlFirewallNotOpen = SwiftResourcePolicy(
        Baseline.descriptor("azure-database-firewall-not-open-to-internet", "Database firewall rules do not admit the whole internet.", .critical,
            rationale: "A rule from 0.0.0.0 to 255.255.255.255 lets any address try logins against the server.",
            remediation: "Narrow the rule to the addresses that need access, or use private endpoints.",
            frameworks: [BaselineFrameworks.cisAzure("4.1.2"), nist("SC-7")],
            examples: [
                Baseline.ex("azure:sql/firewallRule:FirewallRule", #"{"startIpAddress": "10.0.17.62", "endIpAddress": "10.0.17.62"}"#, .pass),
                Baseline.ex("azure:mssql/firewallRule:FirewallRule", #"{"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}"#, .violation),
                Baseline.ex("azure-native:sql:FirewallRule", #"{"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}"#, .pass,
                            "0.0.0.0–0.0.0.0 means 'allow Azure services'"),
                Baseline.ex("azure-native:dbforpostgresql/v20221201:FirewallRule", #"{"startIpAddress": "1.0.0.0", "endIpAddress": "254.255.255.255"}"#, .violation),
            ]),
        types: firewallRuleTypes
    ) { rule, _ in
        guard let start = try rule.string("startIpAddress"), let end = try rule.string("endIpAddress"),
              let low = BaselineNetwork.ipv4(start), let high = BaselineNetwork.ipv4(end) else { return .pass }
        // Half the address space or more is "the internet" for this purpose.
        return .check(high < low || high - low < 1 << 31,
                      "Firewall rule \(rule.name) admits \(start)–\(end).")
    }

    static let sqlPublicNetworkAccess = SwiftResourcePolicy(
        Baseline.descriptor("azure-sql-server-public-network-access-disabled", "SQL servers disable public network access.", .medium,
            rationale: "With public network access on, the server endpoint is reachable from the internet, guarded by firewall rules alone.",
            remediation: "Set `publicNetworkAccessEnabled: false` (classic `azure:mssql/Server`) or `publicNetworkAccess: \"Disabled\"` (azure-native) and connect through private endpoints.",
            frameworks: [nist("SC-7")],
            examples: [
                Baseline.ex(mssqlServer, #"{"publicNetworkAccessEnabled": false}"#, .pass),
                Baseline.ex(mssqlServer, #"{}"#, .violation, "the default is enabled"),
                Baseline.ex(nativeSQLServer, #"{"publicNetworkAccess": "Disabled"}"#, .pass),
                Baseline.ex(nativeSQLServer, #"{"publicNetworkAccess": "Enabled"}"#, .violation),
            ]),
        types: [mssqlServer] + AzureTypes.native("sql", "Server")
    ) { server, _ in
        let open = AzureTypes.isNative(server)
            ? (try server.string("publicNetworkAccess") ?? "Enabled") != "Disabled"
            : try server.bool("publicNetworkAccessEnabled") ?? true
        return .check(!open, "SQL server \(server.name) allows public network access.")
    }

    static let cosmosNetwork = SwiftResourcePolicy(
        Baseline.descriptor("azure-cosmosdb-network-restricted", "Cosmos DB accounts are not open to all networks.", .high,
            rationale: "An account without IP or virtual-network filters accepts connections from anywhere, guarded by its keys alone.",
            remediation: "Disable public network access, or set IP rules (`ipRangeFilter` / `ipRules`) or virtual network rules with `isVirtualNetworkFilterEnabled: true`.",
            frameworks: [BaselineFrameworks.cisAzure("4.5.1"), nist("SC-7")],
            examples: [
                Baseline.ex("azure:cosmosdb/account:Account", #"{"isVirtualNetworkFilterEnabled": true, "ipRangeFilter": []}"#, .pass),
                Baseline.ex("azure:cosmosdb/account:Account", #"{"isVirtualNetworkFilterEnabled": false, "ipRangeFilter": []}"#, .violation),
                Baseline.ex("azure-native:documentdb:DatabaseAccount", #"{"publicNetworkAccess": "Disabled"}"#, .pass),
                Baseline.ex("azure-native:documentdb:DatabaseAccount", #"{"ipRules": [{"ipAddressOrRange": "203.0.113.0/24"}]}"#, .pass),
                Baseline.ex("azure-native:documentdb/v20230415:DatabaseAccount", #"{"publicNetworkAccess": "Enabled", "ipRules": []}"#, .violation),
            ]),
        types: ["azure:cosmosdb/account:Account"] + AzureTypes.native("documentdb", "DatabaseAccount")
    ) { account, _ in
        if try account.string("publicNetworkAccess") == "Disabled" { return .pass }
        if try account.bool("publicNetworkAccessEnabled") == false { return .pass }
        if try account.bool("isVirtualNetworkFilterEnabled") == true { return .pass }
        let ranges = try account.value("ipRangeFilter").count ?? 0
        let rules = try account.value("ipRules").count ?? 0
        if ranges > 0 || rules > 0 { return .pass }
        return .violation("Cosmos DB account \(account.name) accepts connections from all networks.")
    }

    static let postgresMySQLSSL = SwiftResourcePolicy(
        Baseline.descriptor("azure-postgresql-mysql-ssl-enforced", "PostgreSQL and MySQL servers require SSL connections.", .high,
            rationale: "Without enforced SSL, credentials and query results cross the network in clear.",
            remediation: "Set `sslEnforcementEnabled: true` (classic single server), `sslEnforcement: \"Enabled\"` (azure-native), and leave `require_secure_transport` ON for flexible servers.",
            frameworks: [BaselineFrameworks.cisAzure("4.3.1"), BaselineFrameworks.cisAzure("4.4.1"), nist("SC-8")],
            examples: [
                Baseline.ex("azure:postgresql/server:Server", #"{"sslEnforcementEnabled": true}"#, .pass),
                Baseline.ex("azure:mysql/server:Server", #"{"sslEnforcementEnabled": false}"#, .violation),
                Baseline.ex("azure-native:dbforpostgresql:Server", #"{"sslEnforcement": "Disabled"}"#, .violation),
                Baseline.ex("azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
                            #"{"name": "require_secure_transport", "value": "off"}"#, .violation),
                Baseline.ex("azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration",
                            #"{"name": "max_connections", "value": "100"}"#, .notApplicable),
                Baseline.ex("azure-native:dbformysql:Configuration", #"{"configurationName": "require_secure_transport", "value": "ON"}"#, .pass),
            ]),
        types: ["azure:postgresql/server:Server", "azure:mysql/server:Server",
                "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
                "azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration"]
            + AzureTypes.native("dbforpostgresql", "Server") + AzureTypes.native("dbformysql", "Server")
            + AzureTypes.native("dbforpostgresql", "Configuration") + AzureTypes.native("dbformysql", "Configuration")
    ) { server, _ in
        if server.type.hasSuffix("Configuration") {
            let name = try server.string("configurationName") ?? server.string("name")
            guard name == "require_secure_transport" else { throw PolicyControl.notApplicable("not the require_secure_transport setting") }
            return .check(try server.string("value")?.lowercased() != "off", "\(server.name) turns require_secure_transport off.")
        }
        let on = AzureTypes.isNative(server) ? (try server.string("sslEnforcement") ?? "Enabled") == "Enabled"
            : try server.bool("sslEnforcementEnabled") ?? true
        return .check(on, "Database server \(server.name) does not enforce SSL connections.")
    }
}
