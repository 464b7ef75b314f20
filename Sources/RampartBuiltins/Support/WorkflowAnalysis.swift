import Foundation
import RampartModel
import RampartPolicy

/// Whose credentials a CI variable carries.
enum CredentialFamily: String, Sendable, Hashable, CaseIterable, Comparable {
    case aws, azure, gcp, pulumi

    static func < (a: CredentialFamily, b: CredentialFamily) -> Bool { a.rawValue < b.rawValue }

    /// Environment variables that carry long-lived keys.
    static let variables: [String: CredentialFamily] = [
        "AWS_ACCESS_KEY_ID": .aws, "AWS_SECRET_ACCESS_KEY": .aws,
        "ARM_CLIENT_SECRET": .azure, "AZURE_CLIENT_SECRET": .azure, "ARM_CLIENT_CERTIFICATE_PASSWORD": .azure,
        "GOOGLE_CREDENTIALS": .gcp, "GOOGLE_CLOUD_KEYFILE_JSON": .gcp, "GCLOUD_KEYFILE_JSON": .gcp,
        "PULUMI_ACCESS_TOKEN": .pulumi,
    ]

    /// Action inputs that carry long-lived keys, by action (`owner/repo` without the ref).
    static let actionInputs: [String: [String: CredentialFamily]] = [
        "aws-actions/configure-aws-credentials": ["aws-access-key-id": .aws, "aws-secret-access-key": .aws],
        "azure/login": ["creds": .azure, "client-secret": .azure],
        "google-github-actions/auth": ["credentials_json": .gcp],
    ]

    var isCloud: Bool { self != .pulumi }
}

/// One place a workflow feeds a long-lived credential to a job.
struct CredentialUse: Sendable {
    var family: CredentialFamily
    var name: String
    /// True when the value is written in the file; false when it comes from `${{ secrets.X }}` / `$VAR`.
    var literal: Bool
    var location: SourceLocation
    /// Job id; nil for workflow-level `env:` / `variables:`.
    var job: String?
    var path: String
}

/// A literal secret anywhere in a workflow file (env values, action inputs, scripts).
struct LiteralSecret: Sendable {
    var path: String
    var detection: SecretDetection
    var location: SourceLocation
}

/// What a workflow file says about credentials: which jobs get static keys and which use OIDC.
struct WorkflowAnalysis: Sendable {
    var file: WorkflowFile
    var uses: [CredentialUse] = []
    /// Families each job obtains through OIDC (with the token permission granted).
    var oidc: [String: Set<CredentialFamily>] = [:]
    var jobs: [String] = []
    var literals: [LiteralSecret] = []

    init(_ file: WorkflowFile, detector: SecretDetector = SecretDetector()) {
        self.file = file
        switch file.kind {
        case .githubActions: analyseGitHub()
        case .gitlabCI: analyseGitLab()
        }
        findLiterals(detector)
    }

    /// Credential uses not covered by OIDC in the job that receives them.
    func staticUses(families: Set<CredentialFamily>) -> [CredentialUse] {
        uses.filter { use in
            guard families.contains(use.family) else { return false }
            if use.literal { return true }
            if let job = use.job { return !(oidc[job]?.contains(use.family) ?? false) }
            // Workflow-level variables reach every job: static unless every job uses OIDC for that family.
            return jobs.isEmpty || !jobs.allSatisfy { oidc[$0]?.contains(use.family) ?? false }
        }
    }

    // MARK: - GitHub Actions

    private mutating func analyseGitHub() {
        let doc = file.document
        let workflowTokenWrite = Self.grantsIDToken(doc["permissions"])
        collectEnv(doc["env"], path: "env", job: nil, gitlab: false)
        for (jobID, job) in doc["jobs"]?.members ?? [] where job.kind == .object {
            jobs.append(jobID)
            let base = "jobs.\(jobID)"
            let tokenWrite = job["permissions"] == nil ? workflowTokenWrite : Self.grantsIDToken(job["permissions"])
            var families = Set<CredentialFamily>()
            collectEnv(job["env"], path: base + ".env", job: jobID, gitlab: false)
            if Self.isTrue(job["env"]?["ARM_USE_OIDC"]) { families.insert(.azure) }
            for (i, step) in (job["steps"]?.elements ?? []).enumerated() {
                let stepPath = "\(base).steps.\(i)"
                collectEnv(step["env"], path: stepPath + ".env", job: jobID, gitlab: false)
                if Self.isTrue(step["env"]?["ARM_USE_OIDC"]) { families.insert(.azure) }
                guard let uses = step["uses"]?.string else { continue }
                let action = String(uses.split(separator: "@").first ?? "").lowercased()
                let with = step["with"]
                if let inputs = CredentialFamily.actionInputs[action] {
                    for (input, family) in inputs.sorted(by: { $0.key < $1.key }) {
                        guard let value = with?[input] else { continue }
                        record(value, name: input, family: family, path: "\(stepPath).with.\(input)", job: jobID, gitlab: false)
                    }
                }
                switch action {
                case "aws-actions/configure-aws-credentials":
                    if with?["role-to-assume"] != nil, with?["aws-access-key-id"] == nil { families.insert(.aws) }
                case "azure/login":
                    if with?["client-id"] != nil, with?["creds"] == nil, with?["client-secret"] == nil { families.insert(.azure) }
                case "google-github-actions/auth":
                    if with?["workload_identity_provider"] != nil { families.insert(.gcp) }
                case "pulumi/auth-actions":
                    families.insert(.pulumi)
                default: break
                }
            }
            oidc[jobID] = tokenWrite ? families : []
        }
    }

