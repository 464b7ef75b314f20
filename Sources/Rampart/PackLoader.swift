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

    /// Packs that stand in for another tool (`builtin:awsguard` for AWSGuard, same policy names and config keys).
    /// Named, they run whole; in the default set they yield the policies another default pack already checks.
    public static let dropInPacks: Set<String> = [AWSGuard.packName]

    /// The packs a run uses when neither `--pack` nor `rampart.yaml` names any: every compiled-in pack, except
    /// that a drop-in pack leaves out each policy equivalent to one of another pack (`PolicyDescriptor.equivalents`
    /// share an entry), so one defect is reported once — `aws/s3-bucket-access-logging-enabled`, not also
    /// `awsguard/s3-bucket-logging-enabled`. AWSGuard's other policies still run by default.
    ///
    /// A drop-in pack runs whole when the run's settings (`--policy-pack-config`, `rampart.yaml` `stacks:`) name it
    /// or an exemption names one of its policies (`awsguard/x` or a bare `x`), so AWSGuard users' config files and
    /// exemptions keep meaning what they did.
    public func defaultPacks(settingsFor configuredPacks: Set<String> = [], exemptions: [String] = []) -> [PolicyPack] {
        let packs = compiledPacks
        let covered = Set(packs.filter { !Self.dropInPacks.contains($0.name) }.flatMap { $0.policies.flatMap(\.descriptor.equivalents) })
        return packs.map { pack in
            guard Self.dropInPacks.contains(pack.name), !configuredPacks.contains(pack.name) else { return pack }
            let exempted = exemptions.contains { reference in
                reference.hasPrefix(pack.name + "/") || pack.policy(named: reference) != nil
            }
            if exempted { return pack }
            var trimmed = pack
            trimmed.policies = pack.policies.filter { !$0.descriptor.equivalents.contains(where: covered.contains) }
            return trimmed
        }
    }

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
