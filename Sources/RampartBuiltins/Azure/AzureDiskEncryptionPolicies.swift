import RampartModel
import RampartPolicy

/// Azure Disk Encryption (ADE) settings on managed disks. Kept apart from `azure-disk-customer-managed-encryption`
/// (who holds the key of the platform's encryption at rest): this one asks that the disk's contents be encrypted
/// with BitLocker / dm-crypt keys from a Key Vault, as Pulumi's compliance-ready "unencrypted disk" checks do.
extension AzureBaseline {
    static var diskEncryptionPolicies: [any Policy] { [diskAzureDiskEncryption] }

    static let classicManagedDisk = "azure:compute/managedDisk:ManagedDisk"

    static let diskAzureDiskEncryption = SwiftResourcePolicy(
        Baseline.descriptor("azure-disk-encryption-settings", "Managed disks carry Azure Disk Encryption settings that are not disabled.", .high,
            rationale: "Azure Disk Encryption encrypts the volume inside the guest with keys kept in your Key Vault, so a copied or exported disk (snapshot, SAS download) is unreadable without them; the platform's encryption at rest does not protect against those. The classic provider's `encryptionSettings` counts when present (provider v6 has no `enabled` field; v5's `enabled: false` is a finding); azure-native's `encryptionSettingsCollection` must have `enabled: true`. A disk with neither is a finding for both providers — Pulumi's compliance-ready azure-native check passes such a disk and flags only an explicit `enabled: false`, its classic check flags it: Rampart judges both alike. Customer-managed keys and encryption at host are judged by `azure-disk-customer-managed-encryption`.",
            remediation: "Set `encryptionSettings` (classic: `diskEncryptionKey` with the Key Vault secret, optionally `keyEncryptionKey`) or `encryptionSettingsCollection: { enabled: true, encryptionSettings: [...] }` (azure-native), or enable ADE on the VM and exempt the disk.",
            frameworks: frameworks("iso27001", "pcidss"),
            examples: [
                Baseline.ex(classicManagedDisk, #"{"createOption": "Empty", "encryptionSettings": {"diskEncryptionKey": {"secretUrl": "https://v.vault.azure.net/secrets/s/1", "sourceVaultId": "/subscriptions/s/vaults/v"}}}"#, .pass, "provider v6 shape"),
                Baseline.ex(classicManagedDisk, #"{"createOption": "Empty", "diskSizeGb": 10}"#, .violation),
                Baseline.ex(classicManagedDisk, #"{"encryptionSettings": {"enabled": false}}"#, .violation, "provider v5 shape"),
                Baseline.ex("azure-native:compute:Disk", #"{"encryptionSettingsCollection": {"enabled": true, "encryptionSettings": [{"diskEncryptionKey": {"secretUrl": "https://v.vault.azure.net/secrets/s/1"}}]}}"#, .pass),
                Baseline.ex("azure-native:compute:Disk", #"{"encryptionSettingsCollection": {"enabled": false}}"#, .violation),
                Baseline.ex("azure-native:compute/v20230402:Disk", #"{"creationData": {"createOption": "Empty"}}"#, .violation),
                Baseline.ex("azure-native:compute:Disk", #"{"encryptionSettingsCollection": {"enabled": \#(Baseline.unknown)}}"#, .indeterminate),
            ],
            equivalents: compliance("azure-compute-manageddisk-disallow-unencrypted-managed-disk",
                                    "azurenative-compute-disk-disallow-unencrypted-disk")),
        types: [classicManagedDisk] + AzureTypes.native("compute", "Disk")
    ) { disk, _ in
        if AzureTypes.isNative(disk) {
            let collection = try disk.value("encryptionSettingsCollection")
            if collection.isAbsent { return .violation("Disk \(disk.name) has no Azure Disk Encryption settings (encryptionSettingsCollection).") }
            return .check(try disk.bool("encryptionSettingsCollection.enabled") == true,
                          "Disk \(disk.name) has Azure Disk Encryption disabled (encryptionSettingsCollection.enabled is not true).")
        }
        let settings = try disk.value("encryptionSettings")
        if settings.isAbsent { return .violation("Managed disk \(disk.name) has no Azure Disk Encryption settings (encryptionSettings).") }
        return .check(try disk.bool("encryptionSettings.enabled") != false,
                      "Managed disk \(disk.name) has Azure Disk Encryption disabled (encryptionSettings.enabled is false).")
    }
}
