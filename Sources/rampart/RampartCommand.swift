import ArgumentParser
import Foundation
import Rampart
import RampartJSON

/// `rampart`: policy-as-code engine and compliance scanner for Pulumi.
@main
struct RampartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rampart",
        abstract: "Policy-as-code engine and compliance scanner for Pulumi stacks.",
        version: RampartVersion.current,
        subcommands: [Scan.self, Lint.self, Audit.self, Test.self, Policies.self, VersionCommand.self],
        defaultSubcommand: nil
    )

    /// Runs the command and maps every failure to docs/product.md §5's exit codes: 2 for anything that stopped the run
    /// as asked (bad flags included), never ArgumentParser's 64.
    static func main() {
        MemoryPages.growHeapsInLargeSteps()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as RampartError {
            Terminal.error("rampart: error: \(error.description)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Terminal.error(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Rampart's version.")
    func run() throws { print("rampart \(RampartVersion.current)") }
}

/// stdout/stderr helpers; the only place output is written.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Ends the process with `code` once a command's output is written, without tearing down its values: freeing a
    /// big scan's report (hundreds of thousands of findings) one object at a time takes longer than the system
    /// reclaiming the whole process.
    static func exit(_ code: Int32) -> Never {
        fflush(nil)
        Foundation.exit(code)
    }

    /// Prints the report meant for stdout and exits with the run's verdict.
    static func finish(_ result: RunResult) -> Never {
        if let stdout = result.stdout { write(stdout) }
        exit(Int32(result.report.verdict.exitCode))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
