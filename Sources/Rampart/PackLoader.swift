import Foundation
import RampartBuiltins
import RampartPolicy
import RampartRules

/// Resolves pack references: `builtin:<name>` for compiled-in packs, otherwise a YAML pack directory or rule file.
public struct PackLoader: Sendable {
    /// Directory that relative pack paths are resolved against.
    public var baseDirectory: String
    /// Swift packs compiled into this build besides Rampart's own (a team's packs, see Samples/swift-pack-template):
    /// referred to as `builtin:<name>` and run by default like the built-in packs.
    public var additionalPacks: [PolicyPack]

    public init(baseDirectory: String = FileManager.default.currentDirectoryPath, additionalPacks: [PolicyPack] = []) {
        self.baseDirectory = baseDirectory
        self.additionalPacks = additionalPacks
    }

    /// Every compiled-in pack: Rampart's built-ins and the additional packs, sorted by name.
    public var compiledPacks: [PolicyPack] {
        (BuiltinPacks.all + additionalPacks).sorted { $0.name < $1.name }
    }

    /// The packs a run evaluates when neither `--pack` nor `rampart.yaml` names any.
    public var defaultPacks: [PolicyPack] { compiledPacks }

    public func load(_ references: [String]) throws(RampartError) -> [PolicyPack] {
        var packs: [PolicyPack] = []
        var names = Set<String>()
        for reference in references {
            let pack = try load(reference)
            guard names.insert(pack.name).inserted else {
                throw .usage("policy pack '\(pack.name)' is named twice (\(reference)); pack names must be unique in a run")
            }
            packs.append(pack)
        }
        return packs
    }

    public func load(_ reference: String) throws(RampartError) -> PolicyPack {
        if reference.hasPrefix("builtin:") {
            let name = String(reference.dropFirst("builtin:".count))
            guard let pack = compiledPacks.first(where: { $0.name == name }) else {
                throw .packNotFound(reference, available: compiledPacks.map { "builtin:\($0.name)" })
            }
            return pack
        }
        let path = reference.hasPrefix("/") ? reference : baseDirectory + "/" + reference
        guard FileManager.default.fileExists(atPath: path) else {
            throw .packNotFound(reference, available: compiledPacks.map { "builtin:\($0.name)" })
        }
        return try loadRulePack(at: path)
    }

    /// A YAML pack directory or single rule file (docs/rules.md), checked and compiled as a whole.
    func loadRulePack(at path: String) throws(RampartError) -> PolicyPack {
        do {
            return try RulePackLoader().load(at: path).pack
        } catch {
            throw RampartError(error)
        }
    }
}
