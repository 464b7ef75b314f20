import Foundation
import Testing

/// The labelled real-world set (docs/detection.md): every finding Rampart reports on `../shared/samples/realworld`
/// — files written by other people, never copied into this repository — must be judged in
/// `Fixtures/labelled/realworld-judgements.json`, with no mandatory false positive, precision ≥ 0.95 and recall not
/// below the unmodified build's. Skipped, with the reason shown, where the corpus is not checked out beside the
/// repository; the classes it measures are covered everywhere by fixtures of our own (`PrecisionClassTests`).
@Suite(.enabled(if: RealWorldCorpus.isPresent, "the real-world corpus ../shared/samples/realworld is not present"))
struct RealWorldPrecisionTests {
    @Test func everyFindingIsJudgedAndNoFalseOneWouldFailAGate() throws {
        let judged = try RealWorldCorpus.judgements()
        let findings = try RealWorldCorpus.findings()
        #expect(findings.count > 300, "the corpus should produce hundreds of findings; got \(findings.count)")
        let byKey = Dictionary(judged.entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var truePositives = 0, falsePositives = 0
        var reported = Set<RealWorldCorpus.Key>()
        for finding in findings {
            // Only a `true` or `false` verdict judges a reported finding (`miss` and `superseded` entries do not).
            guard let entry = byKey[finding.key], ["true", "false"].contains(entry.verdict) else {
                Issue.record("finding not judged: \(finding.key) [\(finding.level)] \(finding.message)")
                continue
            }
            reported.insert(finding.key)
            if entry.verdict == "true" {
                truePositives += 1
            } else {
                falsePositives += 1
                #expect(finding.level != "mandatory", "mandatory false positive: \(finding.key): \(finding.message)")
            }
        }
        let missed = judged.entries.filter { $0.verdict == "miss" || ($0.verdict == "true" && !reported.contains($0.key)) }.count
        let precision = Double(truePositives) / Double(max(1, truePositives + falsePositives))
        let recall = Double(truePositives) / Double(max(1, truePositives + missed))
        #expect(precision >= 0.95, "precision \(precision): \(falsePositives) false of \(truePositives + falsePositives)")
        #expect(recall >= judged.baselineRecall, "recall \(recall) fell below the unmodified build's \(judged.baselineRecall)")
    }
}

/// Runs the `rampart` binary over the corpus the way `Benchmarks/detection/measure.py` does (keep the two in step).
enum RealWorldCorpus {
    static let root = CLIProcess.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/realworld")
    static let judgementsFile = CLIProcess.repositoryRoot.appendingPathComponent("Tests/RampartTests/Fixtures/labelled/realworld-judgements.json")
    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("SOURCES.md").path) }
    /// Projects whose Pulumi.yaml sits in a subfolder, with the workflows one level up (SOURCES.md).
    static let lintSubdirectories = ["comsysto-pulumi-lab": "pulumi", "rssfilter": "pulumi"]

    struct Key: Hashable, CustomStringConvertible {
        var input: String, policy: String, subject: String
        var description: String { "\(input) | \(policy) | \(subject)" }
    }

    struct Entry {
        var key: Key
        var verdict: String
    }

    struct Finding {
        var key: Key
        var level: String
        var message: String
    }

    static func judgements() throws -> (entries: [Entry], baselineRecall: Double) {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: judgementsFile)) as? [String: Any]
        let list = try #require(object?["judgements"] as? [[String: Any]])
        let baseline = try #require((object?["baseline"] as? [String: Any])?["recall"] as? Double)
        let entries = try list.map { item in
            Entry(key: Key(input: try #require(item["input"] as? String), policy: try #require(item["policy"] as? String),
                           subject: try #require(item["subject"] as? String)),
                  verdict: try #require(item["verdict"] as? String))
        }
        return (entries, baseline)
    }

    static func findings() throws -> [Finding] {
        var runs: [(input: String, command: String, path: URL, base: URL)] = []
        let files = FileManager.default
        for folder in ["state", "events"] {
            let directory = root.appendingPathComponent(folder)
            for name in try files.contentsOfDirectory(atPath: directory.path).sorted() {
                runs.append(("\(folder)/\(name)", "scan", directory.appendingPathComponent(name), directory))
            }
        }
        let lint = root.appendingPathComponent("lint")
        for name in try files.contentsOfDirectory(atPath: lint.path).sorted() {
            let project = lint.appendingPathComponent(name)
            let directory = lintSubdirectories[name].map { project.appendingPathComponent($0) } ?? project
            runs.append(("lint/\(name)", "lint", directory, project))
        }
        var findings: [Finding] = []
        for run in runs {
            let result = try CLIProcess.run([run.command, run.path.path, "--report", "json", "--quiet"], timeout: 120)
            #expect(!result.crashed && !result.timedOut, "\(run.input) crashed or hung")
            // A refused input (exit 2, located error on stderr) has no report and no findings.
            guard let report = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                  let list = report["findings"] as? [[String: Any]] else { continue }
            for finding in list where finding["outcome"] as? String == "violation" {
                let policy = "\(finding["pack"] as? String ?? "")/\(finding["policy"] as? String ?? "")"
                findings.append(Finding(key: Key(input: run.input, policy: policy, subject: subject(finding, base: run.base)),
                                        level: finding["enforcementLevel"] as? String ?? "",
                                        message: finding["message"] as? String ?? ""))
            }
        }
        return findings
    }

    /// The resource URN, else `FILE:LINE` relative to the input's directory, else `stack NAME`.
    static func subject(_ finding: [String: Any], base: URL) -> String {
        if let urn = finding["urn"] as? String { return urn }
        if let location = finding["location"] as? [String: Any], var file = location["file"] as? String {
            let prefix = base.standardizedFileURL.path + "/"
            if file.hasPrefix(prefix) { file.removeFirst(prefix.count) }
            return "\(file):\(location["line"] as? Int ?? 0)"
        }
        return "stack \(finding["stack"] as? String ?? "")"
    }
}
