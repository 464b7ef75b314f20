import Foundation
import RampartJSON
import RampartModel

/// What kind of secret a value looks like.
public enum SecretKind: String, Sendable, Hashable, CaseIterable {
    case awsAccessKeyID = "aws-access-key-id"
    case awsSecretAccessKey = "aws-secret-access-key"
    case pulumiAccessToken = "pulumi-access-token"
    case githubToken = "github-token"
    case gitlabToken = "gitlab-token"
    case slackToken = "slack-token"
    case stripeSecretKey = "stripe-secret-key"
    case googleAPIKey = "google-api-key"
    case privateKey = "private-key"
    case jwt
    case azureStorageConnectionString = "azure-storage-connection-string"
    case gcpServiceAccountKey = "gcp-service-account-key"
    case credentialsInURL = "credentials-in-url"
    /// A plaintext value under a name that says it is secret (`dbPassword`, `apiToken`, …).
    case sensitivelyNamed = "sensitively-named"
    /// A high-entropy value under a name that may hold a key (`encryptionKey`, `signingKey`, …).
    case highEntropy = "high-entropy"

    /// Human name for messages.
    public var title: String {
        switch self {
        case .awsAccessKeyID: return "AWS access key id"
        case .awsSecretAccessKey: return "AWS secret access key"
        case .pulumiAccessToken: return "Pulumi access token"
        case .githubToken: return "GitHub token"
        case .gitlabToken: return "GitLab token"
        case .slackToken: return "Slack token"
        case .stripeSecretKey: return "Stripe secret key"
        case .googleAPIKey: return "Google API key"
        case .privateKey: return "private key (PEM)"
        case .jwt: return "JSON Web Token"
        case .azureStorageConnectionString: return "Azure storage connection string with an account key"
        case .gcpServiceAccountKey: return "GCP service-account key"
        case .credentialsInURL: return "URL with an embedded password"
        case .sensitivelyNamed: return "plaintext value under a secret-looking name"
        case .highEntropy: return "high-entropy value under a key-like name"
        }
    }

    /// Formats that are credentials whatever name they sit under (versus name-based heuristics).
    public var isKnownFormat: Bool { self != .sensitivelyNamed && self != .highEntropy }

    /// Long-lived cloud-provider credentials (what OIDC replaces).
    public var isCloudCredential: Bool {
        switch self {
        case .awsAccessKeyID, .awsSecretAccessKey, .azureStorageConnectionString, .gcpServiceAccountKey: return true
        default: return false
        }
    }
}

/// One detection. It never holds the value: only its kind, why it matched and the value's length.
public struct SecretDetection: Sendable, Hashable {
    public var kind: SecretKind
    /// Why it matched, without the value (`key name 'dbPassword' looks secret`).
    public var reason: String
    /// Length of the whole value, in characters.
    public var length: Int

    public init(kind: SecretKind, reason: String, length: Int) {
        self.kind = kind
        self.reason = reason
        self.length = length
    }

    /// `AWS access key id (20 characters)` — the only description of a secret that reaches a report.
    public var summary: String { "\(kind.title) (\(length) characters)" }

    /// A predicate for messages about a named value: `holds an AWS access key id (20 characters) in plaintext`.
    public var phrase: String {
        switch kind {
        case .sensitivelyNamed: return "has a plaintext value (\(length) characters) under a secret-looking name"
        case .highEntropy: return "has a high-entropy plaintext value (\(length) characters) under a key-like name"
        default:
            let article = kind.title.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
            return "holds \(article) \(summary) in plaintext"
        }
    }
}

