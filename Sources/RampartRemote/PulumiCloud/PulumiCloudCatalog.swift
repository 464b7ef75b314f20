import Foundation
import RampartEngine
import RampartInputs
import RampartModel

/// The stacks of a Pulumi Cloud organisation (`pulumi://ORG`), of one project (`pulumi://ORG/PROJECT`) or one stack
/// (`pulumi://ORG/PROJECT/STACK`): listed with `GET /api/user/stacks?organization=ORG[&project=P]` (following
/// `continuationToken`), each read with `GET /api/stacks/{org}/{project}/{stack}/export`.
///
/// Each source is named `pulumi://org/project/stack` and carries the API's org/project/stack as its implied identity,
/// so levels, exemptions and baselines match as they do for the same stack read from a file.
struct PulumiCloudCatalog: StackCatalog {
    let client: PulumiCloudClient
    let organization: String
    let project: String?
    let stack: String?
    /// `--stack-filter` globs over `org/project/stack` (`StackPattern`, as in `rampart.yaml`); empty: every stack.
    let filters: [String]

    func list() async throws(RemoteError) -> [InputSource] {
        if let project, let stack {
            // One stack named in full: nothing to list, it is fetched (and a missing one fails like a missing file).
            return [Self.source(organization: organization, project: project, stack: stack)]
        }
        let location = "pulumi://" + [organization, project].compactMap { $0 }.joined(separator: "/")
        var query = [("organization", organization)]
        if let project { query.append(("project", project)) }
        let summaries = try await client.list("/api/user/stacks", query: query, key: "stacks", location: location)
        var sources: [InputSource] = []
        for (index, summary) in summaries.enumerated() {
            guard let org = summary["orgName"]?.string, let project = summary["projectName"]?.string,
                  let stack = summary["stackName"]?.string else {
                throw .unexpectedResponse(location: location, reason: "expected {orgName, projectName, stackName} strings at $.stacks[\(index)]")
            }
            // The service lists every stack the user can see when a filter is ignored: keep to what was asked.
            guard org == organization, self.project.map({ $0 == project }) ?? true else { continue }
            let identity = StackIdentity(organization: org, project: project, stack: stack)
            guard filters.isEmpty || filters.contains(where: { StackPattern.matches($0, identity) }) else { continue }
            sources.append(Self.source(organization: org, project: project, stack: stack))
        }
        // A fixed order whatever order the pages came in, duplicates (a stack listed on two pages) once.
        var seen = Set<String>()
        return sources.sorted { $0.path < $1.path }.filter { seen.insert($0.path).inserted }
    }

    func fetch(_ source: InputSource) async throws(RemoteError) -> [UInt8] {
        guard let identity = source.impliedIdentity, let org = identity.organization, let project = identity.project else {
            throw .invalidLocation(source.path, reason: "not a stack of pulumi://\(organization)")
        }
        let path = "/api/stacks/\(PulumiCloudClient.encode(org))/\(PulumiCloudClient.encode(project))/\(PulumiCloudClient.encode(identity.stack))/export"
        return try await client.get(path, location: source.path)
    }

    static func source(organization: String, project: String, stack: String) -> InputSource {
        InputSource(path: "pulumi://\(organization)/\(project)/\(stack)",
                    impliedIdentity: StackIdentity(organization: organization, project: project, stack: stack))
    }
}
