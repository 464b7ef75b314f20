import Foundation

/// What the remote clients read from the process's surroundings — environment variables and the user's home
/// directory (`~/.pulumi/credentials.json`, `~/.aws/credentials`) — plus the command line's settings for remote
/// inputs. Tests pass their own, so no test depends on the machine's environment.
public struct RemoteEnvironment: Sendable {
    public var variables: [String: String]
    public var homeDirectory: String
    /// `--cloud-url`: the Pulumi Cloud API base, overriding every other source.
    public var cloudURL: String?
    /// `--stack-filter`: globs over `org/project/stack`; a stack is read when any matches (all when empty).
    public var stackFilters: [String]
    public var retry: RetryPolicy
    /// Called as each remote stack arrives (fetched or failed), with how many have arrived of how many listed: the
    /// command line's progress line counts fetched stacks beside scanned ones. Called from fetching tasks.
    public var onFetched: (@Sendable (_ source: String, _ fetched: Int, _ total: Int) -> Void)?

    public init(variables: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = FileManager.default.homeDirectoryForCurrentUser.path,
                cloudURL: String? = nil, stackFilters: [String] = [], retry: RetryPolicy = RetryPolicy()) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.cloudURL = cloudURL
        self.stackFilters = stackFilters
        self.retry = retry
    }

    /// A variable's value, nil when unset or empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }
}
