import RampartPolicy

/// The packs compiled into Rampart, referred to as `builtin:<name>`.
public enum BuiltinPacks {
    /// Every built-in pack, sorted by name.
    public static var all: [PolicyPack] {
        [
            AWSGuard.pack,
            HardeningPack.pack,
            PitfallsPack.pack,
        ].sorted { $0.name < $1.name }
    }

    public static func named(_ name: String) -> PolicyPack? { all.first { $0.name == name } }
}
