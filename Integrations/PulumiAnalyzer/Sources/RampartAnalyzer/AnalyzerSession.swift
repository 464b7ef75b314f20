import PulumiRPC
import RampartEngine
import RampartModel
import RampartPolicy
import Synchronization

/// What the engine has told the analyzer so far: the stack (`ConfigureStack`) and the reconciled policy config
/// (`Configure`), and what every later call shares, prepared when either arrives (`PreparedAnalysis`). Calls arrive
/// concurrently (Pulumi analyses resources in parallel), so the state sits behind a lock and each call works on a
/// snapshot.
final class AnalyzerSession: Sendable {
    struct State: Sendable {
        var stack: StackIdentity?
        var dryRun = false
        /// Pulumi's reconciled config as one settings layer per Rampart pack; applied over the policies' own levels.
        var layers: [String: PackSettingsLayer] = [:]
        var cancelled = false
    }

    struct Snapshot: Sendable {
        var state: State
        var prepared: PreparedAnalysis
    }

    let pack: AnalyzerPack
    private let current: Mutex<Snapshot>

    init(pack: AnalyzerPack) {
        self.pack = pack
        let state = State()
        current = Mutex(Snapshot(state: state, prepared: PreparedAnalysis(pack: pack, state: state)))
    }

    var snapshot: Snapshot { current.withLock { $0 } }

    func configureStack(_ identity: StackIdentity, dryRun: Bool) {
        update {
            $0.stack = identity
            $0.dryRun = dryRun
        }
    }

    func configure(_ layers: [String: PackSettingsLayer]) { update { $0.layers = layers } }

    func cancel() { current.withLock { $0.state.cancelled = true } }

    /// Changes the state and prepares the calls that follow for it (rare: once or twice per `pulumi` run).
    private func update(_ change: (inout State) -> Void) {
        current.withLock { snapshot in
            change(&snapshot.state)
            snapshot.prepared = PreparedAnalysis(pack: pack, state: snapshot.state)
        }
    }
}

extension AnalyzerSession.State {
    var identity: StackIdentity { stack ?? StackIdentity(organization: nil, project: nil, stack: "") }

    /// The engine's resolver: each policy's own level (or its pack's), then rampart.yaml's layers for this stack,
    /// then Pulumi's reconciled config, which has the last word as it does for a CrossGuard pack.
    func resolver(for pack: AnalyzerPack) -> SettingsResolver {
        var global: [String: [PackSettingsLayer]] = [:]
        for rampartPack in pack.packs {
            global[rampartPack.name] = pack.settings.layers(for: rampartPack.name, stack: identity)
                + (layers[rampartPack.name].map { [$0] } ?? [])
        }
        return SettingsResolver(globalLayers: global)
    }
}

/// Pulumi's per-policy config (`Configure`) → one settings layer per Rampart pack.
enum ConfigMapping {
    /// Policies Pulumi names that this analyzer does not serve are ignored, as CrossGuard does.
    static func layers(_ request: Pulumirpc_ConfigureAnalyzerRequest, pack: AnalyzerPack) -> [String: PackSettingsLayer] {
        var layers: [String: PackSettingsLayer] = [:]
        for (wireName, config) in request.policyConfig {
            guard let entry = pack.entry(named: wireName) else { continue }
            var layer = layers[entry.key.pack] ?? PackSettingsLayer()
            layer.levels[entry.key.policy] = level(config.enforcementLevel)
            if config.hasProperties {
                var values: [String: ConfigValue] = [:]
                for (key, value) in config.properties.fields where key != "enforcementLevel" {
                    values[key] = WireValues.configValue(value)
                }
                layer.properties[entry.key.policy] = PolicyConfig(values)
            }
            layers[entry.key.pack] = layer
        }
        return layers
    }

    static func level(_ wire: Pulumirpc_EnforcementLevel) -> EnforcementLevel {
        switch wire {
        case .advisory: return .advisory
        case .mandatory: return .mandatory
        case .disabled: return .disabled
        case .remediate: return .remediate
        case .UNRECOGNIZED: return .mandatory  // an engine newer than this analyzer: fail closed
        }
    }

    static func wire(_ level: EnforcementLevel) -> Pulumirpc_EnforcementLevel {
        switch level {
        case .advisory: return .advisory
        case .mandatory: return .mandatory
        case .disabled: return .disabled
        case .remediate: return .remediate
        }
    }

    static func wire(_ severity: Severity) -> Pulumirpc_PolicySeverity {
        switch severity {
        case .low: return .low
        case .medium: return .medium
        case .high: return .high
        case .critical: return .critical
        }
    }
}
