import AcmePolicies
import Foundation
import Rampart
import RampartPolicy

// acme-rampart INPUT... — scans Pulumi state/preview files with Rampart's built-in packs plus Acme's pack, honours
// rampart.yaml in the current directory, prints the text report and exits like `rampart scan` (0, 1, or 2).
let inputs = Array(CommandLine.arguments.dropFirst())
do {
    // The examples are the pack's tests: refuse to run a pack whose own examples fail.
    for policy in AcmePolicies.pack.policies {
        for example in policy.descriptor.examples where !(try PolicyExampleRunner.run(policy, example: example).passed) {
            FileHandle.standardError.write(Data("acme-rampart: example of \(policy.descriptor.name) failed\n".utf8))
            exit(2)
        }
    }
    let options = RunOptions(configSearchDirectory: FileManager.default.currentDirectoryPath,
                             reports: [ReportTarget(format: .text, path: nil)])
    let result = try Pipeline(extraPacks: [AcmePolicies.pack]).run(.inputs(inputs), options: options)
    FileHandle.standardOutput.write(Data(result.stdout ?? []))
    exit(Int32(result.report.verdict.exitCode))
} catch {
    FileHandle.standardError.write(Data("acme-rampart: error: \(error)\n".utf8))
    exit(2)
}