/// Finds secrets in plaintext values: known credential formats anywhere in a string, plus plaintext values under
/// sensitive names. Used by `rampart lint` on config files and workflows and by `plaintext-secrets-in-state`.
///
/// Known non-secrets (see `SecretHeuristics`): empty values, booleans, short numbers, placeholders (`changeme`,
/// `<your-token>`, `xxx`, `example`, …), references (`${…}`, `$VAR`, `{{ … }}`, `${{ secrets.X }}`), ARNs, URLs and
/// paths without credentials, public keys and certificates, and AWS's documented example keys (`…EXAMPLE`).
public struct SecretDetector: Sendable {
    /// Minimum Shannon entropy (bits per character) of a value under a merely key-like name, per charset.
    public var hexEntropyThreshold: Double = 3.0
    public var base64EntropyThreshold: Double = 3.5
    /// Shortest value the entropy check considers.
    public var entropyMinimumLength = 16
    /// Whether high-entropy values under merely key-like names (`encryptionKey`, `sshKey`) count. Off for state,
    /// where `key` names mostly hold object keys, tag keys and hashes.
    public var checksKeyLikeNames = true

    public init(checksKeyLikeNames: Bool = true) { self.checksKeyLikeNames = checksKeyLikeNames }

    /// Checks one plaintext string found under `name` (the last key on its path; nil when anonymous).
    /// `nearAWSAccessKey` says an AWS access key id sits next to it (same object, file or env block), which makes a
    /// 40-character base64 string an AWS secret key.
    public func detect(_ value: String, name: String? = nil, nearAWSAccessKey: Bool = false) -> SecretDetection? {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        // Counting characters walks the whole string: done only for a detection.
        var length: Int { value.count }
        if let (kind, reason) = SecretFormats.match(trimmed) {
            return SecretDetection(kind: kind, reason: reason, length: length)
        }
        let nameClass = name.map(SensitiveName.classify) ?? .none
        // A JSON object under a secret-looking name (a credentials file pasted into `GOOGLE_CREDENTIALS`) is judged
        // by its key material, not by the name: `{"type":"service_account"}` holds no key; its members are searched.
        if nameClass != .none, trimmed.hasPrefix("{"), trimmed.hasSuffix("}"),
           let object = try? PropertyValue.parse(json: trimmed), object.kind == .object {
            return scan(object).first.map { SecretDetection(kind: $0.detection.kind, reason: "JSON value: \($0.detection.reason)", length: length) }
        }
        if SecretFormats.isAWSSecretKeyShape(trimmed), nearAWSAccessKey || nameClass != .none || name.map(SensitiveName.mentionsAWS) == true {
            return SecretDetection(kind: .awsSecretAccessKey, reason: "40-character base64 string next to an AWS access key id or under a key name", length: length)
        }
        guard let name, nameClass != .none, !SecretHeuristics.isKnownNonSecret(trimmed) else { return nil }
        // A kubeconfig is a secret only with credentials inside (EKS/GKE kubeconfigs call an exec plugin instead).
        if SensitiveName.isKubeconfig(name) {
            guard SecretHeuristics.kubeconfigHasCredentials(trimmed) else { return nil }
            return SecretDetection(kind: .sensitivelyNamed, reason: "the kubeconfig '\(name)' embeds a token, password or client key", length: length)
        }
        switch nameClass {
        case .strong:
            return SecretDetection(kind: .sensitivelyNamed, reason: "the name '\(name)' says it holds a secret and the value is plaintext", length: length)
        case .weak:
            guard checksKeyLikeNames, trimmed.count >= entropyMinimumLength, looksGenerated(trimmed) else { return nil }
            return SecretDetection(kind: .highEntropy, reason: "the name '\(name)' may hold a key and the value is a high-entropy string", length: length)
        case .none:
            return nil
        }
    }

    /// Every detection inside a value (strings at any depth; secrets, unknowns and assets skipped), with the path of
    /// each (`""` for the value itself, `db.password`, `hosts.0`). `name` is the key the value sits under.
    public func scan(_ value: PropertyValue, name: String? = nil) -> [(path: String, detection: SecretDetection)] {
        scan(value, name: name, names: nil)
    }

