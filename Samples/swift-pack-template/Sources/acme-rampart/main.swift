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
    let request = ScanRequest(inputs: inputs, configSearchDirectory: FileManager.default.currentDirectoryPath)
    let report = try Scanner(extraPacks: [AcmePolicies.pack]).run(request)
    FileHandle.standardOutput.write(Data(try ReportWriter().render(report, as: .text)))
    exit(Int32(report.verdict.exitCode))
} catch {
    FileHandle.standardError.write(Data("acme-rampart: error: \(error)\n".utf8))
    exit(2)
}
