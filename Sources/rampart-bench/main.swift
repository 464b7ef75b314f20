import Foundation
import Rampart
import RampartBuiltins
import RampartEngine
import RampartInputs
import RampartJSON
import RampartModel
import RampartPolicy
import RampartReports
import RampartBenchKit

// rampart-bench: deterministic synthetic inputs, one measurement per line.
// Run with `swift run -c release rampart-bench [--sizes 1000,10000,100000] [--jobs N]`.

// The allocator as the CLI sets it, so the phases are timed as `rampart` runs them.
MemoryPages.growHeapsInLargeSteps()
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let sizes = (option("--sizes") ?? "1000,10000,100000").split(separator: ",").compactMap { Int($0) }
let jobs = Int(option("--jobs") ?? "") ?? Parallel.availableCores

/// A report writer as `rampart scan --jobs` makes one: long lists of findings rendered on `jobs` threads.
func benchReportWriter() -> ReportWriter {
    var writer = ReportWriter(options: ReportOptions(color: false))
    writer.jobs = jobs
    return writer
}
let repeats = Int(option("--repeats") ?? "") ?? 5
let backendStacks = Int(option("--backend-stacks") ?? "") ?? 1000

/// Best wall time of `repeats` runs, in seconds.
func best<T>(_ repeats: Int, _ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
    try best(repeats, preparing: {}) { _ in try body() }
}

/// Best wall time of `repeats` runs of `body`, in seconds, each on an input `prepare` makes before the clock starts.
func best<Input, T>(_ repeats: Int, preparing prepare: () -> Input,
                    _ body: (inout Input) throws -> T) rethrows -> (seconds: Double, value: T) {
    var bestTime = Double.infinity
    // Results stay alive until all runs are timed, so freeing one run's result is not charged to the next.
    var kept: [T] = []
    for _ in 0..<max(1, repeats) {
        var input = prepare()
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body(&input)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if elapsed < bestTime { bestTime = elapsed }
        kept.append(value)
    }
    return (bestTime, kept.removeLast())
}

/// `best` over runs that each take a fresh copy of `bytes`, made before the clock starts: a parse takes its input's
/// storage and compacts it in place (`JSONDocument.parse(taking:)`), as `rampart scan` does with the file it read;
/// handing it an array the benchmark still holds would time a copy of the whole input first.
func bestOnCopies<T>(_ repeats: Int, of bytes: [UInt8], _ body: (inout [UInt8]) throws -> T) rethrows -> (seconds: Double, value: T) {
    try best(repeats, preparing: {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            _ = buffer.initialize(from: bytes)
            count = bytes.count
        }
    }, body)
}

/// The array, moved out of `bytes` (left empty), so the one who receives it holds the only reference.
func taking(_ bytes: inout [UInt8]) -> [UInt8] {
    var taken: [UInt8] = []
    swap(&taken, &bytes)
    return taken
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / (1024 * 1024)  // and in bytes on macOS
    #endif
}

func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

let workDir = option("--dir") ?? FileManager.default.temporaryDirectory.appendingPathComponent("rampart-bench").path
try? FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)

/// `--estates compliant,dense` (the default: both): which estates `--generate` writes and `--phases` measures.
let wantedEstates = Set((option("--estates") ?? "compliant,dense").split(separator: ",").map(String.init))

/// The two estates of the side-by-side comparison (Benchmarks/round-four/compare.sh).
func estateFiles(_ size: Int) -> (compliant: String, dense: String) {
    (workDir + "/state-\(size)-compliant.json", workDir + "/state-\(size).json")
}

// `--generate`: write the inputs of the side-by-side comparison and stop, so the processes it times read files
// that no measurement in this process has touched.
if arguments.contains("--generate") {
    let pack = try YAMLPolicies.writePack(count: 100, to: workDir)
    // A million-resource dense estate is 2 GB nobody may need: `--estates` picks.
    for size in sizes {
        let files = estateFiles(size)
        for (name, path) in [("compliant", files.compliant), ("dense", files.dense)] where wantedEstates.contains(name) {
            let bytes = name == "compliant"
                ? SyntheticState().export(resourceCount: size, estate: .mostlyCompliant(misconfiguredPercent: 3))
                : SyntheticState().export(resourceCount: size)
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            line(String(format: "generated %@ (%.1f MB)", path, Double(bytes.count) / 1_000_000))
        }
    }
    line("generated \(pack)")
    exit(0)
}

