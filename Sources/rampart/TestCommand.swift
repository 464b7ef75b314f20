import ArgumentParser
import Foundation
import Rampart

extension RampartCommand {
    /// `rampart test PACK...`: runs each YAML pack's `tests/<policy>/` fixtures against expected.yaml.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run YAML policy packs' tests (tests/<policy>/ with inputs and expected.yaml).",
            discussion: "Exit 0 when every expectation holds, 1 on any mismatch, 2 when a pack or fixture is invalid.")

        @Argument(help: "Pack directories or single rule files.")
        var packs: [String]

        @Option(name: .customLong("report"), help: "junit=PATH: also write a JUnit XML file of the test cases.")
        var reports: [String] = []

        func validate() throws {
            for report in reports {
                guard report.hasPrefix("junit="), report.count > "junit=".count else {
                    throw ValidationError("--report '\(report)': expected junit=PATH (the only report format of 'rampart test')")
                }
            }
        }

        func run() throws {
            var results: [PackTestReport] = []
            for pack in packs {
                // `rampart test PolicyPacks/*` also expands to files such as README.md: only directories and
                // .yaml/.yml rule files are packs. Say so rather than failing on the README.
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: pack, isDirectory: &isDirectory), !isDirectory.boolValue,
                   !(pack.hasSuffix(".yaml") || pack.hasSuffix(".yml")) {
                    Terminal.error("rampart: skipping \(pack): not a pack directory or a .yaml rule file")
                    continue
                }
                do { results.append(try PackTestRunner().run(packAt: pack)) } catch { throw RampartError(error) }
            }
            if results.isEmpty { throw RampartError.usage("no pack to test: expected pack directories or .yaml rule files") }
            for result in results { Terminal.write(Array(result.text.utf8)) }
            let xml = PackTestJUnitWriter.xml(results)
            for report in reports {
                let path = String(report.dropFirst("junit=".count))
                do { try Data(xml.utf8).write(to: URL(fileURLWithPath: path)) } catch {
                    throw RampartError.output(file: path, reason: error.localizedDescription)
                }
            }
            if results.contains(where: { !$0.mismatches.isEmpty }) { throw ExitCode(1) }
        }
    }
}
