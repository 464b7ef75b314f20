import RampartPolicy

extension AWSBaseline {
    static let passwordPolicy = "aws:iam/accountPasswordPolicy:AccountPasswordPolicy"

    /// A password-policy rule: `check` returns the problem, or nil when the setting is compliant.
    static func passwordRule(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference],
                             rationale: String, remediation: String, schema: ConfigSchema, examples: [(String, PolicyExample.Expectation)],
                             equivalents: [PolicyEquivalent] = [],
                             check: @escaping @Sendable (ResourceContext, PolicyConfig) throws(PolicyControl) -> String?) -> SwiftResourcePolicy {
        SwiftResourcePolicy(
            baseline(name, description, severity: severity, frameworks: frameworks, rationale: rationale, remediation: remediation,
                     schema: schema, examples: examples.map { example(passwordPolicy, $0.0, $0.1) }, equivalents: equivalents),
            types: [passwordPolicy]
        ) { policy, config in
            guard let problem = try check(policy, config) else { return .pass }
            return .violation(Violation("Account password policy: \(problem)."))
        }
    }

    static let passwordLength = passwordRule(
        "iam-password-policy-minimum-length", "The account password policy requires at least 14 characters.", severity: .medium,
        frameworks: [cis("1.8"), nist("IA-5")], rationale: "Short passwords fall to guessing and cracking.",
        remediation: "Set `minimumPasswordLength` to 14 or more.",
        schema: ConfigSchema(properties: ["minimumLength": ConfigProperty(type: .integer, default: .number(14), minimum: 6, maximum: 128)]),
        examples: [(#"{"minimumPasswordLength": 14}"#, .pass), (#"{"minimumPasswordLength": 8}"#, .violation), (#"{}"#, .violation)],
        equivalents: compliance("aws-iam-password-policy-minimum-password-length")
    ) { policy, config throws(PolicyControl) in
        let minimum = config.number("minimumLength") ?? 14
        let length = try policy.number("minimumPasswordLength") ?? 6
        return length >= minimum ? nil : "minimum length \(length.clampedInt) is below \(minimum.clampedInt)"
    }

    static let passwordReuse = passwordRule(
        "iam-password-policy-prevents-reuse", "The account password policy remembers the last 24 passwords.", severity: .medium,
        frameworks: [cis("1.9")] + frameworks("hitrust") + [nist("IA-5")], rationale: "Reusing old passwords brings back credentials that may already have leaked.",
        remediation: "Set `passwordReusePrevention: 24`.",
        schema: ConfigSchema(properties: ["remembered": ConfigProperty(type: .integer, default: .number(24), minimum: 1, maximum: 24)]),
        examples: [(#"{"passwordReusePrevention": 24}"#, .pass), (#"{"passwordReusePrevention": 5}"#, .violation), (#"{}"#, .violation)],
        equivalents: compliance("aws-iam-password-policy-prevent-reuse")
    ) { policy, config throws(PolicyControl) in
        let required = config.number("remembered") ?? 24
        let remembered = try policy.number("passwordReusePrevention") ?? 0
        return remembered >= required ? nil : "remembers \(remembered.clampedInt) previous password(s), \(required.clampedInt) required"
    }

    static let passwordExpiry = passwordRule(
        "iam-password-policy-expiry", "The account password policy expires passwords.", severity: .low,
        frameworks: [cis("1.11", version: "1.2.0"), nist("IA-5")],
        rationale: "Expiry bounds how long a leaked password stays useful (CIS 1.2; later versions rely on MFA instead).",
        remediation: "Set `maxPasswordAge` to 90 days or less.",
        schema: ConfigSchema(properties: ["maximumDays": ConfigProperty(type: .integer, default: .number(90), minimum: 1, maximum: 1095)]),
        examples: [(#"{"maxPasswordAge": 90}"#, .pass), (#"{"maxPasswordAge": 365}"#, .violation), (#"{}"#, .violation)]
    ) { policy, config throws(PolicyControl) in
        let maximum = config.number("maximumDays") ?? 90
        guard let age = try policy.number("maxPasswordAge"), age > 0 else { return "passwords never expire" }
        return age <= maximum ? nil : "passwords expire after \(MessageText.count(age.clampedInt, "day")), more than \(maximum.clampedInt)"
    }

    static let passwordComplexity = passwordRule(
        "iam-password-policy-complexity", "The account password policy requires upper, lower case, numbers and symbols.", severity: .low,
        frameworks: [cis("1.5", version: "1.2.0"), cis("1.6", version: "1.2.0"), cis("1.7", version: "1.2.0"), cis("1.8", version: "1.2.0"), nist("IA-5")],
        rationale: "Character classes enlarge the space an attacker has to search (CIS 1.2; later versions favour length).",
        remediation: "Set `requireUppercaseCharacters`, `requireLowercaseCharacters`, `requireNumbers` and `requireSymbols` to true.",
        schema: ConfigSchema(),
        examples: [(#"{"requireUppercaseCharacters": true, "requireLowercaseCharacters": true, "requireNumbers": true, "requireSymbols": "true"}"#, .pass),
                   (#"{"requireUppercaseCharacters": true, "requireLowercaseCharacters": true}"#, .violation)]
    ) { policy, _ throws(PolicyControl) in
        var missing: [String] = []
        for key in ["requireUppercaseCharacters", "requireLowercaseCharacters", "requireNumbers", "requireSymbols"]
        where try policy.bool(key) != true { missing.append(key) }
        return missing.isEmpty ? nil : "does not set \(missing.joined(separator: ", "))"
    }
}
