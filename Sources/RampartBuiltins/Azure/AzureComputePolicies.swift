import RampartModel
import RampartPolicy

extension AzureBaseline {
    static var computePolicies: [any Policy] {
        [aksRBAC, aksNetworkPolicy, aksPrivateAPI, aksAAD, appHTTPSOnly, appMinimumTLS, appFTPSDisabled, appManagedIdentity,
         vmNoPasswordAuth, diskEncryption, registryAdminDisabled]
    }

    static let classicAKS = "azure:containerservice/kubernetesCluster:KubernetesCluster"
    static let nativeAKS = "azure-native:containerservice:ManagedCluster"

    static let aksRBAC = SwiftResourcePolicy(
        Baseline.descriptor("azure-aks-rbac-enabled", "AKS clusters have Kubernetes RBAC enabled.", .high,
            rationale: "Without RBAC every authenticated identity has full control of the cluster.",
            remediation: "Set `roleBasedAccessControlEnabled: true` (classic) or `enableRBAC: true` (azure-native); RBAC can only be chosen at creation.",
            frameworks: [BaselineFrameworks.cisAKS("5.5.2"), nist("AC-3")],
            examples: [
                Baseline.ex(classicAKS, #"{"roleBasedAccessControlEnabled": true}"#, .pass),
                Baseline.ex(classicAKS, #"{"roleBasedAccessControlEnabled": false}"#, .violation),
                Baseline.ex(nativeAKS, #"{"enableRBAC": false}"#, .violation),
                Baseline.ex("azure-native:containerservice/v20240102preview:ManagedCluster", #"{"enableRBAC": true}"#, .pass),
            ]),
        types: AzureTypes.managedClusters
    ) { cluster, _ in
        let key = AzureTypes.isNative(cluster) ? "enableRBAC" : "roleBasedAccessControlEnabled"
        return .check(try cluster.bool(key) ?? true, "AKS cluster \(cluster.name) has Kubernetes RBAC disabled.")
    }

    static let aksNetworkPolicy = SwiftResourcePolicy(
        Baseline.descriptor("azure-aks-network-policy", "AKS clusters enforce Kubernetes network policies.", .medium,
            rationale: "Without a network policy engine, NetworkPolicy objects are ignored and every pod can reach every other pod.",
            remediation: "Set `networkProfile.networkPolicy` to `azure`, `calico` or `cilium`.",
            frameworks: [BaselineFrameworks.cisAKS("5.4.4")] + frameworks("iso27001", "pcidss") + [nist("SC-7")],
            examples: [
                Baseline.ex(classicAKS, #"{"networkProfile": {"networkPlugin": "azure", "networkPolicy": "calico"}}"#, .pass),
                Baseline.ex(classicAKS, #"{"networkProfile": {"networkPlugin": "azure", "networkPolicy": ""}}"#, .violation),
                Baseline.ex(nativeAKS, #"{}"#, .violation),
                Baseline.ex(nativeAKS, #"{"networkProfile": {"networkPolicy": "azure"}}"#, .pass),
            ],
            equivalents: compliance("azure-containerservice-kubernetescluster-configure-network-policy", "azurenative-containerservice-managedcluster-configure-network-policy")),
        types: AzureTypes.managedClusters
    ) { cluster, _ in
        .check(!(try cluster.string("networkProfile.networkPolicy") ?? "").isEmpty, "AKS cluster \(cluster.name) has no network policy engine.")
    }

    static let aksPrivateAPI = SwiftResourcePolicy(
        Baseline.descriptor("azure-aks-private-api-server", "AKS API servers are private or limited to authorized IP ranges.", .high,
            rationale: "A public API server endpoint open to all addresses exposes the control plane to credential stuffing and API vulnerabilities.",
            remediation: "Create the cluster private (`privateClusterEnabled: true` / `apiServerAccessProfile.enablePrivateCluster: true`) or set authorized IP ranges.",
            frameworks: [BaselineFrameworks.cisAKS("5.4.1"), BaselineFrameworks.cisAKS("5.4.2"), nist("SC-7")],
            examples: [
                Baseline.ex(classicAKS, #"{"privateClusterEnabled": true}"#, .pass),
                Baseline.ex(classicAKS, #"{"privateClusterEnabled": false, "apiServerAccessProfile": {"authorizedIpRanges": ["203.0.113.0/24"]}}"#, .pass),
                Baseline.ex(classicAKS, #"{"privateClusterEnabled": false, "apiServerAuthorizedIpRanges": [], "apiServerAccessProfile": null}"#, .violation),
                Baseline.ex(nativeAKS, #"{"apiServerAccessProfile": {"enablePrivateCluster": true}}"#, .pass),
                Baseline.ex(nativeAKS, #"{"apiServerAccessProfile": {"authorizedIPRanges": []}}"#, .violation),
            ]),
        types: AzureTypes.managedClusters
    ) { cluster, _ in
        if try cluster.bool("privateClusterEnabled") == true || cluster.bool("apiServerAccessProfile.enablePrivateCluster") == true { return .pass }
        for key in ["apiServerAuthorizedIpRanges", "apiServerAccessProfile.authorizedIpRanges", "apiServerAccessProfile.authorizedIPRanges"]
        where try cluster.value(key).count ?? 0 > 0 {
            return .pass
        }
        return .violation("AKS cluster \(cluster.name) has a public API server open to all addresses.")
    }

    static let aksAAD = SwiftResourcePolicy(
        Baseline.descriptor("azure-aks-entra-id-integration", "AKS clusters authenticate users with Microsoft Entra ID (Azure AD).", .medium,
            rationale: "Entra ID integration gives per-user identities, MFA and revocation instead of shared client certificates.",
            remediation: "Set `azureActiveDirectoryRoleBasedAccessControl` (classic) or `aadProfile: { managed: true }` (azure-native), and consider disabling local accounts.",
            frameworks: [BaselineFrameworks.cisAKS("5.5.1")],
            examples: [
                Baseline.ex(classicAKS, #"{"azureActiveDirectoryRoleBasedAccessControl": {"azureRbacEnabled": true}}"#, .pass),
                Baseline.ex(classicAKS, #"{"azureActiveDirectoryRoleBasedAccessControl": null}"#, .violation),
                Baseline.ex(nativeAKS, #"{"aadProfile": {"managed": true}}"#, .pass),
                Baseline.ex(nativeAKS, #"{}"#, .violation),
            ]),
        types: AzureTypes.managedClusters
    ) { cluster, _ in
        let key = AzureTypes.isNative(cluster) ? "aadProfile" : "azureActiveDirectoryRoleBasedAccessControl"
        return .check(try cluster.value(key).count ?? 0 > 0, "AKS cluster \(cluster.name) is not integrated with Entra ID.")
    }

    // MARK: - App Service

    static let linuxWebApp = "azure:appservice/linuxWebApp:LinuxWebApp"
    static let legacyAppService = "azure:appservice/appService:AppService"
    static let nativeWebApp = "azure-native:web:WebApp"
    /// Legacy classic app services and azure-native sites leave FTP and TLS settings to the Azure API defaults.
    static func usesAPIDefaults(_ app: ResourceContext) -> Bool {
        AzureTypes.isNative(app) || app.type == legacyAppService || app.type == "azure:appservice/functionApp:FunctionApp"
    }

    static let appHTTPSOnly = SwiftResourcePolicy(
        Baseline.descriptor("azure-app-service-https-only", "App Service apps redirect HTTP to HTTPS.", .high,
            rationale: "Apps that answer plain HTTP expose session cookies and data to anyone on the path.",
            remediation: "Set `httpsOnly: true`.",
            frameworks: [BaselineFrameworks.cisAzure("9.2"), nist("SC-8")],
            examples: [
                Baseline.ex(linuxWebApp, #"{"httpsOnly": true}"#, .pass),
                Baseline.ex(linuxWebApp, #"{"httpsOnly": false}"#, .violation),
                Baseline.ex(nativeWebApp, #"{}"#, .violation, "the default is false"),
            ]),
        types: AzureTypes.webApps
    ) { app, _ in
        .check(try app.bool("httpsOnly") == true, "App \(app.name) accepts plain HTTP (`httpsOnly` is not true).")
    }

    static let appMinimumTLS = SwiftResourcePolicy(
        Baseline.descriptor("azure-app-service-minimum-tls-1-2", "App Service apps require TLS 1.2 or later.", .medium,
            rationale: "TLS 1.0 and 1.1 have known weaknesses.",
            remediation: "Set `siteConfig.minimumTlsVersion: \"1.2\"` (classic) or `siteConfig.minTlsVersion: \"1.2\"` (legacy classic, azure-native).",
            frameworks: [BaselineFrameworks.cisAzure("9.3"), nist("SC-8")],
            examples: [
                Baseline.ex(linuxWebApp, #"{"siteConfig": {"minimumTlsVersion": "1.2"}}"#, .pass),
                Baseline.ex(linuxWebApp, #"{"siteConfig": {"minimumTlsVersion": "1.0"}}"#, .violation),
                Baseline.ex(nativeWebApp, #"{"siteConfig": {"minTlsVersion": "1.1"}}"#, .violation),
                Baseline.ex(nativeWebApp, #"{"siteConfig": {}}"#, .pass, "the API default is 1.2"),
            ]),
        types: AzureTypes.webApps
    ) { app, _ in
        let version = try app.string("siteConfig.minimumTlsVersion") ?? app.string("siteConfig.minTlsVersion") ?? "1.2"
        return .check(version >= "1.2", "App \(app.name) accepts TLS \(version).")
    }

    static let appFTPSDisabled = SwiftResourcePolicy(
        Baseline.descriptor("azure-app-service-ftp-disabled", "App Service apps disallow plain FTP deployment.", .medium,
            rationale: "Plain FTP sends deployment credentials and code in clear.",
            remediation: "Set `siteConfig.ftpsState` to `Disabled` (or `FtpsOnly`).",
            frameworks: [BaselineFrameworks.cisAzure("9.10"), nist("SC-8")],
            examples: [
                Baseline.ex(linuxWebApp, #"{"siteConfig": {"ftpsState": "Disabled"}}"#, .pass),
                Baseline.ex(linuxWebApp, #"{"siteConfig": {"ftpsState": "AllAllowed"}}"#, .violation),
                Baseline.ex(linuxWebApp, #"{"siteConfig": {}}"#, .pass, "the provider default is Disabled"),
                Baseline.ex(legacyAppService, #"{"siteConfig": {}}"#, .violation, "the Azure API default is AllAllowed"),
                Baseline.ex(nativeWebApp, #"{"siteConfig": {"ftpsState": "FtpsOnly"}}"#, .pass),
            ]),
        types: AzureTypes.webApps
    ) { app, _ in
        let state = try app.string("siteConfig.ftpsState") ?? (usesAPIDefaults(app) ? "AllAllowed" : "Disabled")
        return .check(state != "AllAllowed", "App \(app.name) allows plain FTP (`ftpsState` is \(state)).")
    }

    static let appManagedIdentity = SwiftResourcePolicy(
        Baseline.descriptor("azure-app-service-managed-identity", "App Service apps use a managed identity.", .low,
            rationale: "A managed identity lets the app reach other Azure services without credentials in its settings.",
            remediation: "Set `identity: { type: \"SystemAssigned\" }` (or a user-assigned identity).",
            frameworks: [BaselineFrameworks.cisAzure("9.5")],
            examples: [
                Baseline.ex(linuxWebApp, #"{"identity": {"type": "SystemAssigned"}}"#, .pass),
                Baseline.ex(linuxWebApp, #"{"identity": null}"#, .violation),
                Baseline.ex(nativeWebApp, #"{"identity": {"type": "None"}}"#, .violation),
            ]),
        types: AzureTypes.webApps
    ) { app, _ in
        let type = try app.string("identity.type") ?? "None"
        return .check(type != "None" && !type.isEmpty, "App \(app.name) has no managed identity.")
    }

    // MARK: - Virtual machines, disks, registries

    static let vmNoPasswordAuth = SwiftResourcePolicy(
        Baseline.descriptor("azure-linux-vm-no-password-authentication", "Linux virtual machines allow SSH keys only.", .high,
            rationale: "Password logins over SSH are open to brute force; keys are not.",
            remediation: "Set `disablePasswordAuthentication: true` with `adminSshKeys` (classic), or `osProfile.linuxConfiguration.disablePasswordAuthentication: true` (azure-native).",
            frameworks: frameworks("iso27001", "pcidss"),
            examples: [
                Baseline.ex("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", #"{"disablePasswordAuthentication": true}"#, .pass),
                Baseline.ex("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", #"{"disablePasswordAuthentication": false}"#, .violation),
                Baseline.ex("azure:compute/virtualMachine:VirtualMachine", #"{"osProfileLinuxConfig": {"disablePasswordAuthentication": false}}"#, .violation),
                Baseline.ex("azure-native:compute:VirtualMachine", #"{"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": true}}}"#, .pass),
                Baseline.ex("azure-native:compute:VirtualMachine", #"{"osProfile": {"windowsConfiguration": {}}}"#, .notApplicable),
            ],
            equivalents: compliance("azure-compute-linuxvirtualmachine-disallow-password-authentication", "azurenative-compute-virtualmachine-disallow-password-authentication")),
        types: ["azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
                "azure:compute/virtualMachine:VirtualMachine"] + AzureTypes.native("compute", "VirtualMachine")
    ) { vm, _ in
        let path: String
        switch vm.type {
        case _ where AzureTypes.isNative(vm): path = "osProfile.linuxConfiguration"
        case "azure:compute/virtualMachine:VirtualMachine": path = "osProfileLinuxConfig"
        default: path = ""
        }
        if !path.isEmpty, try vm.value(path).isAbsent { return .notApplicable("not a Linux virtual machine") }
        let key = path.isEmpty ? "disablePasswordAuthentication" : path + ".disablePasswordAuthentication"
        return .check(try vm.bool(key) ?? path.isEmpty, "Linux VM \(vm.name) allows password authentication.")
    }

    static let diskEncryption = SwiftResourcePolicy(
        Baseline.descriptor("azure-disk-customer-managed-encryption", "Managed disks are encrypted with a customer-managed key or at host.", .low,
            rationale: "Platform-managed keys protect against theft of the media only; a customer-managed key (disk encryption set) or Azure Disk Encryption keeps control of the key with you.",
            remediation: "Set `diskEncryptionSetId` (classic) / `encryption.diskEncryptionSetId` (azure-native), enable `encryptionAtHostEnabled` on the VM, or use Azure Disk Encryption (`encryptionSettings` with a `diskEncryptionKey`; provider v6 has no `enabled` flag there).",
            frameworks: [BaselineFrameworks.cisAzure("7.3"), nist("SC-28")],
            examples: [
                Baseline.ex("azure:compute/managedDisk:ManagedDisk", #"{"diskEncryptionSetId": "/subscriptions/s/des/1"}"#, .pass),
                Baseline.ex("azure:compute/managedDisk:ManagedDisk", #"{"diskEncryptionSetId": "", "encryptionSettings": null}"#, .violation),
                Baseline.ex("azure:compute/managedDisk:ManagedDisk", #"{"encryptionSettings": {"diskEncryptionKey": {"secretUrl": "https://kv.vault.azure.net/secrets/ade/1", "sourceVaultId": "/subscriptions/s/kv"}}}"#, .pass),
                Baseline.ex("azure:compute/managedDisk:ManagedDisk", #"{"encryptionSettings": {"enabled": false, "diskEncryptionKey": {"secretUrl": "https://kv.vault.azure.net/secrets/ade/1", "sourceVaultId": "/subscriptions/s/kv"}}}"#, .violation),
                Baseline.ex("azure-native:compute:Disk", #"{"encryption": {"type": "EncryptionAtRestWithCustomerKey", "diskEncryptionSetId": "d"}}"#, .pass),
                Baseline.ex("azure-native:compute:Disk", #"{"encryption": {"type": "EncryptionAtRestWithPlatformKey"}}"#, .violation),
                Baseline.ex("azure:compute/linuxVirtualMachine:LinuxVirtualMachine", #"{"encryptionAtHostEnabled": true, "osDisk": {}}"#, .pass),
                Baseline.ex("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", #"{"osDisk": {"diskEncryptionSetId": ""}}"#, .violation),
            ]),
        types: ["azure:compute/managedDisk:ManagedDisk", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
                "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"] + AzureTypes.native("compute", "Disk")
    ) { disk, _ in
        for key in ["diskEncryptionSetId", "encryption.diskEncryptionSetId", "osDisk.diskEncryptionSetId", "secureVmDiskEncryptionSetId"]
        where !(try disk.string(key) ?? "").isEmpty {
            return .pass
        }
        if try disk.bool("encryptionAtHostEnabled") == true || disk.bool("encryptionSettings.enabled") == true
            || disk.bool("encryptionSettingsCollection.enabled") == true {
            return .pass
        }
        // Azure Disk Encryption on azure provider v6 (azurerm 4.x): `encryptionSettings` lost its `enabled` flag and
        // is just the key material — a disk encryption key secret in Key Vault (optionally wrapped by a key
        // encryption key). Present and not explicitly disabled (v5's `enabled: false`), it is ADE.
        if try disk.bool("encryptionSettings.enabled") != false,
           !(try disk.string("encryptionSettings.diskEncryptionKey.secretUrl") ?? "").isEmpty {
            return .pass
        }
        if let type = try disk.string("encryption.type"), type.contains("CustomerKey") { return .pass }
        return .violation("Disk of \(disk.name) is encrypted with platform-managed keys only.")
    }

    static let registryAdminDisabled = SwiftResourcePolicy(
        Baseline.descriptor("azure-container-registry-admin-disabled", "Container registries have the admin user disabled.", .medium,
            rationale: "The admin user is one shared credential with push and pull rights that cannot be scoped or audited per user.",
            remediation: "Set `adminEnabled: false` (classic) or `adminUserEnabled: false` (azure-native); use Entra ID identities or tokens.",
            frameworks: [],
            examples: [
                Baseline.ex("azure:containerservice/registry:Registry", #"{"adminEnabled": false}"#, .pass),
                Baseline.ex("azure:containerservice/registry:Registry", #"{"adminEnabled": true}"#, .violation),
                Baseline.ex("azure-native:containerregistry:Registry", #"{"adminUserEnabled": true}"#, .violation),
                Baseline.ex("azure-native:containerregistry:Registry", #"{}"#, .pass),
            ]),
        types: ["azure:containerservice/registry:Registry"] + AzureTypes.native("containerregistry", "Registry")
    ) { registry, _ in
        let key = AzureTypes.isNative(registry) ? "adminUserEnabled" : "adminEnabled"
        return .check(try registry.bool(key) != true, "Container registry \(registry.name) has the admin user enabled.")
    }
}
