import RampartModel
import RampartPolicy

extension AzureBaseline {
    static var networkPolicies: [any Policy] { [nsgAdminPorts, keyVaultRecoverable, keyVaultNetworkDeny, keyVaultDiagnostics, logProfileRetention] }

    static let classicNSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup"
    static let classicNSGRule = "azure:network/networkSecurityRule:NetworkSecurityRule"

    /// The admin ports a world-open inbound rule must not reach, with their names.
    static let adminPorts = [(22, "SSH"), (3389, "RDP")]

    /// Problems of one security rule (the shape is the same inline in an NSG, standalone, classic or native).
    static func openAdminPorts(_ rule: PropertyLookup, _ path: String) throws(PolicyControl) -> [String] {
        guard try rule["access"].requireString(path + ".access")?.lowercased() == "allow",
              try rule["direction"].requireString(path + ".direction")?.lowercased() == "inbound",
              ["tcp", "*", "any"].contains(try rule["protocol"].requireString(path + ".protocol")?.lowercased() ?? "*") else { return [] }
        var sources = try rule["sourceAddressPrefixes"].requireElements(path + ".sourceAddressPrefixes")
        sources.append(try rule["sourceAddressPrefix"].require(path + ".sourceAddressPrefix"))
        if sources.contains(where: \.isOpaque) { throw .indeterminate("a source address of \(path) is not known") }
        guard sources.contains(where: { $0.string.map(BaselineNetwork.isAnywhere) ?? false }) else { return [] }
        var ranges = try rule["destinationPortRanges"].requireElements(path + ".destinationPortRanges").compactMap(\.string)
        if let single = try rule["destinationPortRange"].requireString(path + ".destinationPortRange") { ranges.append(single) }
        let name = rule["name"].string ?? path
        return adminPorts.filter { port, _ in ranges.contains { BaselineNetwork.covers($0, port) } }
            .map { "\(name) allows \($0.1) (\($0.0)) from the internet" }
    }

