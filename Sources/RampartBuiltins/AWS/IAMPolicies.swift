import RampartPolicy

extension AWSBaseline {
    static var iamPolicies: [any Policy] {
        [iamNoFullAdminStatements, iamNoAdministratorAccess, iamTrustNoWildcard, passwordLength, passwordReuse, passwordExpiry,
         passwordComplexity, iamUserNoDirectPolicies, iamUserNoAccessKeys, kmsRotation, kmsNoLockoutBypass, kmsDescription]
    }

    static let adminDocument = #"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"#
    static let readDocument = #"{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": \"*\"}]}"#
    static let documentTypes = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
                                "aws:iam/groupPolicy:GroupPolicy", "aws:iam/role:Role", "aws-native:iam:ManagedPolicy", "aws-native:iam:Role"]

    static let iamNoFullAdminStatements = SwiftResourcePolicy(
        baseline("iam-policy-no-full-admin", "IAM policy documents do not allow every action on every resource.", severity: .high,
                 frameworks: [cis("1.16"), nist("AC-6")],
                 rationale: "`Action: \"*\"` on `Resource: \"*\"` is full administrator access; least privilege starts by never writing it.",
                 remediation: "List the actions and resources the principal needs; use AWS managed job-function policies as a starting point.",
                 examples: [
                     example("aws:iam/policy:Policy", #"{"policy": "\#(readDocument)"}"#, .pass),
                     example("aws:iam/policy:Policy", #"{"policy": "\#(adminDocument)"}"#, .violation),
                     example("aws:iam/role:Role", #"{"inlinePolicies": [{"name": "all", "policy": "\#(adminDocument)"}]}"#, .violation),
                     example("aws-native:iam:Role", #"{"policies": [{"policyName": "all", "policyDocument": {"Statement": {"Effect": "Allow", "Action": "*:*", "Resource": "*"}}}]}"#, .violation),
                     example("aws:iam/rolePolicy:RolePolicy", #"{"policy": "\#(unknown)"}"#, .indeterminate),
                 ]),
        types: documentTypes
    ) { subject, _ in
        var documents: [(PropertyLookup, String)] = []
        switch subject.type {
        case "aws:iam/role:Role":
            documents = try subject.value("inlinePolicies").requireElements("inlinePolicies").enumerated().map { ($1["policy"], "inlinePolicies[\($0)]") }
        case "aws-native:iam:Role":
            documents = try subject.value("policies").requireElements("policies").enumerated().map { ($1["policyDocument"], "policies[\($0)]") }
        case "aws-native:iam:ManagedPolicy": documents = [(subject.props["policyDocument"], "policyDocument")]
        default: documents = [(subject.props["policy"], "policy")]
        }
        var admin: [String] = []
        for (document, path) in documents where try (PolicyDocument.statements(document, path) ?? []).contains(where: \.isFullAdmin) {
            admin.append(path)
        }
        return .check(admin.isEmpty, "\(subject.name) allows every action on every resource (\(admin.joined(separator: ", "))).")
    }

    static let administratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
    static let attachmentTypes = ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment",
                                  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "aws:iam/policyAttachment:PolicyAttachment"]

    static let iamNoAdministratorAccess = SwiftResourcePolicy(
        baseline("iam-no-administrator-access-attached", "The AdministratorAccess managed policy is not attached.", severity: .high,
                 frameworks: [cis("1.16"), nist("AC-6")],
                 rationale: "AdministratorAccess grants every action on every resource; a workload or user holding it can undo every other control.",
                 remediation: "Attach narrower managed or customer policies; keep administrator access for break-glass roles outside application stacks.",
                 examples: [
                     example(attachmentTypes[0], #"{"role": "app", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#, .pass),
                     example(attachmentTypes[1], #"{"user": "bob", "policyArn": "\#(administratorAccess)"}"#, .violation),
                     example("aws:iam/role:Role", #"{"managedPolicyArns": ["\#(administratorAccess)"]}"#, .violation),
                     example("aws-native:iam:Role", #"{"managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}"#, .pass),
                 ]),
        types: attachmentTypes + ["aws:iam/role:Role", "aws:iam/user:User", "aws-native:iam:Role", "aws-native:iam:User", "aws-native:iam:Group"]
    ) { subject, _ in
        let arns = attachmentTypes.contains(subject.type)
            ? [try subject.string("policyArn")].compactMap { $0 }
            : try subject.value("managedPolicyArns").requireElements("managedPolicyArns").compactMap(\.string)
        return .check(!arns.contains(administratorAccess), "\(subject.name) attaches AdministratorAccess.")
    }

    static let trustAnyone = #"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}]}"#
    static let trustService = #"{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}"#

    static let iamTrustNoWildcard = SwiftResourcePolicy(
        baseline("iam-role-trust-no-wildcard-principal", "Role trust policies do not let any principal assume the role.", severity: .critical,
                 frameworks: [nist("AC-6")],
                 rationale: "A trust policy with Principal \"*\" and no condition lets any AWS account assume the role and use its permissions.",
                 remediation: "Name the accounts, roles or services that may assume the role, or add conditions (`aws:PrincipalOrgID`, `sts:ExternalId`).",
                 examples: [
                     example("aws:iam/role:Role", #"{"assumeRolePolicy": "\#(trustService)"}"#, .pass),
                     example("aws:iam/role:Role", #"{"assumeRolePolicy": "\#(trustAnyone)"}"#, .violation),
                     example("aws-native:iam:Role", #"{"assumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]}}"#, .pass, "conditioned"),
                 ]),
        types: ["aws:iam/role:Role", "aws-native:iam:Role"]
    ) { role, _ in
        let path = role.type == "aws-native:iam:Role" ? "assumeRolePolicyDocument" : "assumeRolePolicy"
        let open = try (PolicyDocument.statements(role.props[path], path) ?? []).filter { $0.allow && $0.anyPrincipal && !$0.hasCondition }
        return .check(open.isEmpty, "Role \(role.name) can be assumed by any principal.")
    }

    static let iamUserNoDirectPolicies = SwiftResourcePolicy(
        baseline("iam-user-no-direct-policies", "IAM users receive permissions only through groups.", severity: .medium, frameworks: [cis("1.15"), nist("AC-6")],
                 rationale: "Permissions attached to individual users drift and are hard to review; groups keep them in one place.",
                 remediation: "Attach policies to a group (`aws:iam/groupPolicyAttachment`) and add the user to it.",
                 examples: [
                     example("aws:iam/policyAttachment:PolicyAttachment", #"{"groups": ["devs"], "users": []}"#, .pass),
                     example("aws:iam/policyAttachment:PolicyAttachment", #"{"users": ["bob"]}"#, .violation),
                     example("aws:iam/userPolicy:UserPolicy", #"{"user": "bob", "policy": "{}"}"#, .violation),
                 ],
                 equivalents: compliance("aws-iam-policy-attachment-only-attachment-through-groups", "aws-iam-user-policy-attachment-only-attachment-through-groups")),
        types: ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/userPolicy:UserPolicy", "aws:iam/policyAttachment:PolicyAttachment"]
    ) { subject, _ in
        if subject.type == "aws:iam/policyAttachment:PolicyAttachment" {
            return .check(try subject.value("users").requireElements("users").isEmpty, "\(subject.name) attaches a policy directly to users.")
        }
        return .violation("\(subject.name) gives a user permissions directly instead of through a group.")
    }

    static let iamUserNoAccessKeys = SwiftResourcePolicy(
        baseline("iam-user-no-access-keys", "IAM access keys are not created by the stack.", severity: .low,
                 rationale: "Access keys are long-lived credentials; created by a stack, the secret also lands in its state. Roles and IAM Identity Center issue short-lived ones.",
                 remediation: "Use roles (instance profiles, IRSA, OIDC federation for CI) instead of access keys; if one is unavoidable, rotate it and encrypt with `pgpKey`.",
                 examples: [
                     example("aws:iam/accessKey:AccessKey", #"{"user": "ci", "status": "Inactive"}"#, .pass, "deactivated"),
                     example("aws:iam/accessKey:AccessKey", #"{"user": "ci"}"#, .violation),
                 ]),
        types: ["aws:iam/accessKey:AccessKey"]
    ) { key, _ in
        let user = key.props["user"].string ?? "a user"
        return .check(try key.string("status") == "Inactive", "Stack creates an active access key for \(user).")
    }

    static let kmsRotation = SwiftResourcePolicy(
        baseline("kms-key-rotation-enabled", "Symmetric KMS keys rotate their key material.", severity: .medium, frameworks: [cis("3.8")] + frameworks("hitrust", "iso27001", "pcidss") + [nist("SC-12")],
                 rationale: "Rotation limits how much data one key version protects and how long a leaked version stays useful.",
                 remediation: "Set `enableKeyRotation: true`.",
                 examples: [
                     example("aws:kms/key:Key", #"{"enableKeyRotation": true}"#, .pass),
                     example("aws:kms/key:Key", #"{"enableKeyRotation": false}"#, .violation),
                     example("aws-native:kms:Key", #"{"keySpec": "SYMMETRIC_DEFAULT"}"#, .violation),
                     example("aws:kms/key:Key", #"{"customerMasterKeySpec": "RSA_2048"}"#, .notApplicable),
                 ],
                 equivalents: compliance("aws-kms-key-enable-key-rotation", "awsnative-kms-key-enable-key-rotation")),
        types: ["aws:kms/key:Key", "aws-native:kms:Key"]
    ) { key, _ in
        guard let rotates = try AWSChecks.kmsKeyRotates(key) else { return .notApplicable("the key spec cannot rotate automatically") }
        return .check(rotates, "KMS key \(key.name) does not rotate.")
    }

    static let kmsNoLockoutBypass = SwiftResourcePolicy(
        baseline("kms-key-no-policy-lockout-bypass", "KMS keys keep the key policy lockout safety check.", severity: .high,
                 rationale: "Bypassing the safety check can leave a key whose policy nobody can change, and whose data nobody can decrypt.",
                 remediation: "Remove `bypassPolicyLockoutSafetyCheck` (or set it false).",
                 examples: [
                     example("aws:kms/key:Key", #"{}"#, .pass),
                     example("aws:kms/key:Key", #"{"bypassPolicyLockoutSafetyCheck": true}"#, .violation),
                 ],
                 equivalents: compliance("aws-kms-key-disallow-bypass-policy-lockout-safety-check")),
        types: ["aws:kms/key:Key", "aws-native:kms:Key"]
    ) { key, _ in
        .check(try key.bool("bypassPolicyLockoutSafetyCheck") != true, "KMS key \(key.name) bypasses the policy lockout safety check.")
    }

    static let kmsDescription = SwiftResourcePolicy(
        baseline("kms-key-description", "KMS keys say what they protect in a description.", severity: .low,
                 rationale: "Key ids are opaque; the description is what tells the people reviewing key policies, rotations and deletions which data a key protects. Placeholders shorter than `minimumLength` (6 by default) do not count.",
                 remediation: "Set `description` to what the key encrypts and who owns it.",
                 schema: ResourceDescription.schema,
                 examples: [
                     example("aws:kms/key:Key", #"{"description": "Encrypts the orders database and its snapshots"}"#, .pass),
                     example("aws:kms/key:Key", #"{"enableKeyRotation": true}"#, .violation),
                     example("aws-native:kms:Key", #"{"description": "key"}"#, .violation, "a placeholder"),
                     example("aws-native:kms:Key", #"{"description": "key"}"#, .pass, config: ["minimumLength": .number(3)]),
                 ],
                 equivalents: compliance("aws-kms-key-missing-description", "awsnative-kms-key-missing-description")),
        types: ["aws:kms/key:Key", "aws-native:kms:Key"]
    ) { key, config in
        try ResourceDescription.outcome(key, config: config, what: "KMS key")
    }
}
