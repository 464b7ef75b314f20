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
        let side = S3.side(bucket, AWSTypes.bucketLoggings)
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

    /// EFS is encrypted at rest (`encrypted`, or a KMS key given, which implies it).
    static func efsEncrypted(_ fs: ResourceContext) throws(PolicyControl) -> Bool {
        if try fs.truthy("encrypted") { return true }
        return try fs.truthy("kmsKeyId")
    }

    /// Messages for each unencrypted (or wrongly keyed) root and EBS block device of an instance or launch
    /// configuration. `rootRequired`: an absent root block device counts as unencrypted (AWSGuard's reading).
    static func unencryptedInstanceVolumes(_ ec2: ResourceContext, kmsId: String?, rootRequired: Bool) throws(PolicyControl) -> [String] {
        var messages: [String] = []
        func check(_ device: PropertyLookup, _ path: String, _ label: String) throws(PolicyControl) {
            if try device["encrypted"].requireBool("\(path).encrypted") != true {
                messages.append("EC2 instance \(label) must be encrypted.")
            } else if let kmsId, try device["kmsKeyId"].requireString("\(path).kmsKeyId") != kmsId {
                messages.append("EC2 instance \(label) must be encrypted with the required KMS key.")
            }
        }
        let root = try ec2.value("rootBlockDevice").single
        if root.isAbsent {
            if rootRequired { messages.append("EC2 instance must have an encrypted root block device.") }
        } else {
            try check(root, "rootBlockDevice", "root block device")
        }
        for (i, device) in try ec2.value("ebsBlockDevices").requireElements("ebsBlockDevices").enumerated() {
            try check(device, "ebsBlockDevices[\(i)]", "EBS volume \(device["deviceName"].string ?? "#\(i)")")
        }
        return messages
    }
}
