import RampartModel

/// Inputs kept somewhere other than the local file system — Pulumi Cloud (`pulumi://ORG[/PROJECT[/STACK]]`) and
/// self-managed backends in buckets (`s3://…`, `gs://…`). RampartRemote implements it and the command line hands it
/// to the pipeline, so the core (and `rampart scan FILE`) links no HTTP client.
public protocol RemoteInputs: Sendable {
    /// Whether `input` names a location this reads (by its scheme).
    func handles(_ input: String) -> Bool
    /// Lists the stacks `input` stands for and starts fetching them, at most `jobs` at a time, ahead of the reader;
    /// each stack is held to `sizeLimit` as a local file is.
    func open(_ input: String, jobs: Int, sizeLimit: InputSizeLimit) throws(InputError) -> any RemoteStackStream
    /// The settings of the bucket behind an `s3://` or `gs://` backend (for `audit`); nil for other locations.
    func stateBucket(_ input: String) throws(InputError) -> StateBucket?
    /// The organisation snapshot of `pulumi://ORG`, assembled from the API: a JSON document of the shape
    /// `OrgSnapshotReader` reads (docs/org-snapshot.md), so it can be read like a file and saved for the record.
    func organizationSnapshot(_ input: String) throws(InputError) -> [UInt8]
}

/// The stacks of one remote input, in a fixed order, fetched concurrently ahead of the reader so that memory stays
/// bounded by the few stacks in flight.
public protocol RemoteStackStream: AnyObject, Sendable {
    /// Every stack the input stands for, in the order `next()` returns them. `path` is the stack's location
    /// (`s3://bucket/.pulumi/stacks/app/dev.json`, `pulumi://acme/app/dev`), never holding a credential.
    var sources: [InputSource] { get }
    /// The next stack's bytes (decompressed) or why it could not be fetched; nil after the last. Blocks until the
    /// stack has arrived.
    func next() -> (source: InputSource, bytes: Result<[UInt8], InputError>)?
}
