import RampartPolicy

/// Shared logic of AWSGuard's two "management conflict" stack policies: a standalone child resource (a rule, an
/// attachment) targets a parent that also manages the same things inline, so each update undoes the other.
///
/// The parent's **inputs** are read when the input has them: deployed outputs of a security group or role list
/// every rule/policy attached, including those added by the standalone resources, so reading outputs (as
/// CrossGuard's stack phase does) would report a conflict for every standalone rule.
enum ManagementConflict {
    /// The parents (of the query's one type, known by name, id or ARN) a child's property points at: by property
    /// dependency, else by value.
    static func targets(of child: ResourceContext, property: String, parents: KeyIndex.Query,
                        in stack: StackContext) -> [ResourceContext] {
        let byDependency = child.dependencies(ofProperty: property).filter { parents.types.contains($0.type) }
        if !byDependency.isEmpty { return byDependency }
        let lookup = child.props[property]
        let values = lookup.strings
        guard !values.isEmpty else { return [] }
        return KeyIndex.of(stack.stack, parents).resources(knownBy: values).map(stack.resource)
    }

    /// The parent's declared (input) value of `property`, falling back to its default property set.
    static func declared(_ parent: ResourceContext, _ property: String) -> PropertyLookup {
        parent.resource.inputs != nil ? parent.inputs[property] : parent.props[property]
    }
}

enum SecurityGroupRuleConflicts {
    static let securityGroup = "aws:ec2/securityGroup:SecurityGroup"
    static let groupKeys = KeyIndex.Query(types: [securityGroup], fields: ["name"])
    static let ingressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    static let egressRule = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
    static let rule = "aws:ec2/securityGroupRule:SecurityGroupRule"

