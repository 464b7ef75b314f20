import Foundation
import PulumiRPC
import RampartEngine
import RampartModel
import RampartPolicy
import Synchronization

/// What every `Analyze`, `Remediate` and `AnalyzeStack` call of one configuration shares, prepared when
/// `ConfigureStack` or `Configure` arrives rather than per call: the engines with every policy's level and config
/// resolved for the stack, the policies that remediate, and the date exemptions expire against.
final class PreparedAnalysis: Sendable {
    /// A policy at level `remediate` that can fix resources, with its config.
    struct Remediator: Sendable {
        var entry: AnalyzerPack.Entry
        var policy: any RemediatingPolicy
        var config: PolicyConfig
    }

    /// The stack the settings were resolved for.
    let identity: StackIdentity
    /// Resource policies only (`Analyze`).
    let resources: PreparedEngine
    /// Stack policies only (`AnalyzeStack`).
    let stack: PreparedEngine
    /// Policies at level `remediate` that adopt `RemediatingPolicy`, in wire-name order.
    let remediators: [Remediator]
    /// Enabled resource policies with the `not_applicable` entry `Analyze` lists for a resource of another type.
    let typeRestricted: [(types: TypeSelector, skipped: Pulumirpc_PolicyNotApplicable)]
    /// Whether `ConfigureStack` named the stack. Without it each call's stack is named after its URN, and a call
    /// for another stack prepares its own settings (`matching`).
    let stackConfigured: Bool
    private let pack: AnalyzerPack
    private let state: AnalyzerSession.State

    init(pack: AnalyzerPack, state: AnalyzerSession.State, identity: StackIdentity? = nil) {
        self.pack = pack
        self.state = state
        let identity = identity ?? state.identity
        self.identity = identity
        stackConfigured = state.stack != nil
        let resolver = state.resolver(for: pack)
        let options = EngineOptions(jobs: 1, failOn: .mandatory, today: Self.today(), recordEvaluations: true)
        resources = PreparedEngine(Engine(packs: pack.packs(stackPolicies: false), resolver: resolver, exemptions: pack.exemptions,
                                          options: options), identity: identity)
        stack = PreparedEngine(Engine(packs: pack.packs(stackPolicies: true), resolver: resolver, exemptions: pack.exemptions,
                                      options: options), identity: identity)
        let settings = resolver.settings(for: pack.packs, stack: identity)
        remediators = pack.entries.compactMap { entry in
            // The level first: a cast's first use per policy type searches every conformance in the binary.
            guard settings.levels[entry.key] == .remediate, let policy = entry.policy as? any RemediatingPolicy else { return nil }
            return Remediator(entry: entry, policy: policy, config: settings.configs[entry.key] ?? policy.descriptor.configSchema.defaults)
        }
        typeRestricted = pack.entries.compactMap { entry in
            guard let policy = entry.policy.asResourcePolicy, settings.levels[entry.key] != .disabled else { return nil }
            var skipped = Pulumirpc_PolicyNotApplicable()
            skipped.policyName = entry.wireName
            let types = (policy.types.exact.sorted() + policy.types.globs).joined(separator: "', '")
            skipped.reason = "Policy only applies to resources of type '\(types)'"
            return (types: policy.types, skipped: skipped)
        }
    }

    /// Enabled resource policies whose types exclude `type`: Pulumi counts a policy that reports nothing and is
    /// not listed in `not_applicable` as passed. Worked out once per type: a stack repeats its types, and matching
    /// every policy's selector cost ~4 % of an `Analyze`.
    func typeMismatches(for type: String) -> [Pulumirpc_PolicyNotApplicable] {
        if let known = mismatchesByType.withLock({ $0[type] }) { return known }
        let mismatches = typeRestricted.compactMap { $0.types.matches(type) ? nil : $0.skipped }
        mismatchesByType.withLock { known in
            // Bounded: a client sending ever new types gets them worked out per call instead.
            if known.count < Self.typesRemembered { known[type] = mismatches }
        }
        return mismatches
    }

    /// `typeMismatches` by type, for at most `typesRemembered` types.
    private let mismatchesByType = Mutex<[String: [Pulumirpc_PolicyNotApplicable]]>([:])
    static let typesRemembered = 4096

    /// This preparation, or one for `identity` when a call's stack is another (only without `ConfigureStack`).
    func matching(_ identity: StackIdentity) -> PreparedAnalysis {
        identity == self.identity ? self : PreparedAnalysis(pack: pack, state: state, identity: identity)
    }

    /// Today's date `YYYY-MM-DD` in UTC, for exemption expiry; taken once per configuration (one `pulumi` run).
    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}