// `--phases`: the phases of the two comparison scans, in this process — JSON parse, graph build, evaluation, and
// findings (building the report value and rendering it as JSON) — for the compliant estate with the 100-policy
// YAML pack and the dense estate with the default packs, as `rampart scan` runs them (`--estates` picks).
if arguments.contains("--phases") {
    let yamlPack = try PackLoader().load([try YAMLPolicies.writePack(count: 100, to: workDir)])
    for size in sizes {
        var estates: [(name: String, bytes: [UInt8], packs: [PolicyPack])] = []
        if wantedEstates.contains("compliant") {
            estates.append(("compliant, 100 YAML", SyntheticState().export(resourceCount: size, estate: .mostlyCompliant(misconfiguredPercent: 3)), yamlPack))
        }
        if wantedEstates.contains("dense") {
            estates.append(("dense, default packs", SyntheticState().export(resourceCount: size), PackLoader().defaultPacks()))
        }
        for estate in estates {
            let label = String(format: "[%7d %@]", size, estate.name)
            let mb = Double(estate.bytes.count) / 1_000_000
            // Parsed as `InputReader` parses (parsed and compacted on `jobs` threads), so the graph figure is the rest of a read.
            let parse = try bestOnCopies(repeats, of: estate.bytes) {
                try JSONDocument.parse(taking: &$0, marking: PulumiSignature.marked, compaction: .automatic, workers: jobs)
            }
            let read = try bestOnCopies(repeats, of: estate.bytes) { input in
                try InputReader(jobs: jobs).read(bytes: taking(&input), source: InputSource(path: "bench.json"))
            }
            let graph = max(0, read.seconds - parse.seconds)
            line(String(format: "%@ input %.1f MB · parse %.1f ms (%.0f MB/s) · graph %.1f ms (%.2f× parse, %.2f µs/resource)", label, mb,
                        parse.seconds * 1000, mb / parse.seconds, graph * 1000, graph / parse.seconds, graph * 1e6 / Double(size)))
            // Reading the file (from the page cache, as a rescan does), by `jobs` threads as `rampart scan` does, and by one.
            let file = workDir + "/phase-input.json"
            _ = FileManager.default.createFile(atPath: file, contents: Data(estate.bytes))
            let fileRead = try best(repeats) { try FileLoader.read(file, sizeLimit: InputSizeLimit(), readers: jobs).count }
            let fileReadByOne = try best(repeats) { try FileLoader.read(file, sizeLimit: InputSizeLimit(), readers: 1).count }
            // The stack from the file, as `rampart scan` reads it (a large file through a mapping, `MappedFile`), and
            // from the same file read into memory first.
            let source = InputSource(path: file)
            let mappedStack = try best(repeats) { try InputReader(jobs: jobs).read(source).graph.resources.count }
            let readStack = try best(repeats) { () throws -> Int in
                let bytes = try FileLoader.read(file, sizeLimit: InputSizeLimit(), readers: jobs)
                return try InputReader(jobs: jobs).read(bytes: bytes, source: source).graph.resources.count
            }
            try? FileManager.default.removeItem(atPath: file)
            line(String(format: "%@ file read %.1f ms (%.0f MB/s) by %d threads, %.1f ms (%.0f MB/s) by one", label,
                        fileRead.seconds * 1000, mb / fileRead.seconds, jobs, fileReadByOne.seconds * 1000, mb / fileReadByOne.seconds))
            line(String(format: "%@ stack from the file %.1f ms as scan reads it (mapped when large), %.1f ms read first",
                        label, mappedStack.seconds * 1000, readStack.seconds * 1000))
            let engine = Engine(packs: estate.packs, options: EngineOptions(jobs: jobs, failOn: .mandatory, today: "2026-11-26",
                                                                            recordEvaluations: false))
            let evaluation = best(repeats) { engine.evaluate(read.value) }
            // Evaluations that applied (passes, violations, indeterminate, errors, exempted), as the report counts them.
            let evaluations = evaluation.value.counts.values.reduce(0) { $0 + $1.pass + $1.violation + $1.indeterminate + $1.error + $1.exempted }
            let findings = evaluation.value.findings.count
            let findingsTime = try best(repeats) { () throws -> Int in
                let report = engine.report([evaluation.value], inputs: ["bench.json"], tool: ToolInfo(version: RampartVersion.current),
                                           timestamp: "2026-11-26T00:00:00Z")
                return try benchReportWriter().render(report, as: .json).count
            }
            // The same, written as `rampart scan --report json=/dev/null` writes it: streamed out in chunks while it
            // is rendered, never held whole.
            let streamedTime = try best(repeats) { () throws -> Int in
                let report = engine.report([evaluation.value], inputs: ["bench.json"], tool: ToolInfo(version: RampartVersion.current),
                                           timestamp: "2026-11-26T00:00:00Z")
                _ = try benchReportWriter().write(report, to: [ReportTarget(format: .json, path: "/dev/null")])
                return report.findings.count
            }
            let perFinding = { (seconds: Double) in findings > 0 ? seconds * 1e6 / Double(findings) : 0 }
            line(String(format: "%@ evaluation %.1f ms (%d evaluations, %.2f M/s) · findings %.1f ms (%d findings, %.2f µs each, json %.1f MB) · streamed to /dev/null %.1f ms (%.2f µs each)",
                        label, evaluation.seconds * 1000, evaluations, Double(evaluations) / evaluation.seconds / 1e6,
                        findingsTime.seconds * 1000, findings, perFinding(findingsTime.seconds),
                        Double(findingsTime.value) / 1_000_000, streamedTime.seconds * 1000, perFinding(streamedTime.seconds)))
        }
    }
    line(String(format: "peak RSS of this process: %.0f MB", peakRSSMegabytes()))
    exit(0)
}
let packs = BuiltinPacks.all
let policyCount = packs.reduce(0) { $0 + $1.policies.count }
/// Figures for the one summary line at the end (CI greps it; it never fails on them).
var summary: [String] = []
line("rampart-bench: jobs=\(jobs), built-in packs=\(packs.count) (\(policyCount) policies), repeats=\(repeats)")

