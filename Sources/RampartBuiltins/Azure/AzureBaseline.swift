import RampartModel
import RampartPolicy

/// `builtin:azure`: Azure hardening checks for both providers — azure-native (with and without API-version
/// modules: `azure-native:storage:StorageAccount` and `azure-native:storage/v20230101:StorageAccount`) and the
/// classic bridged `azure` provider (`azure:storage/account:Account`).
///
/// "Absent" means what the provider or the Azure API does by default; an unknown (preview) or encrypted value
/// gives `indeterminate`; joined resources (network rules, auditing policies, AD administrators, diagnostic
/// settings) are found by property dependency first, so the verdict holds in previews where ids are unknown.
public enum AzureBaseline {
    public static let packName = "azure"

    public static var pack: PolicyPack {
        PolicyPack(name: packName, version: "1.0.0",
                   description: "Azure baseline (CIS Microsoft Azure Foundations, CIS AKS) for azure-native and classic azure resources.",
                   enforcementLevel: .advisory, policies: policies, origin: "builtin:\(packName)")
    }

    static var policies: [any Policy] { storagePolicies + databasePolicies + computePolicies + diskEncryptionPolicies + networkPolicies }
}

/// Type tokens of Azure resources.
enum AzureTypes {
    /// An azure-native token with and without an explicit API-version module (`storage/v20230101`, `…preview`).
    static func native(_ module: String, _ type: String) -> [String] {
        ["azure-native:\(module):\(type)", "azure-native:\(module)/v*:\(type)"]
    }

    static func isNative(_ resource: ResourceContext) -> Bool { resource.type.hasPrefix("azure-native:") }

    static let storageAccounts = ["azure:storage/account:Account"] + native("storage", "StorageAccount")
    static let sqlServers = ["azure:sql/sqlServer:SqlServer", "azure:mssql/server:Server"] + native("sql", "Server")
    static let keyVaults = ["azure:keyvault/keyVault:KeyVault"] + native("keyvault", "Vault")
    static let managedClusters = ["azure:containerservice/kubernetesCluster:KubernetesCluster"] + native("containerservice", "ManagedCluster")
    /// App Service sites: the classic provider's current and legacy (`appservice/appService`) web and function apps.
    static let webApps = [
        "azure:appservice/linuxWebApp:LinuxWebApp", "azure:appservice/windowsWebApp:WindowsWebApp",
        "azure:appservice/linuxFunctionApp:LinuxFunctionApp", "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
        "azure:appservice/appService:AppService", "azure:appservice/functionApp:FunctionApp",
    ] + native("web", "WebApp")
}
