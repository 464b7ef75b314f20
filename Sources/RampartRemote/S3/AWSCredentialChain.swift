import Foundation

/// Finds AWS credentials and settings the way the AWS CLI and SDKs do, reading only `RemoteEnvironment`:
/// a named profile (`?profile=` or `AWS_PROFILE`) from `~/.aws/credentials` and `~/.aws/config`; else the
/// environment's keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`); else web identity
/// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` → STS `AssumeRoleWithWebIdentity`, what OIDC CI jobs use); else
/// the `default` profile.
struct AWSCredentialChain: Sendable {
    var environment: RemoteEnvironment
    var transport: HTTPTransport

    /// The profile named by the location or the environment; nil when none was named.
    func namedProfile(_ option: String?) -> String? { option ?? environment["AWS_PROFILE"] }

    func credentials(profile option: String?, location: String) async throws(RemoteError) -> AWSCredentials {
        if let name = namedProfile(option) {
            guard let credentials = try profileCredentials(name, location: location) else {
                throw .noCredentials(location: location, hint: "profile '\(name)' has no aws_access_key_id and aws_secret_access_key in \(files.credentials) or \(files.config)")
            }
            return credentials
        }
        if let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] {
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"], source: "the environment")
        }
        if let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], let role = environment["AWS_ROLE_ARN"] {
            return try await webIdentity(tokenFile: tokenFile, role: role, location: location)
        }
        if let credentials = try profileCredentials("default", location: location) { return credentials }
        throw .noCredentials(location: location, hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE (~/.aws/credentials), or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN")
    }

    /// The region of the environment or the profile, before asking the bucket.
    func region(profile option: String?) -> String? {
        if let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] { return region }
        let name = namedProfile(option) ?? "default"
        return (try? configFile()).flatMap { $0[name == "default" ? "default" : "profile \(name)"]?["region"] }
            ?? (try? credentialsFile()).flatMap { $0[name]?["region"] }
    }

    // MARK: - Profiles

    var files: (credentials: String, config: String) {
        let home = environment.homeDirectory
        return (environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials", environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config")
    }

    private func credentialsFile() throws(RemoteError) -> [String: [String: String]] { try Self.readINI(files.credentials) }
    private func configFile() throws(RemoteError) -> [String: [String: String]] { try Self.readINI(files.config) }

    /// Static keys of a profile: `[name]` of the credentials file, else `[profile name]` (`[default]`) of the config file.
    private func profileCredentials(_ name: String, location: String) throws(RemoteError) -> AWSCredentials? {
        let fromCredentials = try credentialsFile()[name]
        let fromConfig = try configFile()[name == "default" ? "default" : "profile \(name)"]
        for section in [fromCredentials, fromConfig].compactMap({ $0 }) {
            if let key = section["aws_access_key_id"], let secret = section["aws_secret_access_key"], !key.isEmpty, !secret.isEmpty {
                return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: section["aws_session_token"], source: "profile '\(name)'")
            }
        }
        return nil
    }

    /// Sections of an AWS INI file (`[name]` → key → value); an absent file has none. Comments (`#`, `;`) and
    /// indented continuation lines (nested settings such as `s3 =`) are skipped.
    static func readINI(_ path: String) throws(RemoteError) -> [String: [String: String]] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalidLocation(path, reason: "cannot read the AWS settings file")
        }
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if raw.first == " " || raw.first == "\t" { continue }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }

    // MARK: - Web identity

    /// Exchanges the OIDC token for temporary credentials (STS `AssumeRoleWithWebIdentity`, an unsigned call).
    private func webIdentity(tokenFile: String, role: String, location: String) async throws(RemoteError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile),
              let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw .noCredentials(location: location, hint: "AWS_WEB_IDENTITY_TOKEN_FILE names a file that cannot be read or is empty")
        }
        let session = environment["AWS_ROLE_SESSION_NAME"] ?? "rampart-\(Int(Date().timeIntervalSince1970))"
        let endpoint = environment["AWS_ENDPOINT_URL_STS"] ?? environment["AWS_ENDPOINT_URL"]
            ?? (environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]).map { "https://sts.\($0).amazonaws.com" }
            ?? "https://sts.amazonaws.com"
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
                    ("RoleSessionName", session), ("WebIdentityToken", token)]
            .map { "\(SigV4.encode($0.0))=\(SigV4.encode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: endpoint.hasSuffix("/") ? endpoint : endpoint + "/",
                                  headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
                                  body: Array(form.utf8))
        let response = try await transport.send(request, location: "\(location) (STS AssumeRoleWithWebIdentity)")
        let xml = XMLText(response.body)
        guard response.isSuccess else {
            // Only the error code: STS messages may quote the request.
            throw .status(location: "\(location) (STS AssumeRoleWithWebIdentity for \(role))", code: response.status, message: xml.first("Code") ?? "")
        }
        guard let key = xml.first("AccessKeyId"), let secret = xml.first("SecretAccessKey") else {
            throw .unexpectedResponse(location: "\(location) (STS AssumeRoleWithWebIdentity)", reason: "no Credentials in the answer")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: xml.first("SessionToken"), source: "web identity (\(role))")
    }
}

/// The few things read from AWS's XML answers: the text of elements by name. The answers are flat, machine-made
/// documents; elements are matched by their exact tag (attributes allowed), and the five predefined entities and
/// numeric references are decoded.
struct XMLText: Sendable, Hashable {
    let text: String

    init(_ bytes: [UInt8]) { text = String(decoding: bytes, as: UTF8.self) }
    init(_ text: Substring) { self.text = String(text) }

    /// The inner text of every element named `name`, in document order.
    func all(_ name: String) -> [Substring] {
        var result: [Substring] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)") {
            let after = rest[open.upperBound...]
            guard let first = after.first, first == ">" || first == " " || first == "/",
                  let close = after.firstIndex(of: ">") else { rest = after; continue }
            if close > after.startIndex, after[after.index(before: close)] == "/" { result.append(""); rest = after[after.index(after: close)...]; continue }
            let body = after[after.index(after: close)...]
            guard let end = body.range(of: "</\(name)>") else { break }
            result.append(body[..<end.lowerBound])
            rest = body[end.upperBound...]
        }
        return result
    }

    /// The decoded text of the first element named `name`.
    func first(_ name: String) -> String? { all(name).first.map { Self.decode(String($0)) } }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { rest = rest[amp...]; break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