for size in sizes {
    let bytes = SyntheticState().export(resourceCount: size)
    let mb = Double(bytes.count) / 1_000_000
    line(String(format: "[%7d resources] input %.1f MB", size, mb))

    let parse = try bestOnCopies(repeats, of: bytes) { try JSONDocument.parse(taking: &$0, compaction: .automatic, workers: jobs) }
    summary.append(String(format: "read%d=%.0fMB/s", size, mb / parse.seconds))
    line(String(format: "[%7d resources] json read: %.1f ms, %.0f MB/s (tape %.0f%% of input)", size,
                parse.seconds * 1000, mb / parse.seconds, 100 * Double(parse.value.tapeByteCount) / Double(bytes.count)))

    let reader = InputReader()
    let read = try bestOnCopies(repeats, of: bytes) { input in try reader.read(bytes: taking(&input), source: InputSource(path: "bench.json")) }
    let graphSeconds = max(0, read.seconds - parse.seconds)
    line(String(format: "[%7d resources] graph build: %.1f ms (read+graph %.1f ms, %.0f MB/s)", size,
                graphSeconds * 1000, read.seconds * 1000, mb / read.seconds))

    if arguments.contains("--only-read") {
        line(String(format: "[%7d resources] peak RSS so far: %.0f MB (%.2f× this input)", size, peakRSSMegabytes(), peakRSSMegabytes() / mb))
        continue
    }
    let stack = read.value
    let engine = Engine(packs: packs, options: EngineOptions(jobs: jobs, failOn: .mandatory, today: "2026-11-26"))
    let evaluation = best(repeats) { engine.evaluate(stack) }
    let evaluations = evaluation.value.evaluations.count
    line(String(format: "[%7d resources] evaluate built-ins: %.1f ms (%d evaluations, %d findings, %.1f M evals/s)", size,
                evaluation.seconds * 1000, evaluations, evaluation.value.findings.count,
                Double(evaluations) / evaluation.seconds / 1e6))

    if let yamlPath = try? YAMLPolicies.writePack(count: 100, to: workDir),
       let yamlPack = try? PackLoader().load([yamlPath]) {
        let yamlEngine = Engine(packs: yamlPack, options: EngineOptions(jobs: jobs, failOn: .mandatory, today: "2026-11-26"))
        let yaml = best(repeats) { yamlEngine.evaluate(stack) }
        line(String(format: "[%7d resources] evaluate 100 YAML policies: %.1f ms (%d evaluations, %d findings)", size,
                    yaml.seconds * 1000, yaml.value.evaluations.count, yaml.value.findings.count))
    }
    if let ebsPath = try? YAMLPolicies.writeEBSPack(to: workDir), let ebsYAML = try? PackLoader().load([ebsPath]) {
        let swiftPack = PolicyPack(name: "bench-swift", version: "1", description: "", policies: [YAMLPolicies.swiftEBSEncrypted], origin: "bench")
        let one = EngineOptions(jobs: 1, failOn: .mandatory, today: "2026-11-26")
        let yamlTime = best(repeats) { Engine(packs: ebsYAML, options: one).evaluate(stack) }
        let swiftTime = best(repeats) { Engine(packs: [swiftPack], options: one).evaluate(stack) }
        line(String(format: "[%7d resources] one rule, YAML vs Swift (1 job): %.1f ms vs %.1f ms, ratio %.2f (%d evaluations each)", size,
                    yamlTime.seconds * 1000, swiftTime.seconds * 1000, yamlTime.seconds / swiftTime.seconds,
                    yamlTime.value.evaluations.count))
    }

    let report = engine.report([evaluation.value], inputs: ["bench.json"], tool: ToolInfo(version: RampartVersion.current),
                               timestamp: "2026-11-26T00:00:00Z")
    for format in ReportFormat.allCases where !arguments.contains("--no-reports") {
        let writer = benchReportWriter()
        guard let rendered = try? best(max(1, repeats / 2), { try writer.render(report, as: format) }) else {
            line("[\(size) resources] report \(format.rawValue): not available")
            continue
        }
        line(String(format: "[%7d resources] report %@: %.1f ms, %.1f MB", size, format.rawValue,
                    rendered.seconds * 1000, Double(rendered.value.count) / 1_000_000))
    }

    // End to end as the command line runs it: read the file, evaluate, build the report, write it as JSON.
    func endToEnd(_ path: String, packs: [String]) throws -> (seconds: Double, findings: Int) {
        // Like the command line, record per-evaluation data only if the report format reads it.
        let target = ReportTarget(format: .json, path: workDir + "/report-\(size).json")
        var options = RunOptions(packs: packs, reports: [target], jobs: jobs, today: "2026-11-26",
                                 timestamp: "2026-11-26T00:00:00Z")
        options.reportOptions = ReportOptions(color: false)
        let run = try best(repeats) { () throws -> Int in
            try Pipeline().run(.inputs([path]), options: options).report.findings.count
        }
        return (run.seconds, run.value)
    }
    let path = workDir + "/state-\(size).json"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    let builtins = try endToEnd(path, packs: [])
    line(String(format: "[%7d resources] end to end, all built-ins (read file, evaluate, write json report): %.1f ms (%d findings)",
                size, builtins.seconds * 1000, builtins.findings))
    summary.append(String(format: "e2e%d=%.0fms", size, builtins.seconds * 1000))
    if let yamlPath = try? YAMLPolicies.writePack(count: 100, to: workDir) {
        let mixed = try endToEnd(path, packs: [yamlPath])
        line(String(format: "[%7d resources] end to end, 100 YAML policies: %.1f ms (%d findings)", size, mixed.seconds * 1000, mixed.findings))
        let compliantPath = workDir + "/state-\(size)-compliant.json"
        _ = FileManager.default.createFile(
            atPath: compliantPath,
            contents: Data(SyntheticState().export(resourceCount: size, estate: .mostlyCompliant(misconfiguredPercent: 3))))
        let compliant = try endToEnd(compliantPath, packs: [yamlPath])
        line(String(format: "[%7d resources] end to end, 100 YAML policies, mostly compliant estate (3%% misconfigured): %.1f ms (%d findings)",
                    size, compliant.seconds * 1000, compliant.findings))
        summary.append(String(format: "e2eYAML%d=%.0fms", size, mixed.seconds * 1000))
        summary.append(String(format: "e2eYAMLCompliant%d=%.0fms", size, compliant.seconds * 1000))
    }
    line(String(format: "[%7d resources] peak RSS so far: %.0f MB (%.2f× this input)", size, peakRSSMegabytes(), peakRSSMegabytes() / mb))
}

if backendStacks > 0 {
    let root = workDir + "/backend-\(backendStacks)"
    let stacksDir = root + "/.pulumi/stacks/bench"
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: stacksDir, withIntermediateDirectories: true)
    let generator = SyntheticState()
    var total = 0
    for i in 0..<backendStacks {
        let bytes = generator.export(resourceCount: 20 + (i % 80), seed: UInt64(i))
        total += bytes.count
        _ = FileManager.default.createFile(atPath: stacksDir + "/stack-\(i).json", contents: Data(bytes))
    }
    let options = RunOptions(jobs: jobs, recordEvaluations: false, today: "2026-11-26", timestamp: "2026-11-26T00:00:00Z")
    let scan = try best(1) { try Pipeline().run(.inputs([root]), options: options).report }
    line(String(format: "[backend] %d stacks, %.1f MB: scanned in %.2f s (%d findings), peak RSS %.0f MB", backendStacks,
                Double(total) / 1_000_000, scan.seconds, scan.value.findings.count, peakRSSMegabytes()))
    summary.append(String(format: "backend%d=%.2fs", backendStacks, scan.seconds))
}
line("rampart-bench summary: " + summary.joined(separator: " "))