    /// `scan`, classifying object keys through a worker's memo when there is one (the same answers, remembered).
    func scan(_ value: PropertyValue, name: String? = nil, names: SensitiveNameMemo?) -> [(path: String, detection: SecretDetection)] {
        // The walk's trail lives on the stack for the walk (`SecretWalker.trail`).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: SecretWalker.maxDepth) { trail in
            var walker = SecretWalker(detector: self, dialect: value.dialect, names: names, trail: trail.baseAddress!)
            value.node.withTreeView { view in walker.visit(view, view.root, name: SecretWalker.Name(name), depth: 0) }
            // A 40-character base64 string is an AWS secret key when an access key id sits in the same value.
            if walker.found.contains(where: { $0.detection.kind == .awsAccessKeyID }) {
                for candidate in walker.awsSecretCandidates {
                    if let d = detect(candidate.text, name: candidate.name, nearAWSAccessKey: true) { walker.found.append((candidate.path, d)) }
                }
                walker.found.sort { $0.path < $1.path }
            }
            return walker.found
        }
    }

    /// Whether a value under a merely key-like name looks machine-generated: not words joined by separators
    /// (`local-dev-apisix-admin-key` scores 3.8 bits per character, over the base64 threshold, yet is a phrase),
    /// at least two character classes (lower, upper, digits — every generated key format mixes them), and high
    /// entropy for its charset. Measured on the labelled real-world set (docs/detection.md).
    public func looksGenerated(_ text: String) -> Bool {
        guard !SecretHeuristics.isWordPhrase(text) else { return false }
        var lower = false, upper = false, digit = false
        for b in text.utf8 {
            if b >= 0x61 && b <= 0x7A { lower = true } else if b >= 0x41 && b <= 0x5A { upper = true } else if b >= 0x30 && b <= 0x39 { digit = true }
        }
        guard [lower, upper, digit].filter({ $0 }).count >= 2 else { return false }
        return isHighEntropy(text)
    }

    /// Shannon entropy over characters, compared with the charset's threshold.
    public func isHighEntropy(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let isHex = bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
        let entropy = SecretDetector.shannonEntropy(bytes)
        return entropy > (isHex ? hexEntropyThreshold : base64EntropyThreshold)
    }

    public static func shannonEntropy(_ bytes: [UInt8]) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let n = Double(bytes.count)
        var entropy = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / n
            entropy -= p * log2(p)
        }
        return entropy
    }
}

/// Walks a property value collecting detections. It reads the value's JSON in place: object keys are classified
/// from their bytes and turned into strings only for a detection's path and reason, and strings under names that
/// say nothing are only scanned for known formats, so a value costs about one pass over its bytes.
struct SecretWalker {
    let detector: SecretDetector
    let dialect: PropertyDialect
    /// The worker's memo of key classifications, if any.
    let names: SensitiveNameMemo?
    var found: [(path: String, detection: SecretDetection)] = []
    /// Undetected strings of the AWS secret key's shape, decided once the whole value has been seen.
    var awsSecretCandidates: [(path: String, name: String?, text: String)] = []
    /// How deep the walk goes; values below are not looked at.
    static let maxDepth = 64
    /// How the walk reached the value it is at: for each depth above it, the position of the object key it went
    /// down through (≥ 0), or -1 - the index of the array element. Room for `maxDepth` steps, lent by `scan` for
    /// the walk: a step costs one store per value visited, where an array of steps cost its checks on every
    /// append and removal and an allocation per walk. Joined into a path only for a detection.
    private let trail: UnsafeMutablePointer<Int>

    /// The name a value sits under (the caller's, an object key, or none), classified once.
    struct Name {
        /// The caller's name for the scanned value itself.
        var text: String?
        /// The position of the object key the value sits under, decoded only when a detection names it.
        var key: Int?
        var sensitivity: SensitiveName = .none
        /// Whether `detect` weighs the name (a secret-looking or AWS-related name) rather than only looking for
        /// known formats in the value.
        var isJudged = false

