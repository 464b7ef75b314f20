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
    private let policyIndex: [String: Int]

    init(_ report: ScanReport) {
        var policies: [(pack: String, policy: String, summary: PolicySummary?)] = []
        var index: [String: Int] = [:]
        for pack in report.packs {
            for policy in pack.policies where index[Self.key(pack.name, policy.name)] == nil {
                index[Self.key(pack.name, policy.name)] = policies.count
                policies.append((pack.name, policy.name, policy))
            }
        }
        // Findings come policy by policy: a finding of the same policy as the one before is not looked up again.
        var last: (pack: String, policy: String)?
        for f in report.findings {
            if let last, last.pack == f.pack, last.policy == f.policy { continue }
            last = (f.pack, f.policy)
            guard index[Self.key(f.pack, f.policy)] == nil else { continue }
            index[Self.key(f.pack, f.policy)] = policies.count
            policies.append((f.pack, f.policy, nil))
        }
        self.policies = policies
        policyIndex = index
    }

    private static func key(_ pack: String, _ policy: String) -> String { pack + "\u{0}" + policy }

    /// The flat index of a policy (the `#policy-i` anchor of its explanation).
    func policy(_ pack: String, _ policy: String) -> Int { policyIndex[Self.key(pack, policy)] ?? -1 }

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
        // Findings come policy by policy: the stack, the policy and its remediation repeat from one finding to the
        // next, so each is looked up only when it differs from the finding before's (the strings are then usually
        // the same storage, compared without reading them).
        var last: (stack: String, index: Int)?
        var lastPolicy: (pack: String, policy: String, index: Int)?
        var lastText: (text: String, index: Int)?
        w.key("findings"); w.beginArray()
        for f in report.findings {
            let s: Int
            if let last, last.stack == f.stack { s = last.index } else {
                s = stack(f.stack)
                last = (f.stack, s)
            }
            let groupKey = f.withResource { GroupKey(stack: s, urn: $0?.urn ?? "") }
            let group: Int
            if let g = resourceIndex[groupKey] { group = g } else {
                group = resources.count
                resourceIndex[groupKey] = group
                resources.append((s, f.resource))
            }
            var remediation = -1
            if let text = f.remediation {
                if let lastText, lastText.text == text { remediation = lastText.index } else {
                    if let t = textIndex[text] { remediation = t } else {
                        remediation = texts.count
                        textIndex[text] = remediation
                        texts.append(text)
                    }
                    lastText = (text, remediation)
                }
            }
            let policyNumber: Int
            if let lastPolicy, lastPolicy.pack == f.pack, lastPolicy.policy == f.policy { policyNumber = lastPolicy.index } else {
                policyNumber = policy(f.pack, f.policy)
                lastPolicy = (f.pack, f.policy, policyNumber)
            }
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
