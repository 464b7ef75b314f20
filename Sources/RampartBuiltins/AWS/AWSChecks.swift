import RampartModel
import RampartPolicy

/// Checks shared by `builtin:awsguard` and `builtin:aws`: each pack keeps its own names and messages, the
/// logic lives here once.
enum AWSChecks {
    /// Whether the bucket has server access logging: inline (the legacy `loggings` list, v7's `logging`
    /// object, aws-native's `loggingConfiguration`) or a separate `BucketLogging(V2)` joined to it. nil when a
    /// logging resource might belong to it but cannot be joined yet (preview).
    static func s3LoggingEnabled(_ bucket: ResourceContext) throws(PolicyControl) -> Bool? {
        if bucket.type == S3.nativeBucket {
            return try bucket.truthy("loggingConfiguration.destinationBucketName") ? true : joinedLogging(bucket)
        }
        if try !bucket.value("loggings").requireElements("loggings").isEmpty { return true }
        let logging = try bucket.value("logging")
        if logging.count ?? 0 > 0, try logging["targetBucket"].requireTruthy("logging.targetBucket") { return true }
        return joinedLogging(bucket)
    }

    private static func joinedLogging(_ bucket: ResourceContext) -> Bool? {
        let side = S3.side(bucket, S3.loggingSide)
        if !side.matches.isEmpty { return true }
        return side.undecided == nil ? false : nil
    }

    /// RDS storage is encrypted; read replicas inherit their source's encryption.
    static func rdsStorageEncrypted(_ db: ResourceContext) throws(PolicyControl) -> Bool {
        if try db.truthy("replicateSourceDb") { return true }
        if try db.truthy("sourceDbInstanceIdentifier") { return true }
        return try db.truthy("storageEncrypted")
    }

    /// The database instance has a public endpoint.
    static func rdsPubliclyAccessible(_ db: ResourceContext) throws(PolicyControl) -> Bool {
        try db.bool("publiclyAccessible") ?? false
    }

    /// Whether the KMS key rotates; nil when its key spec cannot rotate (asymmetric and HMAC keys).
    static func kmsKeyRotates(_ key: ResourceContext) throws(PolicyControl) -> Bool? {
        var spec = try key.string("customerMasterKeySpec")
        if spec == nil { spec = try key.string("keySpec") }
        guard let spec else { return try key.bool("enableKeyRotation") ?? false }
        guard spec == "SYMMETRIC_DEFAULT" else { return nil }
        return try key.bool("enableKeyRotation") ?? false
    }

    /// EFS is encrypted at rest: `encrypted: true`. A `kmsKeyId` alone does not count (decided, see the policies'
    /// rationale): EFS and CloudFormation accept a key only together with `encrypted: true`, so `encrypted: false`
    /// (or absent) with a key is a definition that fails at deploy time, and saying so before the deploy is the
    /// useful answer. Deployed file systems always record `encrypted`, so state scans are unaffected.
    static func efsEncrypted(_ fs: ResourceContext) throws(PolicyControl) -> Bool {
        try fs.truthy("encrypted")
    }

    /// Messages for each unencrypted (or wrongly keyed) root and EBS block device of an instance or launch
    /// configuration. `rootRequired`: an absent root block device counts as unencrypted (AWSGuard's reading).
    static func unencryptedInstanceVolumes(_ ec2: ResourceContext, kmsId: String?, rootRequired: Bool) throws(PolicyControl) -> [String] {
        var messages: [String] = []
        let subject = MessageText.ec2Subject(ec2)
        func check(_ device: PropertyLookup, _ path: String, _ label: String) throws(PolicyControl) {
            if try device["encrypted"].requireBool("\(path).encrypted") != true {
                messages.append("\(subject) \(label) must be encrypted.")
            } else if let kmsId, try device["kmsKeyId"].requireString("\(path).kmsKeyId") != kmsId {
                messages.append("\(subject) \(label) must be encrypted with the required KMS key.")
            }
        }
        let root = try ec2.value("rootBlockDevice").single
        if root.isAbsent {
            if rootRequired { messages.append("\(subject) must have an encrypted root block device.") }
        } else {
            try check(root, "rootBlockDevice", "root block device")
        }
        for (i, device) in try ec2.value("ebsBlockDevices").requireElements("ebsBlockDevices").enumerated() {
            try check(device, "ebsBlockDevices[\(i)]", "EBS volume \(device["deviceName"].string ?? "#\(i)")")
        }
        return messages
    }
}
