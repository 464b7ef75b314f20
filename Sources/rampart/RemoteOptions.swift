import ArgumentParser
import RampartRemote

/// Options for remote inputs (`pulumi://ORG[/PROJECT[/STACK]]`, `s3://…`, `gs://…`), shared by scan and audit.
struct RemoteOptions: ParsableArguments {
    @Option(help: "Pulumi Cloud API base URL. Default: PULUMI_BACKEND_URL when it is http(s), else the current account in ~/.pulumi/credentials.json, else https://api.pulumi.com.")
    var cloudURL: String?

    @Option(help: "Read only the remote stacks whose ORG/PROJECT/STACK matches this glob (repeatable).")
    var stackFilter: [String] = []

    /// The reader of remote inputs, configured from these options and the process environment; `observer` (the
    /// progress line) hears of each stack fetched.
    func backends(observer progress: ProgressIndicator? = nil) -> RemoteBackends {
        var environment = RemoteEnvironment(cloudURL: cloudURL, stackFilters: stackFilter)
        if let progress { environment.onFetched = { _, fetched, total in progress.stackFetched(fetched, total: total) } }
        return RemoteBackends(environment: environment)
    }
}
