import RampartModel
import RampartPolicy

extension GCPBaseline {
    static var dataPolicies: [any Policy] { [sqlRequireSSL, sqlNoOpenAuthorizedNetworks, sqlNoPublicIP, sqlBackups, sqlDatabaseFlags, kmsRotation] }

    static let sqlRequireSSL = SwiftResourcePolicy(
        Baseline.descriptor("gcp-sql-require-ssl", "Cloud SQL instances accept only encrypted connections.", .high,
            rationale: "Unencrypted connections expose credentials and query results on the network.",
            remediation: "Set `settings.ipConfiguration.sslMode: \"ENCRYPTED_ONLY\"` (or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`); older providers: `requireSsl: true`.",
            frameworks: [BaselineFrameworks.cisGCP("6.4"), nist("SC-8")],
            examples: [
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"sslMode": "ENCRYPTED_ONLY"}}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"requireSsl": true}}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"requireSsl": false, "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}}}"#, .violation),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"requireSsl": false}}}"#, .violation),
            ]),
        types: [GCPTypes.sqlInstance]
    ) { db, _ in
        let mode = try db.string("settings.ipConfiguration.sslMode") ?? ""
        if mode == "ENCRYPTED_ONLY" || mode == "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" { return .pass }
        let requireSSL = try db.bool("settings.ipConfiguration.requireSsl") == true
        return .check(mode.isEmpty && requireSSL,
                      "Cloud SQL instance \(db.name) accepts unencrypted connections.")
    }

    static let sqlNoOpenAuthorizedNetworks = SwiftResourcePolicy(
        Baseline.descriptor("gcp-sql-no-public-authorized-networks", "Cloud SQL instances do not authorize 0.0.0.0/0.", .critical,
            rationale: "An authorized network of 0.0.0.0/0 lets every address on the internet try to log in.",
            remediation: "Remove 0.0.0.0/0 from `settings.ipConfiguration.authorizedNetworks`; use the Cloud SQL Auth Proxy or private IP.",
            frameworks: [BaselineFrameworks.cisGCP("6.5"), nist("SC-7")],
            examples: [
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"authorizedNetworks": [{"value": "203.0.113.0/24"}]}}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"authorizedNetworks": [{"name": "all", "value": "0.0.0.0/0"}]}}}"#, .violation),
            ]),
        types: [GCPTypes.sqlInstance]
    ) { db, _ in
        for (i, network) in try db.value("settings.ipConfiguration.authorizedNetworks").elements.enumerated() {
            if let value = try network["value"].requireString("authorizedNetworks[\(i)].value"), BaselineNetwork.isAnywhere(value) {
                return .violation("Cloud SQL instance \(db.name) authorizes \(value).")
            }
        }
        return .pass
    }

    static let sqlNoPublicIP = SwiftResourcePolicy(
        Baseline.descriptor("gcp-sql-no-public-ip", "Cloud SQL instances have no public IPv4 address.", .medium,
            rationale: "A public address puts the database endpoint on the internet, guarded by authorized networks alone.",
            remediation: "Set `settings.ipConfiguration.ipv4Enabled: false` with a `privateNetwork`.",
            frameworks: [BaselineFrameworks.cisGCP("6.6"), nist("SC-7")],
            examples: [
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"ipv4Enabled": false, "privateNetwork": "n"}}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"ipConfiguration": {"ipv4Enabled": true}}}"#, .violation),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {}}"#, .violation, "public IPv4 is the default"),
            ]),
        types: [GCPTypes.sqlInstance]
    ) { db, _ in
        .check(try db.bool("settings.ipConfiguration.ipv4Enabled") == false, "Cloud SQL instance \(db.name) has a public IPv4 address.")
    }

    static let sqlBackups = SwiftResourcePolicy(
        Baseline.descriptor("gcp-sql-automated-backups", "Cloud SQL instances take automated backups.", .medium,
            rationale: "Without backups a deleted table or corrupted instance cannot be restored.",
            remediation: "Set `settings.backupConfiguration: { enabled: true }` (and point-in-time recovery where supported).",
            frameworks: [BaselineFrameworks.cisGCP("6.7"), nist("CP-9")],
            examples: [
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"backupConfiguration": {"enabled": true}}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"settings": {"backupConfiguration": {"enabled": false}}}"#, .violation),
                Baseline.ex(GCPTypes.sqlInstance, #"{"masterInstanceName": "primary", "settings": {}}"#, .notApplicable, "read replicas are not backed up"),
            ]),
        types: [GCPTypes.sqlInstance]
    ) { db, _ in
        if !(try db.string("masterInstanceName") ?? "").isEmpty { return .notApplicable("read replica") }
        return .check(try db.bool("settings.backupConfiguration.enabled") == true, "Cloud SQL instance \(db.name) takes no automated backups.")
    }

    /// Flags CIS asks for, by engine prefix: name, required value, the engine's default when the flag is not set
    /// (so an absent flag is judged by what the server really does), CIS control.
    static let requiredFlags: [(engine: String, flag: String, value: String, absent: String, control: String)] = [
        ("MYSQL_5", "local_infile", "off", "on", "6.1.3"),
        ("MYSQL_8", "local_infile", "off", "off", "6.1.3"),
        ("POSTGRES", "log_connections", "on", "off", "6.2.2"),
        ("POSTGRES", "log_disconnections", "on", "off", "6.2.3"),
        ("SQLSERVER", "cross db ownership chaining", "off", "off", "6.3.2"),
        ("SQLSERVER", "contained database authentication", "off", "off", "6.3.7"),
    ]

    static let sqlDatabaseFlags = SwiftResourcePolicy(
        Baseline.descriptor("gcp-sql-database-flags", "Cloud SQL instances set the security-relevant database flags.", .medium,
            rationale: "MySQL `local_infile` lets clients read server files; PostgreSQL connection logging records who connected; SQL Server cross-database ownership chaining and contained authentication bypass server-level controls.",
            remediation: "Set `settings.databaseFlags`: MySQL `local_infile=off`; PostgreSQL `log_connections=on`, `log_disconnections=on`; SQL Server `cross db ownership chaining=off`, `contained database authentication=off`.",
            frameworks: ["6.1.3", "6.2.2", "6.2.3", "6.3.2", "6.3.7"].map(BaselineFrameworks.cisGCP),
            examples: [
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "MYSQL_8_0", "settings": {"databaseFlags": [{"name": "local_infile", "value": "off"}]}}"#, .pass),
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "MYSQL_5_7", "settings": {"databaseFlags": []}}"#, .violation, "MySQL 5.7 defaults local_infile to on"),
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "MYSQL_8_0", "settings": {"databaseFlags": []}}"#, .pass, "MySQL 8 defaults local_infile to off"),
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "SQLSERVER_2019_STANDARD", "settings": {"databaseFlags": [{"name": "contained database authentication", "value": "on"}]}}"#, .violation),
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "POSTGRES_15", "settings": {"databaseFlags": [{"name": "log_connections", "value": "on"}]}}"#, .violation),
                Baseline.ex(GCPTypes.sqlInstance, #"{"databaseVersion": "SQLSERVER_2019_STANDARD", "settings": {"databaseFlags": [{"name": "cross db ownership chaining", "value": "off"}, {"name": "contained database authentication", "value": "off"}]}}"#, .pass),
            ]),
        types: [GCPTypes.sqlInstance]
    ) { db, _ in
        guard let version = try db.string("databaseVersion") else { return .notApplicable("no databaseVersion") }
        var flags: [String: String] = [:]
        for (i, flag) in try db.value("settings.databaseFlags").elements.enumerated() {
            if let name = try flag["name"].requireString("databaseFlags[\(i)].name") {
                flags[name.lowercased()] = try flag["value"].requireString("databaseFlags[\(i)].value")?.lowercased()
            }
        }
        let wrong = requiredFlags.filter { version.hasPrefix($0.engine) && (flags[$0.flag] ?? $0.absent) != $0.value }
        return .check(wrong.isEmpty, "Cloud SQL instance \(db.name) should set \(wrong.map { "\($0.flag)=\($0.value)" }.joined(separator: ", ")).")
    }

    static let kmsRotation = SwiftResourcePolicy(
        Baseline.descriptor("gcp-kms-key-rotation-90-days", "KMS keys rotate at least every 90 days.", .medium,
            rationale: "Regular rotation limits how much data one key version protects and how long a leaked version stays useful.",
            remediation: "Set `rotationPeriod` to `7776000s` (90 days) or less.",
            frameworks: [BaselineFrameworks.cisGCP("1.10"), nist("SC-12")],
            examples: [
                Baseline.ex("gcp:kms/cryptoKey:CryptoKey", #"{"purpose": "ENCRYPT_DECRYPT", "rotationPeriod": "7776000s"}"#, .pass),
                Baseline.ex("gcp:kms/cryptoKey:CryptoKey", #"{"purpose": "ENCRYPT_DECRYPT", "rotationPeriod": "31536000s"}"#, .violation),
                Baseline.ex("gcp:kms/cryptoKey:CryptoKey", #"{"rotationPeriod": ""}"#, .violation),
                Baseline.ex("gcp:kms/cryptoKey:CryptoKey", #"{"rotationPeriod": "1e400s"}"#, .violation, "an absurd period is reported, never a trap"),
                Baseline.ex("gcp:kms/cryptoKey:CryptoKey", #"{"purpose": "ASYMMETRIC_SIGN"}"#, .notApplicable),
            ]),
        types: ["gcp:kms/cryptoKey:CryptoKey"]
    ) { key, _ in
        let purpose = try key.string("purpose") ?? "ENCRYPT_DECRYPT"
        guard purpose == "ENCRYPT_DECRYPT" else { return .notApplicable("\(purpose) keys do not rotate automatically") }
        let period = try key.string("rotationPeriod") ?? ""
        guard let seconds = Double(period.dropLast()), period.hasSuffix("s") else {
            return .violation("KMS key \(key.name) has no rotation period.")
        }
        return .check(seconds <= 7_776_000, "KMS key \(key.name) rotates every \(MessageText.count((seconds / 86_400).clampedInt, "day")); at most 90 are allowed.")
    }
}
