import RampartPolicy

/// The packs compiled into Rampart, referred to as `builtin:<name>`.
public enum BuiltinPacks {
    /// Every built-in pack, sorted by name. Built once: packs are immutable values.
    public static let all: [PolicyPack] = [
        APIVersionsPack.pack, AWSGuard.pack, AWSBaseline.pack, AzureBaseline.pack, GCPBaseline.pack, KubernetesBaseline.pack,
        HardeningPack.pack, PitfallsPack.pack,
    ].sorted { $0.name < $1.name }

    public static func named(_ name: String) -> PolicyPack? { all.first { $0.name == name } }
}
