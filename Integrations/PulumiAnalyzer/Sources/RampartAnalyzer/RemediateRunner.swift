import PulumiRPC
import RampartEngine
import RampartModel
import RampartPolicy

/// `Remediate`: every policy at level `remediate` that can fix resources runs in turn, each seeing the inputs the
/// previous one left. Policies without a fix return nothing; their violations are reported by `Analyze`.
struct RemediateRunner {
    let pack: AnalyzerPack
    let session: AnalyzerSession.Snapshot

    /// Whether no policy can remediate in this configuration (the usual case): the answer is empty whatever the
    /// resource, so the request need not even be decoded. Without `ConfigureStack` the stack comes from each call's
    /// URN, and its settings may differ.
    var remediatesNothing: Bool { session.prepared.stackConfigured && session.prepared.remediators.isEmpty }

    func remediate(_ request: WireResource) throws(AnalyzerError) -> Pulumirpc_RemediateResponse {
        var response = Pulumirpc_RemediateResponse()
        if remediatesNothing { return response }
        var stack = try WireResources.stack(analyzing: request, identity: session.state.stack)
        for remediator in session.prepared.matching(stack.identity).remediators where remediator.policy.types.matches(request.type) {
            let policy = remediator.policy
            var remediation = Pulumirpc_Remediation()
            remediation.policyName = remediator.entry.wireName
            remediation.policyPackName = pack.name
            remediation.policyPackVersion = pack.version
            remediation.description_p = policy.descriptor.description
            do {
                guard let fixed = try policy.remediate(ResourceContext(stack: stack, index: 0), config: remediator.config) else { continue }
                remediation.properties = WireValues.wireStruct(fixed)
                stack = replacingInputs(of: stack, with: fixed)
            } catch {
                // The engine prints a remediation diagnostic as an advisory warning.
                remediation.diagnostic = "remediation failed: \(error)"
            }
            response.remediations.append(remediation)
        }
        return response
    }

    private func replacingInputs(of stack: Stack, with inputs: PropertyValue) -> Stack {
        var resources = stack.graph.resources
        resources[0].inputs = inputs
        var copy = stack
        copy.graph = ResourceGraph(resources: resources)
        return copy
    }
}