    /// `permissions: write-all` or `permissions: {id-token: write}`.
    static func grantsIDToken(_ permissions: PropertyValue?) -> Bool {
        guard let permissions else { return false }
        if permissions.string == "write-all" { return true }
        return permissions["id-token"]?.string == "write"
    }

    static func isTrue(_ value: PropertyValue?) -> Bool {
        value?.bool == true || value?.string?.lowercased() == "true"
    }

    // MARK: - GitLab CI

    static let gitlabReserved: Set<String> = ["stages", "variables", "default", "include", "workflow", "image", "services",
                                              "before_script", "after_script", "cache", "spec"]

    private mutating func analyseGitLab() {
        let doc = file.document
        collectEnv(doc["variables"], path: "variables", job: nil, gitlab: true)
        let defaultTokens = doc["default"]?["id_tokens"] != nil
        for (jobID, job) in doc.members where job.kind == .object && !Self.gitlabReserved.contains(jobID) {
            jobs.append(jobID)
            collectEnv(job["variables"], path: "\(jobID).variables", job: jobID, gitlab: true)
            // GitLab's `id_tokens:` issue OIDC tokens any cloud can trust; the job then assumes a role with it.
            oidc[jobID] = (job["id_tokens"] != nil || defaultTokens) ? Set(CredentialFamily.allCases) : []
        }
    }

    // MARK: - Collection

    private mutating func collectEnv(_ env: PropertyValue?, path: String, job: String?, gitlab: Bool) {
        for (name, value) in env?.members ?? [] {
            guard let family = CredentialFamily.variables[name.uppercased()] else { continue }
            // GitLab variables may be `{value: …, description: …}`.
            let v = gitlab && value.kind == .object ? (value["value"] ?? value) : value
            record(v, name: name, family: family, path: "\(path).\(name)", job: job, gitlab: gitlab)
        }
    }

    private mutating func record(_ value: PropertyValue, name: String, family: CredentialFamily, path: String, job: String?, gitlab: Bool) {
        let text: String
        switch value.kind {
        case .string: text = value.string ?? ""
        case .number: text = value.node.numberText ?? ""
        default: return
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let literal = !Self.isReference(text, gitlab: gitlab)
        uses.append(CredentialUse(family: family, name: name, literal: literal, location: location(path), job: job, path: path))
    }

    /// `${{ secrets.X }}`, `${{ vars.X }}` (GitHub) or `$X` / `${X}` (GitLab, shell).
    static func isReference(_ text: String, gitlab: Bool) -> Bool {
        text.contains("${{") || text.contains("$")
    }

    func location(_ path: String) -> SourceLocation {
        file.positions[path] ?? SourceLocation(file: file.path)
    }

    /// Known credential formats anywhere, and plaintext values under secret names in env/variables/with blocks.
    private mutating func findLiterals(_ detector: SecretDetector) {
        var found: [LiteralSecret] = []
        func walk(_ value: PropertyValue, name: String?, path: String, inBlock: Bool, depth: Int) {
            guard depth < 64 else { return }
            switch value.kind {
            case .string:
                guard let s = value.string else { return }
                // Outside env/with/variables blocks only known formats count: a script's `$PASSWORD` is not a value.
                if let d = detector.detect(s, name: inBlock ? name : nil), inBlock || d.kind.isKnownFormat {
                    found.append(LiteralSecret(path: path, detection: d, location: location(path)))
                }
            case .object:
                for (key, member) in value.members {
                    let block = inBlock || ["env", "with", "variables"].contains(key)
                    walk(member, name: key, path: path.isEmpty ? key : path + "." + key, inBlock: block, depth: depth + 1)
                }
            case .array:
                for (i, element) in value.elements.enumerated() {
                    walk(element, name: name, path: path + "." + String(i), inBlock: inBlock, depth: depth + 1)
                }
            default: break
            }
        }
        walk(file.document, name: nil, path: "", inBlock: false, depth: 0)
        literals = found
    }
}
