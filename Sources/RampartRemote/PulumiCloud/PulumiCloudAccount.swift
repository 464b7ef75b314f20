import Foundation
import RampartJSON

/// The Pulumi Cloud API base and access token a run uses, found the way the Pulumi CLI finds them.
///
/// API base: `--cloud-url`, else `PULUMI_BACKEND_URL` when it is an http(s) URL (a `file://` or `s3://` value names a
/// self-managed backend, not the service), else the current account of `~/.pulumi/credentials.json`, else
/// `https://api.pulumi.com`. Token: `PULUMI_ACCESS_TOKEN`, else the credentials file's token for that base.
///
/// Not `CustomStringConvertible` on purpose: the token must never be formatted into any text.
struct PulumiCloudAccount: Sendable {
    static let defaultURL = "https://api.pulumi.com"

    /// The API base without a trailing `/` (`https://api.pulumi.com`).
    let baseURL: String
    /// The access token, sent only in the `Authorization` header.
    let token: String

    init(baseURL: String, token: String) {
        self.baseURL = baseURL
        self.token = token
    }

    /// Resolves the account for `location` (named in errors) from the environment.
    init(environment: RemoteEnvironment, location: String) throws(RemoteError) {
        let credentials = try CredentialsFile(environment: environment)
        let base: String
        if let url = environment.cloudURL?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            guard Self.isHTTP(url) else { throw .invalidLocation(url, reason: "--cloud-url must be an http:// or https:// URL") }
            base = url
        } else if let url = environment["PULUMI_BACKEND_URL"], Self.isHTTP(url) {
            base = url
        } else if let current = credentials?.current, Self.isHTTP(current) {
            base = current
        } else {
            base = Self.defaultURL
        }
        let baseURL = Self.trimmed(base)
        guard let token = environment["PULUMI_ACCESS_TOKEN"] ?? credentials?.token(for: baseURL) else {
            throw .noCredentials(location: location, hint: "set PULUMI_ACCESS_TOKEN, or run `pulumi login \(baseURL)` so that "
                                 + "\(CredentialsFile.path(in: environment.homeDirectory)) holds a token for it")
        }
        self.init(baseURL: baseURL, token: token)
    }

    static func isHTTP(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    static func trimmed(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// `~/.pulumi/credentials.json` as `pulumi login` writes it: `{"current": URL, "accessTokens": {URL: token},
/// "accounts": {URL: {"accessToken": token, "username": …}}}`. `PULUMI_HOME` moves the directory, as for the CLI.
struct CredentialsFile: Sendable {
    var current: String?
    private var tokens: [String: String]

    static func path(in home: String, pulumiHome: String? = nil) -> String {
        (pulumiHome ?? home + "/.pulumi") + "/credentials.json"
    }

    /// The file's contents, or nil when there is none. A file that exists but cannot be read as JSON is an error:
    /// silently ignoring it would send requests without the user's token.
    init?(environment: RemoteEnvironment) throws(RemoteError) {
        let path = Self.path(in: environment.homeDirectory, pulumiHome: environment["PULUMI_HOME"])
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .noCredentials(location: path, hint: "the file exists but cannot be read")
        }
        let document: JSONDocument
        do { document = try JSONDocument.parse(Array(data)) } catch {
            // The parse error's position only: the file holds tokens, so none of its text is quoted.
            throw .noCredentials(location: path, hint: "not valid JSON at line \(error.line), column \(error.column)")
        }
        let root = document.root
        guard root.kind == .object else { throw .noCredentials(location: path, hint: "expected a JSON object at $") }
        current = root["current"]?.string
        var tokens: [String: String] = [:]
        if let accounts = root["accounts"], accounts.kind == .object {
            for (url, account) in accounts.members {
                if let url = url.string, let token = account["accessToken"]?.string, !token.isEmpty {
                    tokens[PulumiCloudAccount.trimmed(url)] = token
                }
            }
        }
        if let legacy = root["accessTokens"], legacy.kind == .object {
            for (url, token) in legacy.members {
                if let url = url.string, let token = token.string, !token.isEmpty, tokens[PulumiCloudAccount.trimmed(url)] == nil {
                    tokens[PulumiCloudAccount.trimmed(url)] = token
                }
            }
        }
        self.tokens = tokens
    }

    func token(for baseURL: String) -> String? { tokens[PulumiCloudAccount.trimmed(baseURL)] }
}
