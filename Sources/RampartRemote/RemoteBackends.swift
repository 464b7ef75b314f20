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

    public func open(_ input: String, jobs: Int) throws(InputError) -> any RemoteStackStream {
        do {
            let catalog = try self.catalog(for: RemoteLocation(parsing: input), input: input)
            let sources = try Blocking.wait { () async throws(RemoteError) -> [InputSource] in try await catalog.list() }
            guard !sources.isEmpty else { throw InputError.noStacksFound(directory: input) }
            return RemoteStackFetcher(catalog: catalog, sources: sources, window: max(1, jobs) * 2,
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
        nil
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
        case .pulumiCloud(let organization, let project, let stack):
            return PulumiCloudCatalog(client: try cloudClient(for: input), organization: organization, project: project,
                                      stack: stack, filters: environment.stackFilters)
        case .s3, .gcs:
            throw .invalidLocation(input, reason: "not supported yet")
        }
    }
}
