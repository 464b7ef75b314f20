import PulumiRPC
import RampartEngine
import RampartModel
import RampartPolicy

/// Runs Rampart's engine for one analyzer call and turns its result into the engine's diagnostics.
struct AnalyzeRunner {
    let pack: AnalyzerPack
    let session: AnalyzerSession.Snapshot

    /// `Analyze`: resource policies over one resource's inputs.
    func analyze(_ request: WireResource) throws(AnalyzerError) -> Pulumirpc_AnalyzeResponse {
        let stack = try WireResources.stack(analyzing: request, identity: session.state.stack)
        let prepared = session.prepared.matching(stack.identity)
        var response = respond(prepared.resources.evaluate(stack), engine: prepared.resources.engine, stack: stack, subject: 0)
        response.notApplicable += prepared.typeMismatches(for: request.type)
        response.notApplicable.sort { $0.policyName < $1.policyName }
        return response
    }

    /// `AnalyzeStack`: stack policies over every resource's outputs.
    func analyzeStack(_ resources: [WireResource]) throws(AnalyzerError) -> Pulumirpc_AnalyzeResponse {
        let stack = try WireResources.stack(of: resources, identity: session.state.stack)
        let prepared = session.prepared.matching(stack.identity)
        return respond(prepared.stack.evaluate(stack), engine: prepared.stack.engine, stack: stack, subject: nil)
    }

    /// - Parameter subject: for `Analyze`, the index of the analysed resource: outcomes on others (its provider) are
    ///   dropped, since the engine analyses those resources in their own calls.
    private func respond(_ result: StackResult, engine: Engine, stack: Stack, subject: Int?) -> Pulumirpc_AnalyzeResponse {
        var response = Pulumirpc_AnalyzeResponse()
        let rootURN = stack.graph.stackResource?.urn.rawValue ?? ""
        for finding in result.findings where finding.exemption == nil {
            let urn = finding.resource?.urn
            if subject != nil, urn != stack.graph.resources[subject!].urn.rawValue { continue }
            let key = PolicyKey(pack: finding.pack, policy: finding.policy)
            let wireName = pack.wireName(of: key)
            let descriptor = pack.entry(named: wireName)?.policy.descriptor
            var diagnostic = Pulumirpc_AnalyzeDiagnostic()
            diagnostic.policyName = wireName
            diagnostic.policyPackName = pack.name
            diagnostic.policyPackVersion = pack.version
            diagnostic.description_p = descriptor?.description ?? ""
            diagnostic.severity = ConfigMapping.wire(finding.severity)
            // Stack-level findings go to the root stack resource, as CrossGuard does.
            diagnostic.urn = urn ?? rootURN
            switch finding.outcome {
            case .violation:
                // Pulumi's engine accepts only advisory and mandatory; remediate with a violation left is mandatory.
                diagnostic.enforcementLevel = finding.enforcementLevel == .advisory ? .advisory : .mandatory
                diagnostic.message = Self.message(descriptor?.description, finding.message)
            case .error:
                // A policy that fails cannot vouch for the resource: fail closed, as CrossGuard fails the operation.
                diagnostic.enforcementLevel = .mandatory
                diagnostic.message = Self.message(descriptor?.description, "Rampart could not evaluate this policy: " + finding.message)
            case .indeterminate:
                guard pack.options.reportIndeterminate else {
                    var skipped = Pulumirpc_PolicyNotApplicable()
                    skipped.policyName = wireName
                    skipped.reason = "indeterminate: " + finding.message
                    response.notApplicable.append(skipped)
                    continue
                }
                diagnostic.enforcementLevel = .advisory
                diagnostic.message = Self.message(descriptor?.description, "cannot be decided yet: " + finding.message)
            case .pass, .notApplicable:
                continue
            }
            response.diagnostics.append(diagnostic)
        }
        for evaluation in result.evaluations where evaluation.outcome == .notApplicable {
            if let subject, evaluation.resource >= 0, Int(evaluation.resource) != subject { continue }
            let rampartPack = engine.packs[Int(evaluation.pack)]
            let policy = rampartPack.policies[Int(evaluation.policy)]
            var skipped = Pulumirpc_PolicyNotApplicable()
            skipped.policyName = pack.wireName(of: PolicyKey(pack: rampartPack.name, policy: policy.descriptor.name))
            skipped.reason = evaluation.reason ?? ""
            response.notApplicable.append(skipped)
        }
        response.notApplicable.sort { $0.policyName < $1.policyName }
        return response
    }

    /// CrossGuard's message shape: the policy's description, then what was found.
    static func message(_ description: String?, _ detail: String) -> String {
        guard let description, !description.isEmpty else { return detail }
        return detail.isEmpty ? description : description + "\n" + detail
    }
}
