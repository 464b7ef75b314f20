import RampartJSON
import RampartPolicy

/// The findings of the HTML report as one JSON document for its script: compact arrays with names stored once
/// (stacks, policies, resources, remediation texts) and referred to by index, so 100,000 findings stay a few
/// tens of megabytes. Written with `.htmlScript` escaping: the document sits inside a `<script>` element.
///
/// Layout (the script reads fields by these positions):
/// - `stacks`: names. `policies`: `[pack, policy]`, whose index `i` is the anchor `#policy-i` of its explanation.
/// - `resources`: `[stack, urn, type, name]`, the groups of the findings table; a stack's findings that name no
///   resource form a group with an empty URN.
/// - `texts`: remediation texts.
/// - `findings`: `[stack, resource, policy, severity, level, outcome, state, message, location, remediation
///   (index into texts or -1), proposedFix (or null), exemption reason (or null)]`.
struct HTMLData {
    static let severities = Severity.allCases
    /// The levels a finding can carry (a policy disabled everywhere reports none).
    static let levels: [EnforcementLevel] = [.mandatory, .remediate, .advisory]
    static let outcomes: [OutcomeKind] = [.violation, .indeterminate, .error]
    static let states = ["active", "exempted", "baseline"]

    /// Policies by flat index, in report order, then any only findings name.
    let policies: [(pack: String, policy: String, summary: PolicySummary?)]
    private let policyIndex: [PolicyName: Int]

    init(_ report: ScanReport) {
        var policies: [(pack: String, policy: String, summary: PolicySummary?)] = []
        var index: [PolicyName: Int] = [:]
        for pack in report.packs {
            for policy in pack.policies where index[PolicyName(pack: pack.name, policy: policy.name)] == nil {
                index[PolicyName(pack: pack.name, policy: policy.name)] = policies.count
                policies.append((pack.name, policy.name, policy))
            }
        }
        // Findings come policy by policy: a finding of the same policy as the one before is not looked up again.
        var last: PolicyName?
        for f in report.findings {
            if let last, last.pack == f.pack, last.policy == f.policy { continue }
            let name = PolicyName(f)
            last = name
            guard index[name] == nil else { continue }
            index[name] = policies.count
            policies.append((f.pack, f.policy, nil))
        }
        self.policies = policies
        policyIndex = index
    }

    /// The flat index of a policy (the `#policy-i` anchor of its explanation).
    func policy(_ name: PolicyName) -> Int { policyIndex[name] ?? -1 }

    /// Streams the document into `output`, handing chunks over as they fill.
    func write(_ report: ScanReport, to output: ReportOutput) {
        var w = JSONWriter(style: .compact, escaping: .htmlScript)
        var stackIndex: [String: Int] = [:]
        var stacks: [String] = []
        func stack(_ name: String) -> Int {
            if let i = stackIndex[name] { return i }
            stackIndex[name] = stacks.count
            stacks.append(name)
            return stacks.count - 1
        }
        for s in report.stacks { _ = stack(s.name) }

        w.beginObject()
        w.key("version"); w.number(1)
        w.key("rowHeight"); w.number(HTMLAssets.rowHeight)
        w.key("severities"); w.beginArray(); for s in Self.severities { w.string(s.rawValue) }; w.endArray()
        w.key("levels"); w.beginArray(); for l in Self.levels { w.string(l.rawValue) }; w.endArray()
        w.key("outcomes"); w.beginArray(); for o in Self.outcomes { w.string(o.rawValue) }; w.endArray()
        w.key("states"); w.beginArray(); for s in Self.states { w.string(s) }; w.endArray()
        w.key("policies"); w.beginArray()
        for p in policies {
            w.beginArray(); w.string(p.pack); w.string(p.policy); w.endArray()
        }
        w.endArray()

        // Resources and texts are numbered as findings first name them, and written after the findings.
        /// A stack's own findings and those of a resource with no URN share the group named by "" (as they always
        /// have in the data island).
        struct GroupKey: Hashable { var stack: Int; var urn: String }
        var resourceIndex: [GroupKey: Int] = [:]
        var resources: [(stack: Int, ref: ResourceRef?)] = []
        var textIndex: [String: Int] = [:]
        var texts: [String] = []
        // The stack, the policy and its remediation mostly repeat from one finding to the next.
        var stackOf = LastLookup<String, Int>(), policyOf = LastLookup<PolicyName, Int>(), textOf = LastLookup<String, Int>()
        w.key("findings"); w.beginArray()
        for f in report.findings {
            let s = stackOf.value(f.stack, stack)
            let groupKey = f.withResource { GroupKey(stack: s, urn: $0?.urn ?? "") }
            let group: Int
            if let g = resourceIndex[groupKey] { group = g } else {
                group = resources.count
                resourceIndex[groupKey] = group
                resources.append((s, f.resource))
            }
            var remediation = -1
            if let text = f.remediation {
                remediation = textOf.value(text) { text in
                    if let t = textIndex[text] { return t }
                    textIndex[text] = texts.count
                    texts.append(text)
                    return texts.count - 1
                }
            }
            let policyNumber = policyOf.value(PolicyName(f), policy)
            w.beginArray()
            w.number(s)
            w.number(group)
            w.number(policyNumber)
            w.number(Self.severities.firstIndex(of: f.severity) ?? 0)
            w.number(Self.levels.firstIndex(of: f.enforcementLevel) ?? 0)
            w.number(Self.outcomes.firstIndex(of: f.outcome) ?? 0)
            w.number(f.exemption != nil ? 1 : f.baselined ? 2 : 0)
            w.string(f.message)
            w.string(f.location?.display ?? "")
            w.number(remediation)
            if let fix = f.proposedFix { w.string(fix) } else { w.null() }
            if let exemption = f.exemption { w.string(exemption.reason) } else { w.null() }
            w.endArray()
            output.flush(&w)
        }
        w.endArray()
        w.key("resources"); w.beginArray()
        for r in resources {
            w.beginArray()
            w.number(r.stack)
            w.string(r.ref?.urn ?? ""); w.string(r.ref?.type ?? ""); w.string(r.ref?.name ?? "")
            w.endArray()
            output.flush(&w)
        }
        w.endArray()
        w.key("texts"); w.beginArray(); for t in texts { w.string(t) }; w.endArray()
        w.key("stacks"); w.beginArray(); for s in stacks { w.string(s) }; w.endArray()
        w.endObject()
        output.append(w.takeBytes())
    }
}
