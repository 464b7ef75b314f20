import RampartModel
import RampartPolicy

extension AWSBaseline {
    static var containerPolicies: [any Policy] {
        [ecrScanOnPush, ecrImmutableTags, ecrCMK, eksEndpointNotPublic, eksSecretsEncryption, eksControlPlaneLogging, ecsNoPrivileged, ecsReadOnlyRoot]
    }

    static let ecr = "aws:ecr/repository:Repository"
    static let nativeECR = "aws-native:ecr:Repository"
    static let eks = "aws:eks/cluster:Cluster"
    static let nativeEKS = "aws-native:eks:Cluster"
    static let taskDefinition = "aws:ecs/taskDefinition:TaskDefinition"
    static let nativeTaskDefinition = "aws-native:ecs:TaskDefinition"

    static let ecrScanOnPush = SwiftResourcePolicy(
        baseline("ecr-scan-on-push", "ECR repositories scan images when they are pushed.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("RA-5")],
                 rationale: "Scanning on push reports known vulnerabilities in an image before it is deployed.",
                 remediation: "Set `imageScanningConfiguration: { scanOnPush: true }` (or enable registry-level enhanced scanning).",
                 examples: [
                     example(ecr, #"{"imageScanningConfiguration": {"scanOnPush": true}}"#, .pass),
                     example(ecr, #"{"imageScanningConfiguration": {"scanOnPush": false}}"#, .violation),
                     example(nativeECR, #"{}"#, .violation),
                 ],
                 equivalents: compliance("aws-ecr-repository-configure-image-scan", "aws-ecr-repository-enable-image-scan", "awsnative-ecr-repository-configure-image-scan", "awsnative-ecr-repository-enable-image-scan")),
        types: [ecr, nativeECR]
    ) { repository, _ in
        .check(try repository.bool("imageScanningConfiguration.scanOnPush") == true, "ECR repository \(repository.name) does not scan on push.")
    }

    static let ecrImmutableTags = SwiftResourcePolicy(
        baseline("ecr-immutable-tags", "ECR repositories make image tags immutable.", severity: .medium,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 rationale: "With mutable tags, a push can silently replace the image a deployment refers to.",
                 remediation: "Set `imageTagMutability: \"IMMUTABLE\"` and deploy by digest or unique tag.",
                 examples: [
                     example(ecr, #"{"imageTagMutability": "IMMUTABLE"}"#, .pass),
                     example(ecr, #"{"imageTagMutability": "MUTABLE"}"#, .violation),
                     example(nativeECR, #"{}"#, .violation, "default MUTABLE"),
                 ],
                 equivalents: compliance("aws-ecr-repository-disallow-mutable-image", "awsnative-ecr-repository-disallow-mutable-image")),
        types: [ecr, nativeECR]
    ) { repository, _ in
        .check((try repository.string("imageTagMutability") ?? "MUTABLE").hasPrefix("IMMUTABLE"), "ECR repository \(repository.name) has mutable tags.")
    }

    static let ecrCMK = SwiftResourcePolicy(
        baseline("ecr-repository-customer-managed-key", "ECR repositories encrypt images with a customer-managed KMS key.", severity: .low, frameworks: frameworks("hitrust", "iso27001", "pcidss"),
                 level: .disabled,
                 rationale: "ECR always encrypts images at rest, with AES-256 S3-managed keys unless `encryptionType` is `KMS` (or `KMS_DSSE`); with KMS but no `kmsKey`, the AWS-managed key `aws/ecr` is used. Only a customer-managed key puts pulls under a key policy the account controls. Opt-in, like the pack's other customer-managed-key policies.",
                 remediation: "Set `encryptionConfigurations: [{ encryptionType: \"KMS\", kmsKey }]` (aws-native: `encryptionConfiguration`) with a customer-managed key; it is fixed at creation.",
                 examples: [
                     example(ecr, #"{"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "\#(kmsKeyARN)"}]}"#, .pass),
                     example(ecr, #"{"imageTagMutability": "IMMUTABLE"}"#, .violation, "AES-256 by default"),
                     example(ecr, #"{"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": ""}]}"#, .violation, "the AWS-managed key aws/ecr"),
                     example(nativeECR, #"{"encryptionConfiguration": {"encryptionType": "KMS_DSSE", "kmsKey": "\#(kmsKeyARN)"}}"#, .pass),
                     example(nativeECR, #"{"encryptionConfiguration": {"encryptionType": "AES256"}}"#, .violation),
                     example(ecr, #"{"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": "\#(unknown)"}]}"#, .indeterminate, "preview: the key is created in the same update"),
                 ],
                 equivalents: compliance("aws-ecr-repository-configure-customer-managed-key", "awsnative-ecr-repository-configure-customer-managed-key")),
        types: [ecr, nativeECR]
    ) { repository, _ in
        let path = repository.type == nativeECR ? "encryptionConfiguration" : "encryptionConfigurations"
        let encryption = try repository.value(path).single
        let type = try encryption["encryptionType"].requireString("\(path).encryptionType") ?? "AES256"
        let key = try encryption["kmsKey"].requireString("\(path).kmsKey")
        return .check(type.hasPrefix("KMS") && KMSKeyReference.isCustomerManaged(key),
                      "ECR repository \(repository.name) encrypts images with \(type.hasPrefix("KMS") ? "the AWS-managed key" : "S3-managed keys (\(type))"), not a customer-managed KMS key.")
    }

    static let eksEndpointNotPublic = SwiftResourcePolicy(
        baseline("eks-endpoint-not-public", "EKS API endpoints are private or limited to known CIDRs.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-7")],
                 rationale: "A public Kubernetes API endpoint open to 0.0.0.0/0 is reachable for credential stuffing and any API server vulnerability.",
                 remediation: "Set `vpcConfig.endpointPublicAccess: false` (with `endpointPrivateAccess: true`), or restrict `publicAccessCidrs`.",
                 examples: [
                     example(eks, #"{"vpcConfig": {"endpointPublicAccess": false, "endpointPrivateAccess": true}}"#, .pass),
                     example(eks, #"{"vpcConfig": {"endpointPublicAccess": true, "publicAccessCidrs": ["203.0.113.0/24"]}}"#, .pass),
                     example(eks, #"{"vpcConfig": {"endpointPublicAccess": true, "publicAccessCidrs": ["0.0.0.0/0"]}}"#, .violation),
                     example(nativeEKS, #"{"resourcesVpcConfig": {}}"#, .violation, "defaults: public to everyone"),
                 ],
                 equivalents: compliance("aws-eks-cluster-disallow-api-endpoint-public-access", "awsnative-eks-cluster-disallow-api-endpoint-public-access")),
        types: [eks, nativeEKS]
    ) { cluster, _ in
        let config = cluster.type == nativeEKS ? "resourcesVpcConfig" : "vpcConfig"
        guard try cluster.bool("\(config).endpointPublicAccess") ?? true else { return .pass }
        let cidrs = try cluster.value("\(config).publicAccessCidrs").strings
        return .check(!cidrs.isEmpty && !cidrs.contains(where: IngressPermission.isWorld),
                      "EKS cluster \(cluster.name) exposes its API endpoint to the internet.")
    }

    static let eksSecretsEncryption = SwiftResourcePolicy(
        baseline("eks-secrets-encryption", "EKS clusters encrypt Kubernetes secrets with a KMS key.", severity: .high,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-28")],
                 rationale: "Envelope encryption keeps Kubernetes secrets in etcd unreadable without the KMS key.",
                 remediation: "Set `encryptionConfig: { provider: { keyArn }, resources: [\"secrets\"] }`.",
                 examples: [
                     example(eks, #"{"encryptionConfig": {"provider": {"keyArn": "arn:k"}, "resources": ["secrets"]}}"#, .pass),
                     example(eks, #"{}"#, .violation),
                     example(nativeEKS, #"{"encryptionConfig": [{"provider": {"keyArn": "arn:k"}, "resources": ["secrets"]}]}"#, .pass, "list shape"),
                 ],
                 equivalents: compliance("aws-eks-cluster-enable-cluster-encryption-config", "awsnative-eks-cluster-enable-cluster-encryption-config")),
        types: [eks, nativeEKS]
    ) { cluster, _ in
        let config = try cluster.value("encryptionConfig")
        let entries = config.value?.kind == .array ? config.elements : [config]
        return .check(entries.contains { $0["resources"].strings.contains("secrets") }, "EKS cluster \(cluster.name) does not encrypt secrets with KMS.")
    }

    static let eksLogTypes: [ConfigValue] = ["api", "audit", "authenticator"].map { .string($0) }
    static let eksControlPlaneLogging = SwiftResourcePolicy(
        baseline("eks-control-plane-logging", "EKS clusters log API, audit and authenticator events.", severity: .medium,
                 frameworks: [nist("AU-12")],
                 rationale: "Control plane logs are the record of who did what in the cluster.",
                 remediation: "Set `enabledClusterLogTypes` to include api, audit and authenticator.",
                 schema: ConfigSchema(properties: ["logTypes": ConfigProperty(type: .array(items: .string), description: "Log types that must be enabled.", default: .array(eksLogTypes))]),
                 examples: [
                     example(eks, #"{"enabledClusterLogTypes": ["api", "audit", "authenticator", "scheduler"]}"#, .pass),
                     example(eks, #"{"enabledClusterLogTypes": ["api"]}"#, .violation),
                     example(nativeEKS, #"{"logging": {"clusterLogging": {"enabledTypes": [{"type": "api"}, {"type": "audit"}, {"type": "authenticator"}]}}}"#, .pass),
                 ]),
        types: [eks, nativeEKS]
    ) { cluster, config in
        let enabled = cluster.type == nativeEKS
            ? try cluster.value("logging.clusterLogging.enabledTypes").requireElements("enabledTypes").compactMap { $0["type"].string }
            : try cluster.value("enabledClusterLogTypes").strings
        let missing = (config.strings("logTypes") ?? []).filter { !enabled.contains($0) }
        return .check(missing.isEmpty, "EKS cluster \(cluster.name) does not log \(missing.joined(separator: ", ")).")
    }

    /// The container definitions of a task definition: a JSON string (classic) or a list (aws-native).
    static func containers(_ task: ResourceContext) throws(PolicyControl) -> [PropertyLookup] {
        let definitions = try task.value("containerDefinitions")
        if let text = definitions.string {
            guard let parsed = try? PropertyValue.parse(json: text) else { return [] }
            return PropertyLookup(parsed).elements
        }
        return definitions.elements
    }

    static let ecsPrivileged = #"[{\"name\": \"app\", \"image\": \"app:1\", \"privileged\": true}]"#
    static let ecsHardened = #"[{\"name\": \"app\", \"image\": \"app:1\", \"readonlyRootFilesystem\": true}]"#

    static let ecsNoPrivileged = SwiftResourcePolicy(
        baseline("ecs-task-no-privileged-containers", "ECS task definitions run no privileged containers.", severity: .high,
                 frameworks: [nist("AC-6")],
                 rationale: "A privileged container has root on the host: it can read other tasks' data and escape the container.",
                 remediation: "Remove `privileged: true`; grant specific Linux capabilities if needed.",
                 examples: [
                     example(taskDefinition, #"{"containerDefinitions": "\#(ecsHardened)"}"#, .pass),
                     example(taskDefinition, #"{"containerDefinitions": "\#(ecsPrivileged)"}"#, .violation),
                     example(nativeTaskDefinition, #"{"containerDefinitions": [{"name": "app", "privileged": true}]}"#, .violation),
                 ]),
        types: [taskDefinition, nativeTaskDefinition]
    ) { task, _ in
        let privileged = try containers(task).filter { $0["privileged"].bool == true }.map { $0["name"].string ?? "?" }
        return .check(privileged.isEmpty, "Task definition \(task.name) runs privileged container(s) \(privileged.joined(separator: ", ")).")
    }

    static let ecsReadOnlyRoot = SwiftResourcePolicy(
        baseline("ecs-task-read-only-root-filesystem", "ECS containers have read-only root file systems.", severity: .low,
                 rationale: "A read-only root file system stops an attacker from changing binaries or dropping tools into the container.",
                 remediation: "Set `readonlyRootFilesystem: true` and mount writable volumes where the app needs them.",
                 examples: [
                     example(taskDefinition, #"{"containerDefinitions": "\#(ecsHardened)"}"#, .pass),
                     example(taskDefinition, #"{"containerDefinitions": "\#(ecsPrivileged)"}"#, .violation),
                     example(taskDefinition, #"{"containerDefinitions": "\#(unknown)"}"#, .indeterminate),
                 ]),
        types: [taskDefinition, nativeTaskDefinition]
    ) { task, _ in
        let writable = try containers(task).filter { $0["readonlyRootFilesystem"].bool != true }.map { $0["name"].string ?? "?" }
        return .check(writable.isEmpty, "Task definition \(task.name) has writable root file systems: \(writable.joined(separator: ", ")).")
    }
}
