import ArgumentParser
import Foundation
import Rampart

extension RampartCommand {
    /// `rampart policies [--pack P] [--framework F] [--severity S] [--service S] [--explain NAME]`
    struct Policies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policies",
            abstract: "List policy packs and their policies, or explain one policy.")

        @Option(name: .customLong("pack"), help: "A policy pack: builtin:<name>, a pack directory or a rule file (repeatable). Default: the config file's packs, else every built-in pack.")
        var packs: [String] = []

        @Option(help: "A rampart.yaml whose packs to list. Default: rampart.yaml in the current directory, if any.")
        var config: String?

        @Option(help: "Explain one policy: NAME or PACK/NAME.")
        var explain: String?

        @Option(help: "Output format of the listing: \(CatalogFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: CatalogFormat = .text

        @OptionGroup var selection: SelectionOptions

        enum CatalogFormat: String, CaseIterable, ExpressibleByArgument {
            case text, json
        }

        func validate() throws {
            if explain != nil && format != .text { throw ValidationError("--explain prints text; drop --format") }
        }

        func run() throws {
            var options = RunOptions(packs: packs, configPath: config,
                                     configSearchDirectory: config == nil ? FileManager.default.currentDirectoryPath : nil)
            options.selection = selection.selection
            let catalog = PolicyCatalog(packs: try Pipeline().configure(options, for: .catalogue).packs)
            if format == .json {
                Terminal.write(catalog.json())
                return
            }
            let text = try explain.map { name throws(RampartError) in try catalog.explain(name) } ?? catalog.listing()
            Terminal.write(Array(text.utf8))
        }
    }
}
