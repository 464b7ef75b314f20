import ArgumentParser
import Rampart

extension RampartCommand {
    /// `rampart lint [DIR]`
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Lint a Pulumi project's config files and CI workflows: plaintext secrets, static cloud keys, weak secrets providers.",
            discussion: "Reads Pulumi.yaml (honouring stackConfigDir), every Pulumi.<stack>.yaml, .github/workflows/*.yml and .gitlab-ci.yml. Runs the file-based policies of the packs in use (by default builtin:pitfalls and builtin:hardening). --stack NAME lints one stack file (ORG/PROJECT/STACK is accepted too; the organization is kept).")

        @Argument(help: "The Pulumi project directory.")
        var directory: String = "."

        @OptionGroup var common: CommonOptions

        func run() throws {
            Terminal.finish(try Pipeline().run(.project(directory), options: common.runOptions))
        }
    }
}