    static let nsgAdminPorts = SwiftResourcePolicy(
        Baseline.descriptor("azure-nsg-no-internet-ssh-rdp", "Network security rules do not open SSH or RDP to the internet.", .critical,
            rationale: "SSH and RDP reachable from any address are brute-forced within minutes of exposure.",
            remediation: "Restrict the rule's source to known ranges, or use Azure Bastion or just-in-time access.",
            frameworks: [BaselineFrameworks.cisAzure("6.1"), BaselineFrameworks.cisAzure("6.2"), nist("SC-7")],
            examples: [
                Baseline.ex(classicNSG, #"{"securityRules": [{"name": "ssh", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "10.0.0.0/8", "destinationPortRange": "22"}]}"#, .pass),
                Baseline.ex(classicNSG, #"{"securityRules": [{"name": "ssh", "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "*", "destinationPortRange": "22"}]}"#, .violation),
                Baseline.ex(classicNSGRule, #"{"access": "Allow", "direction": "Inbound", "protocol": "*", "sourceAddressPrefix": "Internet", "destinationPortRanges": ["3380-3400"]}"#, .violation),
                Baseline.ex(classicNSGRule, #"{"access": "Deny", "direction": "Inbound", "protocol": "*", "sourceAddressPrefix": "*", "destinationPortRange": "*"}"#, .pass),
                Baseline.ex("azure-native:network:NetworkSecurityGroup", #"{"securityRules": [{"name": "any", "access": "Allow", "direction": "Inbound", "protocol": "*", "sourceAddressPrefixes": ["0.0.0.0/0"], "destinationPortRange": "*"}]}"#, .violation),
                Baseline.ex("azure-native:network/v20230201:SecurityRule", #"{"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": "*", "destinationPortRange": "443"}"#, .pass),
                Baseline.ex(classicNSGRule, #"{"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourceAddressPrefix": \#(Baseline.unknown), "destinationPortRange": "22"}"#, .indeterminate),
            ]),
        types: [classicNSG, classicNSGRule] + AzureTypes.native("network", "NetworkSecurityGroup") + AzureTypes.native("network", "SecurityRule")
    ) { nsg, _ in
        if nsg.type == classicNSGRule || nsg.type.hasSuffix(":SecurityRule") {
            return .violations(try openAdminPorts(nsg.props, "rule"))
        }
        var problems: [String] = []
        for (i, rule) in try nsg.value("securityRules").requireElements("securityRules").enumerated() {
            problems += try openAdminPorts(rule, "securityRules[\(i)]")
        }
        return .violations(problems.map { "NSG \(nsg.name): \($0)." })
    }

    // MARK: - Key Vault

    /// Classic vaults keep settings at the top level; azure-native vaults nest them under `properties`.
    static func vaultPath(_ vault: ResourceContext, classic: String, native: String) -> String {
        AzureTypes.isNative(vault) ? "properties." + native : classic
    }

    static let keyVaultRecoverable = SwiftResourcePolicy(
        Baseline.descriptor("azure-key-vault-recoverable", "Key vaults have soft delete and purge protection.", .high,
            rationale: "Without purge protection a deleted vault (or a malicious purge) destroys keys that encrypt other data, for good.",
            remediation: "Set `purgeProtectionEnabled: true` (classic) or `properties: { enableSoftDelete: true, enablePurgeProtection: true }` (azure-native).",
            frameworks: [BaselineFrameworks.cisAzure("8.5")],
            examples: [
                Baseline.ex("azure:keyvault/keyVault:KeyVault", #"{"purgeProtectionEnabled": true, "softDeleteRetentionDays": 90}"#, .pass),
                Baseline.ex("azure:keyvault/keyVault:KeyVault", #"{"purgeProtectionEnabled": false}"#, .violation),
                Baseline.ex("azure-native:keyvault:Vault", #"{"properties": {"enableSoftDelete": true, "enablePurgeProtection": true}}"#, .pass),
                Baseline.ex("azure-native:keyvault/v20230701:Vault", #"{"properties": {"enableSoftDelete": false, "enablePurgeProtection": true}}"#, .violation),
                Baseline.ex("azure-native:keyvault:Vault", #"{"properties": {}}"#, .violation),
            ]),
        types: AzureTypes.keyVaults
    ) { vault, _ in
        let softDelete = try vault.bool(vaultPath(vault, classic: "softDeleteEnabled", native: "enableSoftDelete")) ?? true
        let purge = try vault.bool(vaultPath(vault, classic: "purgeProtectionEnabled", native: "enablePurgeProtection")) ?? false
        return .check(softDelete && purge, "Key vault \(vault.name) lacks \(softDelete ? "purge protection" : "soft delete").")
    }

    static let keyVaultNetworkDeny = SwiftResourcePolicy(
        Baseline.descriptor("azure-key-vault-network-default-deny", "Key vaults deny network access by default.", .medium,
            rationale: "A vault reachable from every network depends on its access policies alone.",
            remediation: "Set `networkAcls: { defaultAction: \"Deny\", bypass: \"AzureServices\" }` (under `properties` for azure-native) or disable public network access.",
            frameworks: [BaselineFrameworks.cisAzure("8.7"), nist("SC-7")],
            examples: [
                Baseline.ex("azure:keyvault/keyVault:KeyVault", #"{"networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}"#, .pass),
                Baseline.ex("azure:keyvault/keyVault:KeyVault", #"{"networkAcls": null}"#, .violation),
                Baseline.ex("azure-native:keyvault:Vault", #"{"properties": {"publicNetworkAccess": "Disabled"}}"#, .pass),
                Baseline.ex("azure-native:keyvault:Vault", #"{"properties": {"networkAcls": {"defaultAction": "Allow"}}}"#, .violation),
            ]),
        types: AzureTypes.keyVaults
    ) { vault, _ in
        let publicAccess = vaultPath(vault, classic: "publicNetworkAccessEnabled", native: "publicNetworkAccess")
        if let value = try vault.value(publicAccess).value, value.bool == false || value.string == "Disabled" { return .pass }
        let action = try vault.string(vaultPath(vault, classic: "networkAcls.defaultAction", native: "networkAcls.defaultAction"))
        return .check(action == "Deny", "Key vault \(vault.name) allows all networks by default.")
    }

    static let diagnosticSettingTypes = TypeSelector(["azure:monitoring/diagnosticSetting:DiagnosticSetting"]
        + AzureTypes.native("insights", "DiagnosticSetting") + AzureTypes.native("monitor", "DiagnosticSetting"))
    /// Diagnostic settings by their target: `targetResourceId` (classic) and `resourceUri` (native).
    static let diagnosticSettingJoins = ["targetResourceId", "resourceUri"].map {
        (property: $0, query: Baseline.attachmentQuery(diagnosticSettingTypes, property: $0))
    }

    static let keyVaultDiagnostics = SwiftResourcePolicy(
        Baseline.descriptor("azure-key-vault-diagnostic-logging", "Key vaults send their audit logs to a diagnostic setting.", .medium,
            rationale: "Key Vault audit events (who read which secret) are kept only when a diagnostic setting exports them.",
            remediation: "Add an `azure:monitoring/DiagnosticSetting` (`targetResourceId`) or `azure-native:insights:DiagnosticSetting` (`resourceUri`) for the vault with the AuditEvent category.",
            frameworks: [BaselineFrameworks.cisAzure("5.1.5"), nist("AU-12")],
            examples: [
                Baseline.joined(.pass, nil,
                    ExampleResource("kv", type: "azure:keyvault/keyVault:KeyVault", properties: #"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"}"#),
                    ExampleResource("kv-diag", type: "azure:monitoring/diagnosticSetting:DiagnosticSetting",
                                    properties: #"{"targetResourceId": "/subscriptions/s/resourcegroups/rg/providers/Microsoft.KeyVault/vaults/kv", "enabledLogs": [{"category": "AuditEvent"}]}"#)),
                Baseline.ex("azure:keyvault/keyVault:KeyVault", #"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"}"#, .violation),
                Baseline.joined(.pass, "preview: the vault id is unknown; joined by property dependency",
                    ExampleResource("kv", type: "azure-native:keyvault:Vault", properties: #"{"id": \#(Baseline.unknown)}"#),
                    ExampleResource("kv-diag", type: "azure-native:insights:DiagnosticSetting", properties: #"{"resourceUri": \#(Baseline.unknown)}"#,
                                    propertyDependencies: ["resourceUri": ["kv"]])),
                Baseline.joined(.indeterminate, "preview: a diagnostic setting for an unknown resource",
                    ExampleResource("kv", type: "azure-native:keyvault:Vault", properties: #"{}"#),
                    ExampleResource("diag", type: "azure-native:insights:DiagnosticSetting", properties: #"{"resourceUri": \#(Baseline.unknown)}"#)),
            ]),
        types: AzureTypes.keyVaults
    ) { vault, _ in
        let keys = [vault.props["id"].string, vault.resource.id]
        var unresolved = false
        for (property, query) in diagnosticSettingJoins {
            let settings = Baseline.attachments(to: vault, query, keys: keys)
            if !settings.matched.isEmpty { return .pass }
            unresolved = unresolved || settings.unresolved.contains { !$0.props[property].isAbsent }
        }
        if unresolved { return .indeterminate("a diagnostic setting targets a resource not known until deployment") }
        return .violation("Key vault \(vault.name) has no diagnostic setting in this stack.")
    }

    static let logProfileRetention = SwiftResourcePolicy(
        Baseline.descriptor("azure-monitor-log-profile-retention", "Activity log profiles keep logs for at least a year.", .low,
            rationale: "Investigations often reach back months; the activity log alone keeps 90 days.",
            remediation: "Set `retentionPolicy: { enabled: true, days: 365 }` or more (or disable the retention policy to keep logs forever); prefer a subscription diagnostic setting on new subscriptions.",
            frameworks: [BaselineFrameworks.cisAzure("5.1.2"), nist("AU-11")],
            examples: [
                Baseline.ex("azure:monitoring/logProfile:LogProfile", #"{"retentionPolicy": {"enabled": true, "days": 365}}"#, .pass),
                Baseline.ex("azure:monitoring/logProfile:LogProfile", #"{"retentionPolicy": {"enabled": true, "days": 30}}"#, .violation),
                Baseline.ex("azure-native:insights:LogProfile", #"{"retentionPolicy": {"enabled": false, "days": 0}}"#, .pass, "no retention limit"),
            ]),
        types: ["azure:monitoring/logProfile:LogProfile"] + AzureTypes.native("insights", "LogProfile")
    ) { profile, _ in
        guard try profile.bool("retentionPolicy.enabled") == true else { return .pass }
        let days = try profile.number("retentionPolicy.days") ?? 0
        return .check(days == 0 || days >= 365, "Log profile \(profile.name) keeps logs for \(MessageText.count(days.clampedInt, "day")) only.")
    }
}
