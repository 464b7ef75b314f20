import RampartPolicy

/// AppFlow: connector profiles hold third-party credentials, flows move data between SaaS and AWS; both encrypt
/// with `kmsArn` (the same name in the classic and the aws-native provider).
extension AWSBaseline {
    static var appflowPolicies: [any Policy] { [appflowCMK, appflowFlowDescribed] }

    static let appflowProfile = "aws:appflow/connectorProfile:ConnectorProfile"
    static let nativeAppflowProfile = "aws-native:appflow:ConnectorProfile"
    static let appflowFlow = "aws:appflow/flow:Flow"
    static let nativeAppflowFlow = "aws-native:appflow:Flow"

    static let appflowCMK = SwiftResourcePolicy(
        baseline("appflow-customer-managed-key", "AppFlow connector profiles and flows encrypt with a customer-managed KMS key.", severity: .low,
                 frameworks: frameworks("hitrust", "iso27001", "pcidss"), level: .disabled,
                 rationale: "Without `kmsArn`, AppFlow encrypts connector credentials and data in transit through the service with an AWS-managed key, whose policy the account cannot restrict or audit separately. Opt-in, like the pack's other customer-managed-key policies.",
                 remediation: "Set `kmsArn` to the ARN of a customer-managed KMS key.",
                 examples: [
                     example(appflowProfile, #"{"connectorType": "Salesforce", "kmsArn": "\#(kmsKeyARN)"}"#, .pass),
                     example(appflowProfile, #"{"connectorType": "Salesforce"}"#, .violation),
                     example(appflowFlow, #"{"kmsArn": "arn:aws:kms:us-east-1:123456789012:alias/aws/appflow"}"#, .violation, "AWS-managed key"),
                     example(nativeAppflowProfile, #"{"connectorType": "Salesforce", "kmsArn": "\#(kmsKeyARN)"}"#, .pass),
                     example(nativeAppflowFlow, #"{"description": "sync"}"#, .violation),
                     example(nativeAppflowFlow, #"{"kmsArn": "\#(unknown)"}"#, .indeterminate, "preview: the key is created in the same update"),
                 ],
                 equivalents: compliance("aws-appflow-connectorprofile-configure-customer-managed-key", "awsnative-appflow-connectorprofile-configure-customer-managed-key",
                                         "aws-appflow-flow-configure-customer-managed-key", "awsnative-appflow-flow-configure-customer-managed-key")),
        types: [appflowProfile, nativeAppflowProfile, appflowFlow, nativeAppflowFlow]
    ) { subject, _ in
        let what = subject.type == appflowFlow || subject.type == nativeAppflowFlow ? "AppFlow flow" : "AppFlow connector profile"
        return .check(KMSKeyReference.isCustomerManaged(try subject.string("kmsArn")), "\(what) \(subject.name) is not encrypted with a customer-managed KMS key (kmsArn).")
    }

    static let appflowFlowDescribed = describedPolicy(
        baseline("appflow-flow-described", "AppFlow flows carry a description.", severity: .low,
                 rationale: "A flow copies data between a SaaS application and AWS; its description says what moves where and why, which reviews of data transfers depend on.",
                 remediation: "Set `description`.",
                 examples: [
                     example(appflowFlow, #"{"description": "Salesforce accounts to the analytics bucket"}"#, .pass),
                     example(appflowFlow, #"{"description": ""}"#, .violation),
                     example(nativeAppflowFlow, #"{}"#, .violation),
                 ],
                 equivalents: compliance("aws-appflow-flow-missing-description", "awsnative-appflow-flow-missing-description")),
        paths: [appflowFlow: "description", nativeAppflowFlow: "description"]
    ) { _ in "AppFlow flow" }
}
