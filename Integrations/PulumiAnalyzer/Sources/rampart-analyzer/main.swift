import Foundation
import RampartAnalyzer

// Pulumi starts this as a policy-pack plugin: it reads the port from the first line of stdout, then calls the
// analyzer service. Errors go to stderr, which Pulumi shows when the plugin fails to start.
do {
    let command = try AnalyzerCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    let pack = try AnalyzerPackDirectory(directory: command.directory).load(overrides: command.options)
    try AnalyzerServer(pack: pack).run { port in
        // Unbuffered: the engine waits for this line before its first call.
        FileHandle.standardOutput.write(Data("\(port)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("rampart-analyzer: \(error)\n".utf8))
    exit(2)
}
