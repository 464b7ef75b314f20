import Foundation
import RampartInputs
import RampartModel

/// Reads `pulumi://`, `s3://` and `gs://` inputs for the pipeline (`Pipeline.remote`).
public struct RemoteBackends: RemoteInputs {
    public var environment: RemoteEnvironment
    public var transport: HTTPTransport

    public init(environment: RemoteEnvironment = RemoteEnvironment()) {
        self.environment = environment
        self.transport = HTTPTransport(retry: environment.retry)
    }

    public func handles(_ input: String) -> Bool { RemoteLocation.isRemote(input) }

    public func open(_ input: String, jobs: Int, sizeLimit: InputSizeLimit) throws(InputError) -> any RemoteStackStream {
        do {
            let catalog = try self.catalog(for: RemoteLocation(parsing: input), input: input)
            let sources = try Blocking.wait { () async throws(RemoteError) -> [InputSource] in try await catalog.list() }
            guard !sources.isEmpty else { throw InputError.noStacksFound(directory: input) }
            return RemoteStackFetcher(catalog: catalog, sources: sources, window: max(1, jobs) * 2, sizeLimit: sizeLimit,
                                      onFetched: environment.onFetched)
        } catch let error as RemoteError {
            throw error.inputError
        } catch let error as InputError {
            throw error
        } catch {
            throw .unreadable(file: input, reason: "\(error)")
        }
    }

    public func stateBucket(_ input: String) throws(InputError) -> StateBucket? {
        do throws(RemoteError) {
            switch try RemoteLocation(parsing: input) {
            case .s3(let bucket, _, let options):
                let environment = self.environment, transport = self.transport
                return try Blocking.wait { () async throws(RemoteError) -> StateBucket in
                    let target = try await S3Target.resolve(bucket: bucket, options: options, input: input, environment: environment, transport: transport)
                    return try await S3BucketSettings(target: target, transport: transport).read(location: input)
                }
            case .gcs(let bucket, _):
                let reader = GCSBucketSettingsReader(store: try GCSStore(bucket: bucket, environment: environment, transport: transport))
                return try Blocking.wait { () async throws(RemoteError) -> StateBucket in try await reader.read(location: input) }
            case .pulumiCloud:
                return nil
            }
        } catch {
            throw error.inputError
        }
    }

    public func organizationSnapshot(_ input: String) throws(InputError) -> [UInt8] {
        do throws(RemoteError) {
            guard case .pulumiCloud(let organization, nil, nil) = try RemoteLocation(parsing: input) else {
                throw .invalidLocation(input, reason: "an organisation snapshot is read from pulumi://ORG")
            }
            let fetcher = OrganizationSnapshotFetcher(client: try cloudClient(for: input), organization: organization)
            return try Blocking.wait { () async throws(RemoteError) -> [UInt8] in try await fetcher.snapshot() }
        } catch {
            throw error.inputError
        }
    }

    /// The Pulumi Cloud API client for `input`, its account resolved from the environment.
    func cloudClient(for input: String) throws(RemoteError) -> PulumiCloudClient {
        PulumiCloudClient(account: try PulumiCloudAccount(environment: environment, location: input), transport: transport)
    }

    /// The catalog a location is read through.
    func catalog(for location: RemoteLocation, input: String) throws(RemoteError) -> any StackCatalog {
        switch location {
        case .s3(let bucket, let prefix, let options):
            let environment = self.environment, transport = self.transport
            let target = try Blocking.wait { () async throws(RemoteError) -> S3Target in
                try await S3Target.resolve(bucket: bucket, options: options, input: input, environment: environment, transport: transport)
            }
            return ObjectStoreCatalog(store: S3Store(target: target, transport: transport), prefix: prefix)
        case .gcs(let bucket, let prefix):
            return ObjectStoreCatalog(store: try GCSStore(bucket: bucket, environment: environment, transport: transport), prefix: prefix)
        case .pulumiCloud(let organization, let project, let stack):
            return PulumiCloudCatalog(client: try cloudClient(for: input), organization: organization, project: project,
                                      stack: stack, filters: environment.stackFilters)
        }
    }
}
