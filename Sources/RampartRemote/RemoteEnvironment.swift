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
                homeDirectory: String? = nil,
                cloudURL: String? = nil, stackFilters: [String] = [], retry: RetryPolicy = RetryPolicy()) {
        self.variables = variables
        self.homeDirectory = homeDirectory ?? RemoteEnvironment.userHomeDirectory(variables)
        self.cloudURL = cloudURL
        self.stackFilters = stackFilters
        self.retry = retry
    }

    /// The user's home directory when none is given: `HOME` among `variables`, which the Pulumi CLI, the AWS CLI
    /// and gcloud read for theirs, else the account's entry in the user database. Every command makes an
    /// environment, most never read the home directory, and the database lookup (`getpwuid`: nscd,
    /// `/etc/nsswitch.conf`, `/etc/passwd`) cost ~1 ms on the way to a scan's first byte.
    static func userHomeDirectory(_ variables: [String: String]) -> String {
        if let home = variables["HOME"], !home.isEmpty { return home }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }

    /// A variable's value, nil when unset or empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }
}
