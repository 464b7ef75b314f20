import RampartPolicy

extension AWSBaseline {
    static let searchNodeToNode = SwiftResourcePolicy(
        baseline("opensearch-node-to-node-encryption", "OpenSearch / Elasticsearch domains encrypt traffic between nodes.", severity: .medium,
                 frameworks: [nist("SC-8")],
                 rationale: "Without node-to-node encryption, index data crosses the VPC between nodes in clear.",
                 remediation: "Set `nodeToNodeEncryption: { enabled: true }`.",
                 examples: [
                     example(AWSTypes.searchDomains[1], #"{"nodeToNodeEncryption": {"enabled": true}}"#, .pass),
                     example(AWSTypes.searchDomains[0], #"{"nodeToNodeEncryption": {"enabled": false}}"#, .violation),
                     example("aws-native:opensearchservice:Domain", #"{}"#, .violation),
                 ]),
        types: AWSTypes.searchDomains + ["aws-native:opensearchservice:Domain"]
    ) { domain, _ in
        .check(try domain.bool("nodeToNodeEncryption.enabled") == true, "Search domain \(domain.name) does not encrypt node-to-node traffic.")
    }

    static let searchHTTPS = SwiftResourcePolicy(
        baseline("opensearch-enforce-https", "OpenSearch / Elasticsearch domains require HTTPS with TLS 1.2.", severity: .high,
                 frameworks: [nist("SC-8")],
                 rationale: "Without enforced HTTPS, clients can send queries, documents and credentials in clear.",
                 remediation: "Set `domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: \"Policy-Min-TLS-1-2-2019-07\" }`.",
                 examples: [
                     example(AWSTypes.searchDomains[1], #"{"domainEndpointOptions": {"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"}}"#, .pass),
                     example(AWSTypes.searchDomains[1], #"{"domainEndpointOptions": {"enforceHttps": true, "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}}"#, .violation),
                     example(AWSTypes.searchDomains[0], #"{}"#, .violation),
                 ]),
        types: AWSTypes.searchDomains + ["aws-native:opensearchservice:Domain"]
    ) { domain, _ in
        guard try domain.bool("domainEndpointOptions.enforceHttps") == true else { return .violation("Search domain \(domain.name) does not enforce HTTPS.") }
        let policy = try domain.string("domainEndpointOptions.tlsSecurityPolicy") ?? "Policy-Min-TLS-1-0-2019-07"
        return .check(!policy.contains("TLS-1-0"), "Search domain \(domain.name) accepts TLS 1.0 (\(policy)).")
    }

    static let efsEncrypted = SwiftResourcePolicy(
        baseline("efs-encrypted", "EFS file systems are encrypted at rest.", severity: .high, frameworks: [cis("2.4.1")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "An unencrypted file system keeps its data in clear on AWS storage and in backups. Only `encrypted: true` passes: a `kmsKeyId` without it is rejected by AWS, so the definition as written is not an encrypted file system.",
                 remediation: "Set `encrypted: true` (with `kmsKeyId` for a customer-managed key); it is chosen at creation.",
                 examples: [
                     example("aws:efs/fileSystem:FileSystem", #"{"encrypted": true}"#, .pass),
                     example("aws:efs/fileSystem:FileSystem", #"{}"#, .violation),
                     example("aws-native:efs:FileSystem", #"{"encrypted": false}"#, .violation),
                     example("aws:efs/fileSystem:FileSystem", #"{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}"#, .violation,
                             "a key without encrypted: true is rejected by AWS; the file system is not encrypted as written"),
                 ],
                 equivalents: compliance("aws-efs-filesystem-disallow-unencrypted-file-system", "awsnative-efs-filesystem-disallow-unencrypted-file-system")),
        types: ["aws:efs/fileSystem:FileSystem", "aws-native:efs:FileSystem"]
    ) { fs, _ in
        .check(try AWSChecks.efsEncrypted(fs), "EFS file system \(fs.name) is not encrypted.")
    }

    static let sagemakerNoInternet = SwiftResourcePolicy(
        baseline("sagemaker-notebook-no-direct-internet", "SageMaker notebook instances have no direct internet access.", severity: .medium,
                 frameworks: [nist("SC-7")],
                 rationale: "Direct internet access bypasses the VPC's egress controls, so notebook data can leave without passing any filter.",
                 remediation: "Set `directInternetAccess: \"Disabled\"` and give the notebook a `subnetId` with controlled egress.",
                 examples: [
                     example("aws:sagemaker/notebookInstance:NotebookInstance", #"{"directInternetAccess": "Disabled", "subnetId": "subnet-1"}"#, .pass),
                     example("aws:sagemaker/notebookInstance:NotebookInstance", #"{}"#, .violation, "default Enabled"),
                 ]),
        types: ["aws:sagemaker/notebookInstance:NotebookInstance", "aws-native:sagemaker:NotebookInstance"]
    ) { notebook, _ in
        .check(try notebook.string("directInternetAccess") == "Disabled", "Notebook instance \(notebook.name) has direct internet access.")
    }
}
