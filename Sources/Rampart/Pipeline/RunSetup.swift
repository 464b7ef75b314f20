import Foundation
import RampartBuiltins
import RampartEngine
import RampartModel
import RampartPolicy

/// The configure phase's result: the packs a run evaluates, their settings and exemptions.
public struct RunSetup: Sendable {
    /// The packs evaluated, `builtin:rampart` included (except for hosts).
    public var packs: [PolicyPack]
    /// The packs `rampart.yaml` declares (or the default built-ins when it declares none), whether or not `--pack`
    /// replaced them for this run: `audit` reads their levels to see what a stack enforces.
    public var declaredPacks: [PolicyPack]
    public var resolver: SettingsResolver
    public var exemptions: [Exemption]
    /// Said once per run (settings ignored because `--pack` replaced the packs they are for).
    public var notices: [ReportNotice]
    /// The files the settings came from (`rampart.yaml and --policy-pack-config`), nil when none was given.
    public var settingsSource: String?
}

/// Packs every audit runs.
let checklistPacks = ["builtin:hardening", "builtin:pitfalls"]

extension Pipeline {
    /// Loads the configuration once, the packs the run evaluates, and checks every setting against the packs it
    /// could be for: those run and those the config file declares. Settings for declared packs that `--pack` left
    /// out of this run are ignored with one notice; a pack named nowhere is an error with a suggestion.
    public func configure(_ options: RunOptions, for kind: RunKind) throws(RampartError) -> RunSetup {
        let configPath = options.configPath ?? options.configSearchDirectory.flatMap(RampartConfiguration.find(in:))
        let configuration = try configPath.map { path throws(RampartError) in try RampartConfiguration.load(path: path) }
        let explicit = try packLoader.load(options.packs)
        let declared = try configuration.map { c throws(RampartError) in try loadConfiguredPacks(c) } ?? []
        var drafts: [PackSettingsDraft] = []
        for argument in options.policyPackConfigs { drafts.append(try PolicyPackConfigFile.load(argument: argument)) }
        let declaredPacks = declared.isEmpty
            ? packLoader.defaultPacks(settingsFor: Set(drafts.map(\.pack) + (configuration?.stacks.map(\.settings.pack) ?? [])),
                                      exemptions: configuration?.exemptions.map(\.exemption.policy) ?? [])
            : declared
        let selected = explicit.isEmpty ? declaredPacks : explicit

        var packs: [PolicyPack]
        switch kind {
        case .scan, .catalogue, .host: packs = selected
        case .lint: packs = Pipeline.filePolicies(selected)
        case .audit: packs = Pipeline.union(try packLoader.load(checklistPacks), explicit)
        }
        if kind != .host && !packs.contains(where: { $0.name == HygienePack.name }) {
            packs.append(HygienePack.pack(version: RampartVersion.current, strict: options.strict))
        }

        // Settings are checked against every pack they could name; the engine applies only the run's.
        let known = Pipeline.union(packs, selected, declaredPacks)
        let resolved = try ConfigurationResolver(packs: known).resolve(configuration: configuration, policyPackConfigs: drafts)

        var notices: [ReportNotice] = []
        if kind == .scan || kind == .catalogue, !explicit.isEmpty, let configuration {
            let run = Set(packs.map(\.name))
            let ignored = Set(configuration.stacks.map(\.settings.pack) + drafts.map(\.pack)).subtracting(run).sorted()
            if !ignored.isEmpty {
                notices.append(ReportNotice(source: configuration.path, message:
                    "settings for pack(s) \(ignored.joined(separator: ", ")) ignored: --pack replaced the packs of \(URL(fileURLWithPath: configuration.path).lastPathComponent) for this run"))
            }
        }
        // Selection comes last, so settings are checked against the whole packs; builtin:rampart always runs.
        let selection = try PolicySelection.resolve(flags: options.selection, configuration: configuration,
                                                    packs: Pipeline.union(packs, selected))
        packs = packs.flatMap { $0.name == HygienePack.name ? [$0] : selection.apply(to: [$0]) }
        let sources = [configPath.map { URL(fileURLWithPath: $0).lastPathComponent }].compactMap { $0 }
            + (options.policyPackConfigs.isEmpty ? [] : ["--policy-pack-config"])
        return RunSetup(packs: packs, declaredPacks: declaredPacks, resolver: resolved.resolver,
                        exemptions: resolved.exemptions, notices: notices,
                        settingsSource: sources.isEmpty ? nil : sources.joined(separator: " and "))
    }

    /// The config file's packs; a reference that does not resolve is reported at its line in the file.
    private func loadConfiguredPacks(_ configuration: RampartConfiguration) throws(RampartError) -> [PolicyPack] {
        var packs: [PolicyPack] = []
        var names = Set<String>()
        for (reference, location) in configuration.packs {
            let pack: PolicyPack
            do { pack = try packLoader.load(reference) } catch {
                if case .packNotFound = error { throw location.error(error.description) }
                throw error
            }
            guard names.insert(pack.name).inserted else { throw location.error("policy pack '\(pack.name)' is named twice") }
            packs.append(pack)
        }
        return packs
    }

    /// Packs by name, first occurrence kept, in order.
    static func union(_ lists: [PolicyPack]...) -> [PolicyPack] {
        var seen = Set<String>()
        return lists.joined().filter { seen.insert($0.name).inserted }
    }

    /// The packs cut to the policies that read a project file, stack file or workflow; packs left empty are dropped.
    /// Resource policies (awsguard, YAML rules) have nothing to look at in a project directory, so reporting them
    /// as passing would be wrong. The config file is checked against the full packs, so one rampart.yaml serves
    /// both `scan` and `lint`.
    static func filePolicies(_ packs: [PolicyPack]) -> [PolicyPack] {
        packs.compactMap { pack in
            var pack = pack
            pack.policies = pack.policies.filter { policy in
                guard let described = policy as? any EvidenceDescribing else { return false }
                return !described.evidence.isDisjoint(with: EvidenceKind.files)
            }
            return pack.policies.isEmpty ? nil : pack
        }
    }
}
