import Foundation
import Testing

/// Runs the real CLI over every file of the hostile-input corpus (Fixtures/hostile, listed in manifest.tsv): each
/// must give exit 2 with one located `rampart: error:` line, or a clean run — never a crash, a hang or a stack trace.
@Suite struct HostileCorpusTests {
    struct Entry: CustomTestStringConvertible, Sendable {
        var path: String
        /// nil: `rampart scan PATH`; a state path: `rampart scan STATE --pack PATH`.
        var packState: String?
        /// `rampart lint PATH` (a project directory; messages name its Pulumi.dev.yaml).
        var lint = false
        var mustFail: Bool
        var fragment: String
        var testDescription: String { path }
    }

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    static let entries: [Entry] = {
        guard let text = try? String(contentsOf: corpus.appendingPathComponent("manifest.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let command = fields[1]
            return Entry(path: fields[0], packState: command.hasPrefix("pack=") ? String(command.dropFirst(5)) : nil,
                         lint: command == "lint", mustFail: fields[2] == "2", fragment: fields.count > 3 ? fields[3] : "")
        }
    }()

    @Test func manifestCoversEveryCorpusFileAndHoldsAtLeastFifty() throws {
        #expect(Self.entries.count >= 50)
        let listed = Set(Self.entries.map(\.path))
        let enumerator = try #require(FileManager.default.enumerator(atPath: Self.corpus.path))
        var onDisk = Set<String>()
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasPrefix("state/") || relative.hasPrefix("preview/") || relative.hasPrefix("rules/") else {
                if relative.hasPrefix("packs/") || relative.hasPrefix("lint/"), relative.split(separator: "/").count == 2 { onDisk.insert(relative) }
                continue
            }
            if relative.split(separator: "/").count == 2 { onDisk.insert(relative) }
        }
        #expect(onDisk.subtracting(listed).sorted() == [], "corpus files missing from manifest.tsv")
        #expect(listed.subtracting(onDisk).sorted() == [], "manifest.tsv lists files that do not exist")
    }

    @Test(arguments: entries)
    func corpusFileIsRejectedOrScannedCleanly(_ entry: Entry) throws {
        let target = Self.corpus.appendingPathComponent(entry.path).path
        var arguments = [entry.lint ? "lint" : "scan"]
        if let state = entry.packState {
            arguments += [Self.corpus.appendingPathComponent(state).path, "--pack", target]
        } else {
            arguments += [target]
        }
        arguments += ["--quiet"] + (entry.mustFail ? [] : ["--report", "json"])
        let result = try CLIProcess.run(arguments)
        #expect(!result.timedOut, "no answer within 10 s")
        #expect(!result.crashed, "died of a signal: \(result.stderr.prefix(500))")
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "AddressSanitizer", "Illegal instruction"] {
            #expect(!result.stderr.contains(marker))
        }
        if entry.mustFail {
            #expect(result.exitCode == 2)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "expected one error line, got \(lines.count)")
            let line = String(lines.first ?? "")
            #expect(line.hasPrefix("rampart: error: "))
            #expect(line.contains(entry.lint ? entry.path + "/Pulumi.dev.yaml" : (entry.path as NSString).lastPathComponent), "the message names the file")
            #expect(line.contains(entry.fragment), "message: \(line.prefix(300))")
            #expect(result.stdout.isEmpty)
        } else {
            #expect(result.exitCode == 0 || result.exitCode == 1, "stderr: \(result.stderr.prefix(300))")
            #expect(result.stderr.isEmpty)
            if !entry.fragment.isEmpty { #expect(result.stdout.contains(entry.fragment)) }
        }
    }
}
