import RampartModel
import RampartPolicy

extension GCPBaseline {
    static var iamPolicies: [any Policy] { [noPrimitiveRoles, noPublicIAMMembers, noServiceAccountKeys, projectLogSink] }

    /// Project, folder and organization IAM members and bindings.
    static let resourceIAMGrants = [
        "gcp:projects/iAMMember:IAMMember", "gcp:projects/iAMBinding:IAMBinding",
        "gcp:folder/iAMMember:IAMMember", "gcp:folder/iAMBinding:IAMBinding",
        "gcp:organizations/iAMMember:IAMMember", "gcp:organizations/iAMBinding:IAMBinding",
    ]

    static let noPrimitiveRoles = SwiftResourcePolicy(
        Baseline.descriptor("gcp-iam-no-primitive-roles", "Users and service accounts are not granted Owner or Editor.", .high,
            rationale: "The basic roles grant thousands of permissions across every service; a stolen credential with Editor can change almost anything in the project.",
            remediation: "Grant predefined or custom roles scoped to what the principal needs instead of `roles/owner` or `roles/editor`.",
            frameworks: [BaselineFrameworks.cisGCP("1.5"), nist("AC-6")],
            examples: [
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/storage.objectViewer", "member": "user:a@example.com"}"#, .pass),
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/editor", "member": "serviceAccount:app@p.iam.gserviceaccount.com"}"#, .violation),
                Baseline.ex("gcp:projects/iAMBinding:IAMBinding", #"{"role": "roles/owner", "members": ["group:admins@example.com", "user:a@example.com"]}"#, .violation),
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/editor", "member": \#(Baseline.unknown)}"#, .indeterminate),
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "projects/p/roles/custom", "member": \#(Baseline.unknown)}"#, .pass),
            ]),
        types: resourceIAMGrants
    ) { grant, _ in
        guard let role = try grant.string("role"), role == "roles/owner" || role == "roles/editor" else { return .pass }
        let individuals = try GCPTypes.members(of: grant).filter { $0.hasPrefix("user:") || $0.hasPrefix("serviceAccount:") }
        return .check(individuals.isEmpty, "\(role) is granted to \(individuals.joined(separator: ", ")).")
    }

    static let noPublicIAMMembers = SwiftResourcePolicy(
        Baseline.descriptor("gcp-iam-no-public-members", "Project, folder and organization roles are not granted to allUsers or allAuthenticatedUsers.", .critical,
            rationale: "A resource-level grant to allUsers gives the role to anyone on the internet.",
            remediation: "Remove `allUsers` and `allAuthenticatedUsers` from the member or binding.",
            frameworks: [BaselineFrameworks.cisGCP("1.1"), nist("AC-3")],
            examples: [
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/viewer", "member": "group:eng@example.com"}"#, .pass),
                Baseline.ex("gcp:projects/iAMMember:IAMMember", #"{"role": "roles/viewer", "member": "allAuthenticatedUsers"}"#, .violation),
                Baseline.ex("gcp:organizations/iAMBinding:IAMBinding", #"{"role": "roles/viewer", "members": ["allUsers"]}"#, .violation),
            ]),
        types: resourceIAMGrants
    ) { grant, _ in
        let open = try GCPTypes.members(of: grant).filter(GCPTypes.isPublic)
        let role = try grant.string("role") ?? "A role"
        return .check(open.isEmpty, "\(role) is granted to \(open.joined(separator: ", ")).")
    }

    static let noServiceAccountKeys = SwiftResourcePolicy(
        Baseline.descriptor("gcp-iam-no-user-managed-service-account-keys", "Service accounts have no user-managed keys.", .medium,
            rationale: "A user-managed key is a long-lived credential; created by Pulumi its private key is stored in the stack state.",
            remediation: "Remove the `gcp:serviceaccount/Key`; use Workload Identity, workload identity federation or service account impersonation.",
            frameworks: [BaselineFrameworks.cisGCP("1.4"), nist("IA-5")],
            examples: [
                Baseline.ex("gcp:serviceaccount/key:Key", #"{"serviceAccountId": "app@p.iam.gserviceaccount.com", "keyAlgorithm": "KEY_ALG_RSA_2048"}"#, .violation),
                Baseline.ex("gcp:serviceaccount/account:Account", #"{"accountId": "app"}"#, .pass),
            ]),
        types: ["gcp:serviceaccount/key:Key", "gcp:serviceaccount/account:Account"]
    ) { key, _ in
        // The account itself is listed so that the policy shows a pass for stacks that create accounts without keys.
        .check(key.type != "gcp:serviceaccount/key:Key", "Service account key \(key.name) is a user-managed, long-lived credential.")
    }

    static let projectTypes = TypeSelector(["gcp:organizations/project:Project"])
    static let sinkTypes = TypeSelector(["gcp:logging/projectSink:ProjectSink"])
    static let sinkJoin = Baseline.attachmentQuery(sinkTypes, property: "project")
    static let parentSinkTypes = TypeSelector(["gcp:logging/folderSink:FolderSink", "gcp:logging/organizationSink:OrganizationSink"])

    static let projectLogSink = SwiftStackPolicy(
        Baseline.descriptor("gcp-logging-project-sink-all-entries", "Projects created by the stack export all log entries to a sink.", .medium,
            rationale: "Cloud Logging keeps most logs for 30 days; a sink with no filter keeps a copy of every entry for as long as you need.",
            remediation: "Add a `gcp:logging/ProjectSink` with an empty `filter` for the project, or a folder/organization sink with `includeChildren: true`.",
            frameworks: [BaselineFrameworks.cisGCP("2.2"), nist("AU-12")],
            examples: [
                Baseline.joined(.pass, nil,
                    ExampleResource("proj", type: "gcp:organizations/project:Project", properties: #"{"projectId": "p-123"}"#),
                    ExampleResource("all", type: "gcp:logging/projectSink:ProjectSink", properties: #"{"project": "p-123", "filter": ""}"#)),
                Baseline.joined(.violation, "the only sink is filtered",
                    ExampleResource("proj", type: "gcp:organizations/project:Project", properties: #"{"projectId": "p-123"}"#),
                    ExampleResource("errors", type: "gcp:logging/projectSink:ProjectSink", properties: #"{"project": "p-123", "filter": "severity>=ERROR"}"#)),
                Baseline.joined(.pass, "preview: project id unknown, sink joined by dependency",
                    ExampleResource("proj", type: "gcp:organizations/project:Project", properties: #"{"projectId": \#(Baseline.unknown)}"#),
                    ExampleResource("all", type: "gcp:logging/projectSink:ProjectSink", properties: #"{"project": \#(Baseline.unknown)}"#,
                                    propertyDependencies: ["project": ["proj"]])),
                Baseline.joined(.indeterminate, "preview: a sink for a project not known until deployment",
                    ExampleResource("proj", type: "gcp:organizations/project:Project", properties: #"{"projectId": "p-123"}"#),
                    ExampleResource("all", type: "gcp:logging/projectSink:ProjectSink", properties: #"{"project": \#(Baseline.unknown)}"#)),
                Baseline.joined(.pass, "organization sink for all children",
                    ExampleResource("proj", type: "gcp:organizations/project:Project", properties: #"{"projectId": "p-123"}"#),
                    ExampleResource("org", type: "gcp:logging/organizationSink:OrganizationSink", properties: #"{"includeChildren": true, "filter": ""}"#)),
            ]).declaring(services: "logging", "organizations")
    ) { stack, _ in
        let projects = stack.resources(matching: projectTypes)
        guard !projects.isEmpty else { return .stackLevel(.notApplicable("the stack creates no projects")) }
        func exportsAll(_ sink: ResourceContext) throws(PolicyControl) -> Bool {
            let filter = try sink.string("filter") ?? ""
            guard filter.isEmpty else { return false }
            return try sink.bool("disabled") != true
        }
        for sink in stack.resources(matching: parentSinkTypes) where try sink.bool("includeChildren") == true && exportsAll(sink) {
            return .pass
        }
        var result = StackEvaluation()
        for project in projects {
            let outcome: Outcome
            do {
                let sinks = Baseline.attachments(to: project, sinkJoin,
                                                 keys: [project.props["projectId"].string, project.props["number"].string, project.resource.id])
                if try sinks.matched.contains(where: exportsAll) {
                    outcome = .pass
                } else if !sinks.unresolved.isEmpty {
                    outcome = .indeterminate("a project sink targets a project not known until deployment")
                } else {
                    outcome = .violation("Project \(project.name) has no sink that exports all log entries.")
                }
            } catch let control as PolicyControl {
                outcome = control.outcome
            }
            result.add(outcome, resource: project.index)
        }
        return result
    }
}
