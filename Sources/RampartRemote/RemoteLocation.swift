import Foundation

/// A remote input as written on the command line, parsed: the URL forms `pulumi login` accepts for backends, and
/// Pulumi Cloud organisations.
public enum RemoteLocation: Sendable, Hashable {
    /// `pulumi://ORG[/PROJECT[/STACK]]`.
    case pulumiCloud(organization: String, project: String?, stack: String?)
    /// `s3://BUCKET[/PREFIX][?region=…&endpoint=…&s3ForcePathStyle=true&profile=…]`.
    case s3(bucket: String, prefix: String, options: [String: String])
    /// `gs://BUCKET[/PREFIX]`.
    case gcs(bucket: String, prefix: String)

    public static let schemes = ["pulumi", "s3", "gs"]

    /// Whether `input` starts with a scheme this module reads.
    public static func isRemote(_ input: String) -> Bool {
        schemes.contains { input.hasPrefix($0 + "://") }
    }

    public init(parsing input: String) throws(RemoteError) {
        guard let separator = input.range(of: "://") else { throw .invalidLocation(input, reason: "expected scheme://…") }
        let scheme = String(input[..<separator.lowerBound])
        var rest = String(input[separator.upperBound...])
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                query[name] = value
            }
            rest = String(rest[..<mark])
        }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch scheme {
        case "pulumi":
            guard query.isEmpty else { throw .invalidLocation(input, reason: "pulumi:// takes no query options") }
            guard (1...3).contains(segments.count) else {
                throw .invalidLocation(input, reason: "expected pulumi://ORG, pulumi://ORG/PROJECT or pulumi://ORG/PROJECT/STACK")
            }
            self = .pulumiCloud(organization: segments[0], project: segments.count > 1 ? segments[1] : nil,
                                stack: segments.count > 2 ? segments[2] : nil)
        case "s3":
            guard let bucket = segments.first else { throw .invalidLocation(input, reason: "expected s3://BUCKET[/PREFIX]") }
            let known: Set<String> = ["region", "endpoint", "s3ForcePathStyle", "profile", "awssdk", "disableSSL"]
            if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
                throw .invalidLocation(input, reason: "unknown option '\(unknown)'; expected region, endpoint, s3ForcePathStyle, profile")
            }
            self = .s3(bucket: bucket, prefix: segments.dropFirst().joined(separator: "/"), options: query)
        case "gs":
            guard let bucket = segments.first else { throw .invalidLocation(input, reason: "expected gs://BUCKET[/PREFIX]") }
            guard query.isEmpty else { throw .invalidLocation(input, reason: "gs:// takes no query options") }
            self = .gcs(bucket: bucket, prefix: segments.dropFirst().joined(separator: "/"))
        default:
            throw .invalidLocation(input, reason: "unknown scheme '\(scheme)'; expected pulumi://, s3:// or gs://")
        }
    }
}
