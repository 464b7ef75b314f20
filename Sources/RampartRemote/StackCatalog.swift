import Foundation
import RampartInputs

/// Something that lists stacks and fetches each one's bytes: Pulumi Cloud's API, or a bucket read like a backend
/// directory.
public protocol StackCatalog: Sendable {
    /// Every stack, in a fixed order; each source's `path` is its location for reports (no credentials in it).
    func list() async throws(RemoteError) -> [InputSource]
    /// One stack's bytes as stored (possibly gzip or zstd compressed).
    func fetch(_ source: InputSource) async throws(RemoteError) -> [UInt8]
}

/// A bucket of a self-managed backend (S3, GCS), as the backend layout needs it.
public protocol ObjectStore: Sendable {
    /// `s3://bucket`, `gs://bucket`: what object keys are appended to (after `/`) to name them in reports.
    var bucketURL: String { get }
    /// Every object whose key starts with `prefix` (full keys), following the listing's pages.
    func list(prefix: String) async throws(RemoteError) -> [StoredObject]
    /// One object's bytes.
    func get(key: String) async throws(RemoteError) -> [UInt8]
}

/// A bucket read exactly like a local backend directory: the checkpoints under `<prefix>/.pulumi/stacks/` in the
/// project or legacy layout, `.json`/`.gz`/`.zst`, the newest per stack; history, backups and locks are not stacks
/// (`BackendLayout.checkpoints`, shared with local directories).
public struct ObjectStoreCatalog: StackCatalog {
    public let store: any ObjectStore
    /// The backend's prefix inside the bucket, without leading or trailing `/` (empty: the bucket root).
    public let prefix: String

    public init(store: any ObjectStore, prefix: String) {
        self.store = store
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
    }

    private var stacksKey: String { (prefix.isEmpty ? "" : prefix + "/") + ".pulumi/stacks" }

    public func list() async throws(RemoteError) -> [InputSource] {
        let objects = try await store.list(prefix: stacksKey + "/")
        let entries = objects.compactMap { object -> StoredObject? in
            guard object.key.hasPrefix(stacksKey + "/") else { return nil }
            return StoredObject(key: String(object.key.dropFirst(stacksKey.count + 1)), modified: object.modified)
        }
        return BackendLayout.checkpoints(entries, stacksLocation: store.bucketURL + "/" + stacksKey)
    }

    public func fetch(_ source: InputSource) async throws(RemoteError) -> [UInt8] {
        let root = store.bucketURL + "/"
        guard source.path.hasPrefix(root) else {
            throw .invalidLocation(source.path, reason: "not an object of \(store.bucketURL)")
        }
        return try await store.get(key: String(source.path.dropFirst(root.count)))
    }
}
