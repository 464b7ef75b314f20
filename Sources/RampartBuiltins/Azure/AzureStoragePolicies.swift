import RampartModel
import RampartPolicy

extension AzureBaseline {
    static var storagePolicies: [any Policy] {
        [storageHTTPSOnly, storageMinimumTLS, storageNoPublicBlobAccess, storageInfrastructureEncryption, storageDefaultDeny,
         storageContainerPrivate]
    }

    static let classicAccount = "azure:storage/account:Account"
    static let nativeAccount = "azure-native:storage:StorageAccount"
    static let classicNetworkRules = "azure:storage/accountNetworkRules:AccountNetworkRules"
    static let networkRulesJoin = Baseline.attachmentQuery(TypeSelector([classicNetworkRules]), property: "storageAccountId")

    static let storageHTTPSOnly = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-https-only", "Storage accounts accept only HTTPS (secure transfer required).", .high,
            rationale: "Requests over plain HTTP expose shared keys, SAS tokens and data on the wire.",
            remediation: "Set `enableHttpsTrafficOnly: true` (azure-native) or `httpsTrafficOnlyEnabled: true` (classic; `enableHttpsTrafficOnly` before provider v6).",
            frameworks: [BaselineFrameworks.cisAzure("3.1"), nist("SC-8")],
            examples: [
                Baseline.ex(nativeAccount, #"{"enableHttpsTrafficOnly": true}"#, .pass),
                Baseline.ex("azure-native:storage/v20230101:StorageAccount", #"{"enableHttpsTrafficOnly": false}"#, .violation, "API-version token"),
                Baseline.ex(classicAccount, #"{"httpsTrafficOnlyEnabled": true, "enableHttpsTrafficOnly": true}"#, .pass),
                Baseline.ex(classicAccount, #"{"enableHttpsTrafficOnly": false}"#, .violation, "provider v5 name"),
                Baseline.ex(nativeAccount, #"{}"#, .pass, "the API default is HTTPS only"),
                Baseline.ex(nativeAccount, #"{"enableHttpsTrafficOnly": \#(Baseline.unknown)}"#, .indeterminate),
            ]),
        types: AzureTypes.storageAccounts
    ) { account, _ in
        for key in ["enableHttpsTrafficOnly", "httpsTrafficOnlyEnabled"] where try account.bool(key) == false {
            return .violation("Storage account \(account.name) accepts plain HTTP (`\(key)` is false).")
        }
        return .pass
    }

    static let storageMinimumTLS = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-minimum-tls-1-2", "Storage accounts require TLS 1.2 or later.", .medium,
            rationale: "TLS 1.0 and 1.1 have known weaknesses and are being retired by Azure.",
            remediation: "Set `minimumTlsVersion: \"TLS1_2\"` (azure-native) or `minTlsVersion: \"TLS1_2\"` (classic).",
            frameworks: [BaselineFrameworks.cisAzure("3.15"), nist("SC-8")],
            examples: [
                Baseline.ex(nativeAccount, #"{"minimumTlsVersion": "TLS1_2"}"#, .pass),
                Baseline.ex(nativeAccount, #"{"minimumTlsVersion": "TLS1_0"}"#, .violation),
                Baseline.ex(nativeAccount, #"{}"#, .violation, "API versions before 2023 default to TLS1_0"),
                Baseline.ex(classicAccount, #"{"minTlsVersion": "TLS1_1"}"#, .violation),
                Baseline.ex(classicAccount, #"{}"#, .pass, "the classic provider defaults to TLS1_2"),
            ]),
        types: AzureTypes.storageAccounts
    ) { account, _ in
        let native = AzureTypes.isNative(account)
        let key = native ? "minimumTlsVersion" : "minTlsVersion"
        guard let version = try account.string(key) else {
            return .check(!native, "Storage account \(account.name) sets no `minimumTlsVersion`; older API versions default to TLS 1.0.")
        }
        return .check(version >= "TLS1_2", "Storage account \(account.name) accepts \(version); require TLS1_2.")
    }

    static let storageNoPublicBlobAccess = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-no-public-blob-access", "Storage accounts do not allow anonymous public access to blobs.", .high,
            rationale: "With public access allowed on the account, one container set to `Blob` or `Container` publishes its data to anyone.",
            remediation: "Set `allowBlobPublicAccess: false` (azure-native) or `allowNestedItemsToBePublic: false` (classic).",
            frameworks: [BaselineFrameworks.cisAzure("3.7"), nist("SC-7")],
            examples: [
                Baseline.ex(nativeAccount, #"{"allowBlobPublicAccess": false}"#, .pass),
                Baseline.ex(nativeAccount, #"{"allowBlobPublicAccess": true}"#, .violation),
                Baseline.ex(classicAccount, #"{"allowNestedItemsToBePublic": false}"#, .pass),
                Baseline.ex(classicAccount, #"{"allowNestedItemsToBePublic": true}"#, .violation),
                Baseline.ex(classicAccount, #"{}"#, .violation, "the classic provider defaults to true"),
            ]),
        types: AzureTypes.storageAccounts
    ) { account, _ in
        // azure-native: API versions from 2023 default to false, and deployed state records the value; classic
        // provider defaults to true.
        let native = AzureTypes.isNative(account)
        let key = native ? "allowBlobPublicAccess" : "allowNestedItemsToBePublic"
        let allowed = try account.bool(key) ?? !native
        return .check(!allowed, "Storage account \(account.name) allows public blob access (`\(key)`).")
    }

    static let storageInfrastructureEncryption = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-infrastructure-encryption", "Storage accounts encrypt twice (infrastructure encryption).", .low,
            rationale: "A second, infrastructure-level encryption layer protects data if one algorithm or key is compromised; it can only be chosen when the account is created.",
            remediation: "Set `encryption: { requireInfrastructureEncryption: true }` (azure-native) or `infrastructureEncryptionEnabled: true` (classic) when creating the account.",
            frameworks: [BaselineFrameworks.cisAzure("3.2"), nist("SC-28")],
            examples: [
                Baseline.ex(nativeAccount, #"{"encryption": {"requireInfrastructureEncryption": true}}"#, .pass),
                Baseline.ex(nativeAccount, #"{"encryption": {"keySource": "Microsoft.Storage"}}"#, .violation),
                Baseline.ex(classicAccount, #"{"infrastructureEncryptionEnabled": true}"#, .pass),
                Baseline.ex(classicAccount, #"{"infrastructureEncryptionEnabled": false}"#, .violation),
            ]),
        types: AzureTypes.storageAccounts
    ) { account, _ in
        let key = AzureTypes.isNative(account) ? "encryption.requireInfrastructureEncryption" : "infrastructureEncryptionEnabled"
        return .check(try account.bool(key) == true, "Storage account \(account.name) does not require infrastructure encryption.")
    }

    static let storageDefaultDeny = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-network-default-deny", "Storage accounts deny network access by default.", .medium,
            rationale: "An account whose firewall allows all networks is reachable from the whole internet with a leaked key or SAS.",
            remediation: "Set `networkRuleSet: { defaultAction: \"Deny\" }` (azure-native), `networkRules: { defaultAction: \"Deny\" }` or an `azure:storage/AccountNetworkRules` with `defaultAction: \"Deny\"` (classic), or disable public network access.",
            frameworks: [BaselineFrameworks.cisAzure("3.8"), nist("SC-7")],
            examples: [
                Baseline.ex(nativeAccount, #"{"networkRuleSet": {"defaultAction": "Deny"}}"#, .pass),
                Baseline.ex(nativeAccount, #"{"networkRuleSet": {"defaultAction": "Allow"}}"#, .violation),
                Baseline.ex(nativeAccount, #"{"publicNetworkAccess": "Disabled"}"#, .pass),
                Baseline.ex(classicAccount, #"{"networkRules": {"defaultAction": "Deny"}}"#, .pass),
                Baseline.ex(classicAccount, #"{"networkRules": null}"#, .violation),
                Baseline.joined(.pass, "classic account with a separate AccountNetworkRules",
                    ExampleResource("acct", type: classicAccount, properties: #"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct", "networkRules": null}"#),
                    ExampleResource("acct-rules", type: classicNetworkRules,
                                    properties: #"{"storageAccountId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct", "defaultAction": "Deny"}"#)),
                Baseline.joined(.violation, "separate rules that allow",
                    ExampleResource("acct", type: classicAccount, properties: #"{"networkRules": null}"#),
                    ExampleResource("acct-rules", type: classicNetworkRules, properties: #"{"storageAccountId": "x", "defaultAction": "Allow"}"#,
                                    propertyDependencies: ["storageAccountId": ["acct"]])),
                Baseline.joined(.pass, "preview: the account id is unknown; joined by property dependency",
                    ExampleResource("acct", type: classicAccount, properties: #"{"id": \#(Baseline.unknown)}"#),
                    ExampleResource("acct-rules", type: classicNetworkRules,
                                    properties: #"{"storageAccountId": \#(Baseline.unknown), "defaultAction": "Deny"}"#,
                                    propertyDependencies: ["storageAccountId": ["acct"]])),
                Baseline.joined(.indeterminate, "preview: rules whose account id is unknown and has no recorded dependency",
                    ExampleResource("acct", type: classicAccount, properties: #"{}"#),
                    ExampleResource("rules", type: classicNetworkRules, properties: #"{"storageAccountId": \#(Baseline.unknown), "defaultAction": "Deny"}"#)),
            ]),
        types: AzureTypes.storageAccounts
    ) { account, _ in
        if AzureTypes.isNative(account) {
            if try account.string("publicNetworkAccess") == "Disabled" { return .pass }
            return .check(try account.string("networkRuleSet.defaultAction") == "Deny",
                          "Storage account \(account.name) allows all networks by default (`networkRuleSet.defaultAction` is not Deny).")
        }
        if try account.bool("publicNetworkAccessEnabled") == false { return .pass }
        if try account.string("networkRules.defaultAction") == "Deny" { return .pass }
        let rules = Baseline.attachments(to: account, networkRulesJoin, keys: [account.props["id"].string, account.resource.id])
        for rule in rules.matched {
            if try rule.string("defaultAction") == "Deny" { return .pass }
        }
        if !rules.unresolved.isEmpty {
            return .indeterminate("an AccountNetworkRules resource targets an account not known until deployment")
        }
        return .violation("Storage account \(account.name) allows all networks by default (no `defaultAction: Deny` on the account or its AccountNetworkRules).")
    }

    static let storageContainerPrivate = SwiftResourcePolicy(
        Baseline.descriptor("azure-storage-container-private", "Blob containers do not allow anonymous read access.", .high,
            rationale: "A container with `Blob` or `Container` access serves its blobs (and, for `Container`, its listing) to anyone with the URL.",
            remediation: "Set `publicAccess: \"None\"` (azure-native) or `containerAccessType: \"private\"` (classic).",
            frameworks: [BaselineFrameworks.cisAzure("3.7"), nist("SC-7")],
            examples: [
                Baseline.ex("azure:storage/container:Container", #"{"containerAccessType": "private"}"#, .pass),
                Baseline.ex("azure:storage/container:Container", #"{"containerAccessType": "blob"}"#, .violation),
                Baseline.ex("azure-native:storage:BlobContainer", #"{"publicAccess": "None"}"#, .pass),
                Baseline.ex("azure-native:storage/v20220901:BlobContainer", #"{"publicAccess": "Container"}"#, .violation),
            ]),
        types: ["azure:storage/container:Container"] + AzureTypes.native("storage", "BlobContainer")
    ) { container, _ in
        let key = AzureTypes.isNative(container) ? "publicAccess" : "containerAccessType"
        let access = try container.string(key)?.lowercased() ?? (AzureTypes.isNative(container) ? "none" : "private")
        return .check(access == "none" || access == "private", "Blob container \(container.name) allows anonymous \(access) access.")
    }
}
