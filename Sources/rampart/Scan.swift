import ArgumentParser
import Rampart
import RampartInputs

extension RampartCommand {
    /// `rampart scan INPUT...`
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Evaluate policy packs over Pulumi state exports, checkpoints, previews or a backend directory.")

        @Argument(help: "State exports, checkpoints (.json, .json.gz), preview JSON, engine event logs, directories, or remote locations: pulumi://ORG[/PROJECT[/STACK]], s3://BUCKET[/PREFIX], gs://BUCKET[/PREFIX].")
        var inputs: [String]

        @OptionGroup var common: CommonOptions

        @OptionGroup(title: "Remote inputs") var remote: RemoteOptions

        @Option(help: "Refuse a stack holding more resources than this (exit 2). Default: 10000000.")
        var maxResources: Int = InputReader.defaultMaxResources

        func validate() throws {
            if maxResources < 1 { throw ValidationError("--max-resources must be at least 1, got \(maxResources)") }
        }

        func run() throws {
            let progress = ProgressIndicator.make(quiet: common.quiet)
            let result = try Pipeline(reader: InputReader(maxResources: maxResources), remote: remote.backends(observer: progress))
                .run(.inputs(inputs), options: common.runOptions, observer: progress)
            progress?.finish()
            Terminal.finish(result)
        }
    }
}