    static let policy = SwiftStackPolicy(
        awsguard("security-group-no-rule-management-conflicts",
                 "Security groups are not managed both by inline rules and by standalone rule resources.", severity: .medium,
                 rationale: "AWS keeps one set of rules per group; when a program declares inline `ingress`/`egress` and also standalone rules for the same group, each deployment removes the other's rules.",
                 remediation: "Declare the group's rules either inline (`ingress`/`egress`) or as `aws:vpc/securityGroupIngressRule`/`EgressRule` (or `aws:ec2/securityGroupRule`) resources, not both.",
                 examples: [
                     PolicyExample(resources: [
                         ExampleResource("web-ingress", type: ingressRule,
                                         properties: #"{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443}"#,
                                         propertyDependencies: ["securityGroupId": ["web"]]),
                         ExampleResource("web", type: securityGroup, properties: #"{"ingress": [], "egress": []}"#),
                     ], expect: .pass),
                     PolicyExample(resources: [
                         ExampleResource("web-ingress", type: ingressRule,
                                         properties: #"{"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443}"#,
                                         propertyDependencies: ["securityGroupId": ["web"]]),
                         ExampleResource("web", type: securityGroup,
                                         properties: #"{"ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22}]}"#),
                     ], expect: .violation),
                     PolicyExample(resources: [
                         ExampleResource("web-egress", type: rule,
                                         properties: #"{"type": "egress", "securityGroupId": "sg-1", "protocol": "-1"}"#,
                                         propertyDependencies: ["securityGroupId": ["web"]]),
                         ExampleResource("web", type: securityGroup,
                                         properties: #"{"ingress": [{"protocol": "tcp", "fromPort": 22, "toPort": 22}], "egress": []}"#),
                     ], expect: .pass, note: "an egress rule does not conflict with inline ingress"),
                     PolicyExample(resources: [
                         ExampleResource("web-egress", type: rule,
                                         properties: #"{"type": "egress", "securityGroupId": "sg-1", "protocol": "-1"}"#,
                                         propertyDependencies: ["securityGroupId": ["web"]]),
                         ExampleResource("web", type: securityGroup,
                                         properties: #"{"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}"#,
                                         inputs: #"{"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}"#),
                     ], expect: .violation),
                     PolicyExample(resources: [
                         ExampleResource("web-egress", type: rule,
                                         properties: #"{"type": "egress", "securityGroupId": "sg-1", "protocol": "-1"}"#,
                                         propertyDependencies: ["securityGroupId": ["web"]]),
                         ExampleResource("web", type: securityGroup,
                                         properties: #"{"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}"#,
                                         inputs: #"{"description": "web"}"#),
                     ], expect: .pass, note: "deployed outputs list the standalone rule too; the inputs declare no inline rules"),
                 ]).declaring(services: "ec2", "vpc"),
    ) { stack, _ in
        var result = StackEvaluation()
        for child in stack.resources(matching: TypeSelector([ingressRule, egressRule, rule])) {
            let direction: String
            switch child.type {
            case ingressRule: direction = "ingress"
            case egressRule: direction = "egress"
            default:
                let type = child.props["type"]
                if type.isOpaque {
                    result.add(.indeterminate("type of rule \(child.name) is not known"), resource: child.index)
                    continue
                }
                guard let kind = type.string, kind == "ingress" || kind == "egress" else {
                    result.add(.notApplicable("rule type is neither ingress nor egress"), resource: child.index)
                    continue
                }
                direction = kind
            }
            var outcome = Outcome.pass
            for group in ManagementConflict.targets(of: child, property: "securityGroupId", parents: groupKeys, in: stack) {
                let inline = ManagementConflict.declared(group, direction)
                if inline.isOpaque {
                    outcome = .indeterminate("\(direction) of security group \(group.name) is not known")
                } else if inline.count ?? 0 > 0 {
                    outcome = .violation(Violation(
                        "Security group \(group.name) declares inline \(direction) rules and is also managed by the standalone rule \(child.name); each deployment will undo the other.",
                        detailKey: group.urn.rawValue))
                    break
                }
            }
            result.add(outcome, resource: child.index)
        }
        return result.entries.isEmpty ? .stackLevel(.notApplicable("no standalone security group rules in the stack")) : result
    }
}

enum IAMRolePolicyConflicts {
    static let role = "aws:iam/role:Role"
    static let roleKeys = KeyIndex.Query(types: [role], fields: ["name"])
    /// Child types and the property that names the role(s).
    static let children: [(type: String, property: String)] = [
        ("aws:iam/policyAttachment:PolicyAttachment", "roles"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "role"),
        ("aws:iam/rolePolicy:RolePolicy", "role"),
    ]

    static let policy = SwiftStackPolicy(
        awsguard("iam-role-no-policy-management-conflicts",
                 "IAM roles are not managed both by inline policy arguments and by attachment resources.", severity: .medium,
                 rationale: "A role that sets `managedPolicyArns` or `inlinePolicies` owns its whole policy set; standalone attachments and role policies for it are removed on the next deployment, and re-added on the one after.",
                 remediation: "Manage the role's policies either with `managedPolicyArns`/`inlinePolicies` on the role, or with `RolePolicyAttachment`/`RolePolicy`/`PolicyAttachment` resources, not both.",
                 examples: [
                     PolicyExample(resources: [
                         ExampleResource("attach", type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                                         properties: #"{"role": "app-123", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
                                         propertyDependencies: ["role": ["app"]]),
                         ExampleResource("app", type: role, properties: #"{"name": "app-123", "managedPolicyArns": []}"#),
                     ], expect: .pass),
                     PolicyExample(resources: [
                         ExampleResource("attach", type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                                         properties: #"{"role": "app-123", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
                                         propertyDependencies: ["role": ["app"]]),
                         ExampleResource("app", type: role,
                                         properties: #"{"name": "app-123", "managedPolicyArns": ["arn:aws:iam::aws:policy/PowerUserAccess"]}"#),
                     ], expect: .violation),
                     PolicyExample(resources: [
                         ExampleResource("inline", type: "aws:iam/rolePolicy:RolePolicy", properties: #"{"role": "app-123", "policy": "{}"}"#),
                         ExampleResource("app", type: role,
                                         properties: #"{"name": "app-123", "inlinePolicies": [{"name": "s3", "policy": "{}"}]}"#),
                     ], expect: .violation, note: "joined by role name when no property dependency is recorded"),
                     PolicyExample(resources: [
                         ExampleResource("shared", type: "aws:iam/policyAttachment:PolicyAttachment",
                                         properties: #"{"roles": ["app-123"], "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}"#,
                                         propertyDependencies: ["roles": ["app"]]),
                         ExampleResource("app", type: role, properties: #"{"name": "app-123", "inlinePolicies": [{}]}"#),
                     ], expect: .pass, note: "an empty inline policy entry declares none"),
                 ]).declaring(services: "iam"),
    ) { stack, _ in
        var result = StackEvaluation()
        for (type, property) in children {
            for child in stack.resources(matching: TypeSelector([type])) {
                var outcome = Outcome.pass
                for target in ManagementConflict.targets(of: child, property: property, parents: roleKeys, in: stack) {
                    let managed = ManagementConflict.declared(target, "managedPolicyArns")
                    let inline = ManagementConflict.declared(target, "inlinePolicies")
                    if managed.isOpaque || inline.isOpaque {
                        outcome = .indeterminate("the policies declared on role \(target.name) are not known")
                        continue
                    }
                    let inlineCount = inline.elements.filter { !($0["name"].string ?? "").isEmpty || !($0["policy"].string ?? "").isEmpty }.count
                    if managed.count ?? 0 > 0 || inlineCount > 0 {
                        let what = managed.count ?? 0 > 0 ? "managedPolicyArns" : "inlinePolicies"
                        outcome = .violation(Violation(
                            "IAM role \(target.name) sets \(what) and is also managed by \(child.name) (\(type)); each deployment will undo the other.",
                            detailKey: target.urn.rawValue))
                        break
                    }
                }
                result.add(outcome, resource: child.index)
            }
        }
        return result.entries.isEmpty ? .stackLevel(.notApplicable("no role policy attachments in the stack")) : result
    }
}