        init(_ text: String?) {
            self.text = text
            guard var name = text else { return }
            name.withUTF8 { apply(SensitiveNameMemo.classify($0)) }
        }

        init(key: Int, in view: JSONTreeView, names: SensitiveNameMemo?) {
            self.key = key
            _ = view.withStringUTF8(key) { bytes -> Int in
                apply(names?.answer(bytes) ?? SensitiveNameMemo.classify(bytes))
                return 0
            }
        }

        private mutating func apply(_ answer: SensitiveNameMemo.Answer) {
            sensitivity = answer.sensitivity
            isJudged = answer.sensitivity != .none || answer.mentionsAWS
        }

        func string(in view: JSONTreeView) -> String? { text ?? key.flatMap { view.node($0).string } }
    }

    init(detector: SecretDetector, dialect: PropertyDialect, names: SensitiveNameMemo?, trail: UnsafeMutablePointer<Int>) {
        self.detector = detector
        self.dialect = dialect
        self.names = names
        self.trail = trail
    }

    /// The keys and indexes from the scanned value down to the value the walk is at, `depth` below it.
    private func path(_ depth: Int, in view: JSONTreeView) -> String {
        (0..<depth).map { level in
            let step = trail[level]
            return step >= 0 ? view.node(step).string ?? "" : String(-1 - step)
        }.joined(separator: ".")
    }

    /// Walks the value at `position` of `view` and everything under it. Values are read by position (no node per
    /// value); a node is made only where a detection needs the decoded text or a value is not plain.
    mutating func visit(_ view: JSONTreeView, _ position: Int, name: Name, depth: Int) {
        guard depth < Self.maxDepth else { return }
        switch view.kind(position) {
        case .string:
            // The preview's unknowns and blinded secrets are not plaintext.
            guard isPlainString(view, position) else { return }
            guard name.isJudged else {
                // Under a name that says nothing, only a known format can match (what `detect` would conclude):
                // the bytes are scanned in place, and a String is made only for a detection or an AWS-secret-shaped
                // candidate, so a large value (user data, a template) costs one pass over its bytes.
                var byteCount = 0
                let format: (SecretKind, String)?
                if let bytes = view.rawString(position) {
                    byteCount = bytes.count
                    format = SecretFormats.match(utf8: bytes)
                } else {
                    format = view.node(position).withStringUTF8 { bytes in
                        byteCount = bytes.count
                        return SecretFormats.match(utf8: bytes)
                    } ?? nil
                }
                if let (kind, reason) = format {
                    let length = view.node(position).string?.count ?? byteCount
                    found.append((path(depth, in: view), SecretDetection(kind: kind, reason: reason, length: length)))
                } else if byteCount == 40, let s = view.node(position).string {
                    awsSecretCandidates.append((path(depth, in: view), name.string(in: view), s))
                }
                return
            }
            guard let s = view.node(position).string else { return }
            let nameText = name.string(in: view)
            if let d = detector.detect(s, name: nameText) {
                found.append((path(depth, in: view), d))
            } else if s.utf8.count == 40 {
                awsSecretCandidates.append((path(depth, in: view), nameText, s))
            }
        case .number:
            // Long numeric values under secret names (PINs, numeric tokens) are still plaintext secrets.
            if name.sensitivity == .strong, let nameText = name.string(in: view),
               let text = view.node(position).numberText, text.count >= 8 {
                found.append((path(depth, in: view), SecretDetection(kind: .sensitivelyNamed, reason: "the name '\(nameText)' says it holds a secret and the value is plaintext", length: text.count)))
            }
        case .object:
            let markers = ObjectMarkers(view, position)
            if markers.signature {
                // Secrets (encrypted or decrypted), unknowns, assets and references are not plaintext; an output
                // value wrapping an object is walked as that object's wrapper.
                guard PropertyValue(node: view.node(position), dialect: dialect).kind == .object else { return }
            }
            if markers.isServiceAccount(view, dialect) {
                found.append((path(depth, in: view), SecretDetection(kind: .gcpServiceAccountKey, reason: "object with type 'service_account' and a 'private_key'", length: view.node(position).count)))
                return
            }
            var key = view.firstChild(of: position)
            let end = view.after(position)
            while key < end {
                let value = key &+ 1
                trail[depth] = key
                visit(view, value, name: Name(key: key, in: view, names: names), depth: depth + 1)
                key = view.after(value)
            }
        case .array:
            var element = view.firstChild(of: position)
            let end = view.after(position)
            var index = 0
            while element < end {
                trail[depth] = -1 - index
                visit(view, element, name: name, depth: depth + 1)
                element = view.after(element)
                index &+= 1
            }
        case .null, .bool:
            break
        }
    }

