/// The settings of the bucket that holds a self-managed backend's state (`s3://`, `gs://`), read through the storage
/// service's own API when `audit` reads the backend. A setting the credentials may not read is `.unreadable`, which
/// the checklist reports as not evaluable, never as a pass.
public struct StateBucket: Sendable, Hashable {
    public enum Service: String, Sendable, Hashable {
        case s3
        case gcs
    }

    /// One setting as read: its value, or why it could not be read (e.g. `403 AccessDenied`).
    public enum Reading<Value: Sendable & Hashable>: Sendable, Hashable {
        case known(Value)
        case unreadable(String)
    }

    /// Server-side encryption at rest.
    public struct Encryption: Sendable, Hashable {
        /// `AES256`, `aws:kms`, `aws:kms:dsse` (S3); `google-managed` or `cloud-kms` (GCS); nil when none is set.
        public var algorithm: String?
        /// The customer-managed key (KMS key ARN or Cloud KMS key name), when one is set.
        public var customerManagedKey: String?

        public init(algorithm: String?, customerManagedKey: String? = nil) {
            self.algorithm = algorithm
            self.customerManagedKey = customerManagedKey
        }
    }

    /// Whether the bucket is closed to the public.
    public struct PublicAccess: Sendable, Hashable {
        /// Every setting that blocks public access is on (S3 Block Public Access: all four flags; GCS: uniform
        /// bucket-level access and public access prevention enforced).
        public var blocked: Bool
        /// What makes the bucket (or its objects) public, one plain sentence each: a public ACL grant, a policy
        /// statement or IAM binding for everyone. Empty when nothing grants public access.
        public var publicGrants: [String]

        public init(blocked: Bool, publicGrants: [String] = []) {
            self.blocked = blocked
            self.publicGrants = publicGrants
        }
    }

    /// The location as given (`s3://bucket/prefix?region=…`), without credentials.
    public var location: String
    public var service: Service
    public var name: String
    public var encryption: Reading<Encryption>
    public var versioning: Reading<Bool>
    public var publicAccess: Reading<PublicAccess>
    /// Access logging: the log destination (`s3://logs-bucket/prefix`, `gs://logs-bucket`), nil when off.
    public var accessLogging: Reading<String?>

    public init(location: String, service: Service, name: String, encryption: Reading<Encryption>, versioning: Reading<Bool>,
                publicAccess: Reading<PublicAccess>, accessLogging: Reading<String?>) {
        self.location = location
        self.service = service
        self.name = name
        self.encryption = encryption
        self.versioning = versioning
        self.publicAccess = publicAccess
        self.accessLogging = accessLogging
    }
}
