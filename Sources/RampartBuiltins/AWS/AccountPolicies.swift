import RampartPolicy

/// Account-wide services that a landing-zone or security-baseline stack should declare. They are stack policies
/// and off by default: an application stack has no reason to own them, so running them everywhere would flag
/// every stack. Turn them on (`enforcementLevel`) for the stacks that manage account baselines.
extension AWSBaseline {
    static var accountPolicies: [any Policy] { [accountTrail, accountGuardDuty, accountConfig, accountSecurityHub] }

    static func accountPolicy(_ name: String, _ description: String, severity: Severity, frameworks: [FrameworkReference],
                              rationale: String, remediation: String, types: [String], pass: ExampleResource, fail: ExampleResource,
                              satisfied: @escaping @Sendable (ResourceContext) throws(PolicyControl) -> Bool) -> SwiftStackPolicy {
        SwiftStackPolicy(
            baseline(name, description, severity: severity, frameworks: frameworks, level: .disabled, rationale: rationale, remediation: remediation,
                     examples: [joined(.pass, nil, pass), joined(.violation, nil, fail),
                                joined(.violation, "none declared", ExampleResource("vpc", type: "aws:ec2/vpc:Vpc", properties: "{}"))])
                .declaring(servicesOf: types),
        ) { stack, _ in
            var undecided: String?
            for candidate in stack.resources(matching: TypeSelector(types)) {
                do throws(PolicyControl) {
                    if try satisfied(candidate) { return .pass }
                } catch {
                    if case .indeterminate(let reason) = error { undecided = "\(candidate.name): \(reason)" }
                }
            }
            if let undecided { return .stackLevel(.indeterminate(undecided)) }
            return .stackLevel(.violation(Violation("The stack declares no \(description.lowercased())")))
        }
    }

    static let accountTrail = accountPolicy(
        "account-multi-region-trail", "Multi-region CloudTrail trail.", severity: .high, frameworks: [cis("3.1"), nist("AU-12")],
        rationale: "One multi-region trail is the account's audit record; without it API activity goes unrecorded.",
        remediation: "Declare an `aws:cloudtrail/trail:Trail` with `isMultiRegionTrail: true` and `enableLogging` left on.",
        types: [trail, nativeTrail],
        pass: ExampleResource("t", type: trail, properties: #"{"isMultiRegionTrail": true}"#),
        fail: ExampleResource("t", type: trail, properties: #"{"isMultiRegionTrail": false}"#)
    ) { trail throws(PolicyControl) in
        let logging = trail.type == nativeTrail ? "isLogging" : "enableLogging"
        guard try trail.bool("isMultiRegionTrail") == true else { return false }
        return try trail.bool(logging) ?? true
    }

    static let accountGuardDuty = accountPolicy(
        "account-guardduty-enabled", "Enabled GuardDuty detector.", severity: .medium, frameworks: [nist("SI-4")],
        rationale: "GuardDuty detects credential misuse, crypto-mining and reconnaissance from CloudTrail, VPC flow and DNS logs.",
        remediation: "Declare an `aws:guardduty/detector:Detector` with `enable: true`.",
        types: ["aws:guardduty/detector:Detector", "aws-native:guardduty:Detector"],
        pass: ExampleResource("d", type: "aws:guardduty/detector:Detector", properties: #"{"enable": true}"#),
        fail: ExampleResource("d", type: "aws:guardduty/detector:Detector", properties: #"{"enable": false}"#)
    ) { detector throws(PolicyControl) in try detector.bool("enable") ?? true }

    static let accountConfig = accountPolicy(
        "account-config-recorder-enabled", "Recording AWS Config recorder.", severity: .medium, frameworks: [cis("3.5")],
        rationale: "AWS Config keeps the configuration history that audits and investigations rely on.",
        remediation: "Declare an `aws:cfg/recorder:Recorder` recording all resources and an `aws:cfg/recorderStatus:RecorderStatus` with `isEnabled: true`.",
        types: ["aws:cfg/recorderStatus:RecorderStatus"],
        pass: ExampleResource("s", type: "aws:cfg/recorderStatus:RecorderStatus", properties: #"{"isEnabled": true}"#),
        fail: ExampleResource("s", type: "aws:cfg/recorderStatus:RecorderStatus", properties: #"{"isEnabled": false}"#)
    ) { status throws(PolicyControl) in try status.bool("isEnabled") == true }

    static let accountSecurityHub = accountPolicy(
        "account-securityhub-enabled", "Security Hub subscription.", severity: .low, frameworks: [cis("4.16"), nist("SI-4")],
        rationale: "Security Hub aggregates findings from GuardDuty, Config, Inspector and runs the CIS checks continuously.",
        remediation: "Declare an `aws:securityhub/account:Account` (and standards subscriptions).",
        types: ["aws:securityhub/account:Account", "aws-native:securityhub:Hub"],
        pass: ExampleResource("hub", type: "aws:securityhub/account:Account", properties: #"{"enableDefaultStandards": true}"#),
        fail: ExampleResource("d", type: "aws:guardduty/detector:Detector", properties: #"{"enable": true}"#)
    ) { _ throws(PolicyControl) in true }
}
