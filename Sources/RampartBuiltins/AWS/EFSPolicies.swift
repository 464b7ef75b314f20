import RampartPolicy

/// EFS beyond encryption at rest (`efs-encrypted` lives with the managed-service policies): the key, the storage
/// class's availability, and the file system policy's lockout safety check.
extension AWSBaseline {
    static var efsPolicies: [any Policy] { [efsCMK, efsMultiAZ, efsNoLockoutBypass] }

    static let efs = "aws:efs/fileSystem:FileSystem"
    static let nativeEFS = "aws-native:efs:FileSystem"

    static let efsCMK = SwiftResourcePolicy(
        baseline("efs-customer-managed-key", "Encrypted EFS file systems use a customer-managed KMS key.", severity: .low, frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 level: .disabled,
                 rationale: "Without `kmsKeyId`, EFS encrypts with the AWS-managed key `aws/elasticfilesystem`, whose policy the account cannot restrict. Opt-in, like the pack's other customer-managed-key policies; an unencrypted file system is `efs-encrypted`'s finding.",
                 remediation: "Set `kmsKeyId` to a customer-managed key when creating the file system (it cannot be changed later).",
                 examples: [
                     example(efs, #"{"encrypted": true, "kmsKeyId": "\#(kmsKeyARN)"}"#, .pass),
                     example(efs, #"{"encrypted": true}"#, .violation),
                     example(nativeEFS, #"{"encrypted": true, "kmsKeyId": ""}"#, .violation),
                     example(nativeEFS, #"{"encrypted": false}"#, .notApplicable, "not encrypted: efs-encrypted reports it"),
                 ],
                 equivalents: compliance("aws-efs-filesystem-configure-customer-managed-key", "awsnative-efs-filesystem-configure-customer-managed-key")),
        types: [efs, nativeEFS]
    ) { fs, _ in
        guard try AWSChecks.efsEncrypted(fs) else { return .notApplicable("the file system is not encrypted") }
        return .check(KMSKeyReference.isCustomerManaged(try fs.string("kmsKeyId")), "EFS file system \(fs.name) is encrypted with the AWS-managed key, not a customer-managed one.")
    }

    static let efsMultiAZ = SwiftResourcePolicy(
        baseline("efs-multi-az", "EFS file systems store data across availability zones (not One Zone).", severity: .high,
                 rationale: "A One Zone file system (`availabilityZoneName` set) keeps its data in a single availability zone: losing that zone makes the data unavailable, or lost.",
                 remediation: "Leave `availabilityZoneName` unset to use the Regional (multi-AZ) storage classes; create a new file system and copy the data to move off One Zone.",
                 examples: [
                     example(efs, #"{"encrypted": true}"#, .pass),
                     example(efs, #"{"availabilityZoneName": "us-west-2a"}"#, .violation),
                     example(nativeEFS, #"{"availabilityZoneName": "us-west-2a"}"#, .violation),
                     example(nativeEFS, #"{"availabilityZoneName": "\#(unknown)"}"#, .indeterminate, "preview: the zone comes from another resource"),
                 ],
                 equivalents: compliance("aws-efs-filesystem-disallow-single-availability-zone", "awsnative-efs-filesystem-disallow-single-availability-zone")),
        types: [efs, nativeEFS]
    ) { fs, _ in
        let zone = try fs.string("availabilityZoneName") ?? ""
        return .check(zone.isEmpty, "EFS file system \(fs.name) is One Zone (\(zone)).")
    }

    static let efsNoLockoutBypass = SwiftResourcePolicy(
        baseline("efs-no-policy-lockout-bypass", "EFS file system policies keep the lockout safety check.", severity: .critical,
                 rationale: "The safety check rejects a file system policy that would lock the caller out of changing it again; bypassing it can leave a file system nobody can administer or mount.",
                 remediation: "Remove `bypassPolicyLockoutSafetyCheck` (or set it false) on the file system policy (aws-native: on the file system).",
                 examples: [
                     example("aws:efs/fileSystemPolicy:FileSystemPolicy", #"{"fileSystemId": "fs-1", "policy": "{}"}"#, .pass),
                     example("aws:efs/fileSystemPolicy:FileSystemPolicy", #"{"fileSystemId": "fs-1", "bypassPolicyLockoutSafetyCheck": true}"#, .violation),
                     example(nativeEFS, #"{"bypassPolicyLockoutSafetyCheck": false}"#, .pass),
                     example(nativeEFS, #"{"bypassPolicyLockoutSafetyCheck": true}"#, .violation),
                 ],
                 equivalents: compliance("awsnative-efs-filesystem-disallow-bypass-policy-lockout-safety-check")),
        types: ["aws:efs/fileSystemPolicy:FileSystemPolicy", nativeEFS]
    ) { subject, _ in
        .check(try subject.bool("bypassPolicyLockoutSafetyCheck") != true, "\(subject.name) bypasses the EFS file system policy lockout safety check.")
    }
}