    /// `PropertyValue.kind == .string` for the string at `position`, from its bytes in place (`PropertyValue.stringKind`,
    /// the rule `kind` follows). A string with escapes is asked as a value.
    private func isPlainString(_ view: JSONTreeView, _ position: Int) -> Bool {
        guard let bytes = view.rawString(position) else {
            return PropertyValue(node: view.node(position), dialect: dialect).kind == .string
        }
        // Most values differ in length from both sentinels: answered from the count alone.
        guard bytes.count == PulumiSignature.unknownLength || bytes.count == PulumiSignature.blindedSecretLength else {
            return true
        }
        return PropertyValue.stringKind(dialect: dialect) { sentinel in
            guard sentinel.utf8.count == bytes.count else { return false }
            var sentinel = sentinel
            return sentinel.withUTF8 { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
        } == .string
    }
}

/// What one pass over an object's keys tells the walker: whether it carries Pulumi's signature key, and its `type`
/// and `private_key` members (a GCP service-account key). With duplicate keys the last one wins, as in lookups.
private struct ObjectMarkers {
    var signature = false
    /// Positions of the `type` and `private_key` members' values.
    var type: Int?
    var privateKey: Int?

    init(_ view: JSONTreeView, _ object: Int) {
        var key = view.firstChild(of: object)
        let end = view.after(object)
        while key < end {
            let value = key &+ 1
            // Told apart by length first: most keys have none of the three lengths.
            switch view.withStringUTF8(key, { Self.marker($0) }) ?? 0 {
            case 1: signature = true
            case 2: type = value
            case 3: privateKey = value
            default: break
            }
            key = view.after(value)
        }
    }

    /// Which of the three names `bytes` is (0: none). Lengths and names are literals: every read of a stored
    /// constant asks the runtime whether it is initialized, and this runs for every key of every object (~450,000
    /// asks at dense 10k); the signature key's stored bytes are read only for a key of its 32 bytes. A key of a
    /// name's length equals it when it starts with it.
    private static func marker(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        switch bytes.count {
        case 32: return equal(bytes, signatureKey) ? 1 : 0
        case 4: return SecretFormats.has(bytes, 0, "type") ? 2 : 0
        case 11: return SecretFormats.has(bytes, 0, "private_key") ? 3 : 0
        default: return 0
        }
    }

    /// Byte equality of a string's contents and a constant.
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ constant: [UInt8]) -> Bool {
        guard bytes.count == constant.count else { return false }
        return constant.withUnsafeBufferPointer { c in memcmp(bytes.baseAddress!, c.baseAddress!, c.count) == 0 }
    }

    /// A service-account key file: `type` is `service_account` and `private_key` a non-empty plaintext string.
    func isServiceAccount(_ view: JSONTreeView, _ dialect: PropertyDialect) -> Bool {
        guard let type, let privateKey, view.node(type).stringEquals("service_account") else { return false }
        let key = view.node(privateKey)
        return PropertyValue(node: key, dialect: dialect).kind == .string && key.string?.isEmpty == false
    }

    private static let signatureKey = Array(PulumiSignature.key.utf8)
}
