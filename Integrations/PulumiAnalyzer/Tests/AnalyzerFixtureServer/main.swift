import Foundation
import RampartAnalyzer

// `rampart-analyzer` with the test packs compiled in (`builtin:fixture-guard`, `builtin:fixture-stack`), so the
// tests can start a real analyzer process without depending on which built-in packs exist.
do {
    let command = try AnalyzerCommand(arguments: Array(CommandLine.arguments.dropFirst()))
    let pack = try AnalyzerPackDirectory(directory: command.directory, compiledPacks: FixturePacks.all)
        .load(overrides: command.options)
    try AnalyzerServer(pack: pack).run { port in
        // Unbuffered: the engine waits for this line before its first call.
        FileHandle.standardOutput.write(Data("\(port)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("rampart-analyzer-fixture: \(error)\n".utf8))
    exit(2)
}
