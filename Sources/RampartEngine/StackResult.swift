import Foundation
import RampartModel
import RampartPolicy

/// What one stack's evaluation produced, with stack-local indexes. Holds no input bytes, so a scan of many stacks
/// keeps only these while each stack's graph is released.
public struct StackResult: Sendable {
    public var summary: StackSummary
    public var findings: [Finding]
    /// Evaluations with `stack` = 0, `pack`/`policy` = indexes in the engine's pack list, `finding` = index into
    /// `findings`.
    public var evaluations: [Evaluation]
    public var counts: [PolicyKey: OutcomeCounts]
    public var levels: [PolicyKey: EnforcementLevel]
    public var appliedExemptions: [ExemptionRecord]
    public var notices: [ReportNotice]
}

/// The parts of a plan entry every one of its findings repeats.
struct EntryFacts: Sendable {
    /// Shared by every finding of the entry (one allocation per entry, not one set of strings per finding).
    let origin: Finding.Origin
    let level: EnforcementLevel
    let fingerprintSeed: Fingerprint.Lanes
}

/// What every finding on one resource shares.
struct ResourceFindingFacts: Sendable {
    /// Its `rampart:exempt` tag (read only for resources with a violation).
    var tag: TagExemption?
    /// Where the program declares it (`sourcePosition`), the location of findings whose policy gives none.
    var location: SourceLocation?
}

/// `ResourceFindingFacts` of the resources that have some, by graph index: one 32-bit slot per resource rather
/// than an optional record per resource.
struct ResourceFindingFactsTable: Sendable {
    /// Per graph index: the position in `facts`, or -1.
    private let slots: [Int32]
    private let facts: [ResourceFindingFacts]

    init(count: Int, found: some Sequence<(Int, ResourceFindingFacts)>) {
        var slots = [Int32](repeating: -1, count: count)
        var facts: [ResourceFindingFacts] = []
        for (index, fact) in found {
            slots[index] = Int32(facts.count)
            facts.append(fact)
        }
        self.slots = slots
        self.facts = facts
    }

    /// nil for a stack-level finding (`index` -1) and for resources without facts.
    subscript(index: Int) -> ResourceFindingFacts? {
        guard index >= 0, index < slots.count else { return nil }
        let slot = slots[index]
        return slot < 0 ? nil : facts[Int(slot)]
    }
}

/// What assembling a stack's findings reads of the stack itself, taken before the assembly starts so that the
/// stack (input bytes, tape, resources) can be freed first.
struct StackFacts: Sendable {
    let identity: StackIdentity
    let name: String
    let source: String
    let kind: String
    let resourceCount: Int
    /// The reader's notices, not yet redacted.
    let notices: [InputNotice]
}

/// Turns raw outcomes into findings, counts and evaluation records for one stack.
///
/// Outcomes are sorted once, then cut into contiguous runs that are assembled on separate workers, each writing its
/// own slice of the final arrays, so the result is the same for any job count. Everything the assembly reads of the
/// stack is read first (`prepare`): the `StackAssembly` it returns holds no reference to the stack.
struct ResultAssembler: Sendable {
    let engine: Engine
    let plan: EvaluationPlan
    let stack: Stack

    /// Longest message kept in a report; longer ones are cut with a note.
    static let maxMessageLength = 2000
    /// Fewest outcomes worth a worker of their own.
    static let outcomesPerChunk = 8192

    func assemble(_ raw: RawOutcomes) -> StackResult {
        prepare(raw).assemble(raw)
    }

    /// Reads from the stack what assembling `raw` needs: the evaluated resources' names, the tags and locations
    /// of resources with findings, the stack's secrets, name and notices.
    func prepare(_ raw: RawOutcomes) -> StackAssembly {
        let graph = stack.graph
        // Only resources some policy evaluated get a reference, in URN order; evaluations index into that list.
        let (urnRank, refs) = ResultAssembler.evaluatedResources(graph, raw, jobs: engine.options.jobs)

        // Deterministic order: pack, policy, resource URN (stack-level first), then the policy's own order. Plan
        // entries are already sorted by (pack, policy), so one integer key per outcome sorts them without comparing
        // strings or moving outcomes around. `keyed` pairs each key with the outcome's place in `positions`
        // (evaluation order). The one pass over the outcomes, in the order they were made, also notes which make
        // findings and which resources have some.
        let positions = raw.positions
        var keyed: [(UInt64, Int)] = []
        keyed.reserveCapacity(positions.count)
        var makesFinding = [Bool](repeating: false, count: positions.count)
        var marks = [UInt8](repeating: 0, count: graph.count)
        var carriesText = false
        raw.forEachInPlace { flat, item in
            let resource = item.pointee.resource
            keyed.append((UInt64(item.pointee.entry) << 40 | (resource < 0 ? 0 : UInt64(urnRank[resource]) + 1), flat))
            let mark: UInt8
            switch item.pointee.kind {
            case .pass: return
            case .notApplicable:
                carriesText = true
                return
            case .violation: mark = 2
            case .indeterminate, .error: mark = 1
            }
            carriesText = true
            makesFinding[flat] = true
            if resource >= 0 { marks[resource] = max(marks[resource], mark) }
        }
        keyed = ResultAssembler.sortedByEntry(keyed, entryCount: plan.entries.count, jobs: engine.options.jobs)
        // Every secret of the stack (a policy may quote any resource it joined). Asked for before the workers start,
        // and only when some outcome carries text or the reader left notices; a large stack's were collected during
        // its evaluation (`StackEvaluator.collectsSecrets`).
        let redactor = carriesText || !stack.notices.isEmpty ? SecretRedactor.of(stack, workers: engine.options.jobs) : SecretRedactor(secrets: [])

        // Every violation, indeterminate or error outcome is one finding, numbered in report order; its outcome is
        // assembled in evaluation order (see `StackAssembly`) and written straight to its place.
        let recordsEvaluations = engine.options.recordEvaluations
        var placement = OutcomePlacement(count: positions.count, recordsEvaluations: recordsEvaluations)
        for (place, (_, flat)) in keyed.enumerated() {
            if recordsEvaluations { placement.reportPositions[flat] = Int32(place) }
            guard makesFinding[flat] else { continue }
            placement.findings[flat] = Int32(placement.findingCount)
            placement.findingCount += 1
        }
        let chunkCount = Parallel.taskCount(items: positions.count, workers: engine.options.jobs, minimum: ResultAssembler.outcomesPerChunk)
        let ranges = (0..<chunkCount).map { Parallel.slice($0, of: chunkCount, items: positions.count) }
        let stackName = stack.identity == plan.prepared.identity ? plan.prepared.stackName : stack.identity.description
        let facts = StackFacts(identity: stack.identity, name: stackName, source: stack.source, kind: stack.kind.rawValue,
                               resourceCount: graph.count, notices: stack.notices)
        let context = AssemblyContext(engine: engine, plan: plan, raw: raw, positions: positions, placement: placement,
                                      urnRank: urnRank, refs: refs,
                                      redactor: redactor, entryIndexes: plan.prepared.entryIndexes,
                                      resourceFacts: resourceFindingFacts(of: marks), stack: facts,
                                      facts: entryFacts(stackName: stackName))
        return StackAssembly(context: context, ranges: ranges)
    }

    /// What the findings of each resource with findings share, read once per resource rather than once per
    /// finding, and spread across the workers. `marks`: 0 no finding, 1 some finding, 2 some violation (only
    /// violations read `rampart:exempt` tags).
    private func resourceFindingFacts(of marks: [UInt8]) -> ResourceFindingFactsTable {
        let indexes = marks.indices.filter { marks[$0] != 0 }
        guard !indexes.isEmpty else { return ResourceFindingFactsTable(count: 0, found: []) }
        let graph = stack.graph
        let chunkCount = Parallel.taskCount(items: indexes.count, workers: engine.options.jobs, minimum: 1024)
        let found = Parallel.map(chunkCount, workers: engine.options.jobs) { chunk -> [(Int, ResourceFindingFacts)] in
            indexes[Parallel.slice(chunk, of: chunkCount, items: indexes.count)].compactMap { index in
                let resource = graph.resources[index]
                let tag = marks[index] == 2 ? TagExemption.declared(by: resource) : nil
                let location = resource.sourcePosition.map { SourceLocation(file: $0.path, line: $0.line, column: $0.column) }
                guard tag != nil || location != nil else { return nil }
                return (index, ResourceFindingFacts(tag: tag, location: location))
            }
        }
        return ResourceFindingFactsTable(count: marks.count, found: found.joined())
    }

    /// The resources that appear in `raw`, sorted by URN, with each graph index's position in that order (-1 for
    /// resources no policy looked at). Sorting and naming only these keeps the cost proportional to the work done.
    ///
    /// The work is spread over `jobs` workers, each on its own slice: the first read of each resource record is
    /// most of the cost, and retaining strings made on another thread is the next. Each worker reads its
    /// resources once, making their references in place and keeping their URNs' bytes; sorts its slice; and moves
    /// the references into their sorted places, so no reference is copied or released on one thread.
    /// - Parameter minimumPerTask: fewest resources worth a worker of their own (tests make it small).
    static func evaluatedResources(_ graph: ResourceGraph, _ raw: RawOutcomes, jobs: Int,
                                   minimumPerTask: Int = evaluatedPerChunk) -> (rank: [Int], refs: [ResourceRef]) {
        var used = [Bool](repeating: false, count: graph.count)
        raw.forEachInPlace { _, item in
            let resource = item.pointee.resource
            if resource >= 0 { used[resource] = true }
        }
        let resources = graph.resources
        let indexes = resources.indices.filter { used[$0] }
        let count = indexes.count
        // One resource (an analyzer call's) is in order as it is: no sort keys, slices or moves.
        if count < 2 {
            var rank = [Int](repeating: -1, count: graph.count)
            let refs = indexes.map { index in
                rank[index] = 0
                let resource = resources[index]
                return ResourceRef(urn: resource.urn.rawValue, type: resource.type, name: resource.name)
            }
            return (rank, refs)
        }
        let tasks = Parallel.taskCount(items: count, workers: jobs, minimum: minimumPerTask)
        // The references by position in `indexes`, made by the workers and moved out again below.
        let named = EvaluatedRefs(UnsafeMutablePointer<ResourceRef>.allocate(capacity: Swift.max(count, 1)))
        defer { named.base.deallocate() }
        let keys = URNSortKeys(parts: Parallel.map(tasks, workers: jobs) { task in
            var part = URNSortKeys.Part()
            for position in Parallel.slice(task, of: tasks, items: count) {
                let resource = resources[indexes[position]]
                let urn = resource.urn.rawValue
                part.append(urn, at: position)
                (named.base + position).initialize(to: ResourceRef(urn: urn, type: resource.type, name: resource.name))
            }
            return part
        })
        // Sorted here rather than with the generic `Parallel.sorted`, which, compiled in another module, moves and
        // compares its elements through generic witnesses (most of the sort's time): each worker sorts its slice of
        // plain integers with byte comparisons, and the sorted slices are merged.
        let sortedSlices = Parallel.map(tasks, workers: jobs) { task in
            Parallel.slice(task, of: tasks, items: count).sorted { keys.less($0, $1) }
        }
        let order = sortedSlices.dropFirst().reduce(sortedSlices.first ?? []) { Parallel.merge($0, $1) { keys.less($0, $1) } }
        var rank = [Int](repeating: -1, count: graph.count)
        for (place, position) in order.enumerated() { rank[indexes[position]] = place }
        let refs = [ResourceRef](unsafeUninitializedCapacity: count) { buffer, initialized in
            let sorted = EvaluatedRefs(buffer.baseAddress ?? named.base)
            _ = Parallel.map(tasks, workers: jobs) { task in
                for place in Parallel.slice(task, of: tasks, items: count) {
                    (sorted.base + place).moveInitialize(from: named.base + order[place], count: 1)
                }
            }
            initialized = count
        }
        return (rank, refs)
    }

    /// `keyed` (`entry << 40 | rank`, position) in increasing order. Entries are few: one counting pass groups the
    /// outcomes by entry, keeping their order, and the groups are sorted on the workers (each much shorter than the
    /// whole, and independent of the others). The result is that of `sorted()` for any number of workers.
    static func sortedByEntry(_ keyed: [(UInt64, Int)], entryCount: Int, jobs: Int) -> [(UInt64, Int)] {
        var starts = [Int](repeating: 0, count: entryCount + 1)
        for (key, _) in keyed { starts[Int(key >> 40) + 1] += 1 }
        for entry in 0..<entryCount { starts[entry + 1] += starts[entry] }
        var grouped = [(UInt64, Int)](unsafeUninitializedCapacity: keyed.count) { buffer, initialized in
            var next = starts
            for item in keyed {
                let entry = Int(item.0 >> 40)
                (buffer.baseAddress! + next[entry]).initialize(to: item)
                next[entry] += 1
            }
            initialized = keyed.count
        }
        let groups = (0..<entryCount).filter { starts[$0 + 1] - starts[$0] > 1 }
        let tasks = Parallel.taskCount(items: keyed.count, workers: jobs, minimum: ResultAssembler.outcomesPerChunk)
        grouped.withUnsafeMutableBufferPointer { buffer in
            let sorting = GroupSorting(base: buffer.baseAddress)
            let starts = starts
            // Groups dealt out in turn, so each task gets large and small ones alike.
            _ = Parallel.map(tasks, workers: jobs) { task in
                for group in stride(from: task, to: groups.count, by: tasks) {
                    let entry = groups[group]
                    var group = UnsafeMutableBufferPointer(start: sorting.base! + starts[entry], count: starts[entry + 1] - starts[entry])
                    group.sort { $0 < $1 }
                }
            }
        }
        return grouped
    }

    /// Fewest resources worth a worker of their own in `evaluatedResources`.
    static let evaluatedPerChunk = 16_384

    /// What every finding of one plan entry shares: the prepared engine's, worked out once for its identity's name.
    func entryFacts(stackName: String) -> [EntryFacts] {
        plan.prepared.stackName == stackName ? plan.prepared.entryFacts : PreparedEntries.entryFacts(plan.entries, stackName: stackName)
    }
}

/// A stack's findings ready to be assembled: the outcomes' places in the report, their runs and everything read
/// from the stack. Holds no reference to the stack, so whoever owns it may free it before `assemble` runs.
///
/// Outcomes are assembled in evaluation order, not report order (by policy, then resource): each finding reads its
/// outcome's message and its resource's reference, made while that resource was evaluated, so walking them in the
/// order they were made reads memory mostly in sequence instead of a cache miss for each of them. Every finding is
/// written to its place in the report (`OutcomePlacement`).
struct StackAssembly: Sendable {
    let context: AssemblyContext
    /// Runs of outcomes in evaluation order, one a task.
    let ranges: [Range<Int>]

    func assemble(_ raw: RawOutcomes) -> StackResult {
        let context = self.context, ranges = self.ranges
        let findingCount = context.placement.findingCount
        let recordCount = context.engine.options.recordEvaluations ? context.positions.count : 0
        let jobs = context.engine.options.jobs
        var parts: [AssembledPart] = []
        var evaluations: [Evaluation] = []
        let findings = [Finding](unsafeUninitializedCapacity: findingCount) { findingBuffer, initializedFindings in
            evaluations = [Evaluation](unsafeUninitializedCapacity: recordCount) { recordBuffer, initializedRecords in
                let output = AssemblyOutput(findings: findingBuffer.baseAddress, records: recordBuffer.baseAddress)
                parts = Parallel.map(ranges.count, workers: jobs) { chunk in
                    context.assemble(ranges[chunk], into: output)
                }
                // The runs cover every outcome once and each finding has one place, so the runs' findings add up to
                // the count exactly when every place was filled; otherwise the arrays would hold uninitialised values.
                precondition(parts.reduce(0) { $0 + $1.findingsWritten } == findingCount)
                initializedRecords = recordCount
            }
            initializedFindings = findingCount
        }
        return finish(parts, tallies: raw.tallies, findings: findings, evaluations: evaluations)
    }

    /// Sums the runs' counts and merges their exemption records (in report order) and notices.
    private func finish(_ parts: [AssembledPart], tallies: [OutcomeCounts], findings: [Finding], evaluations: [Evaluation]) -> StackResult {
        let plan = context.plan, stack = context.stack
        var placedExemptions: [(finding: Int32, record: ExemptionRecord)] = []
        var tagNotices: [String: ReportNotice] = [:]
        var entryCounts = tallies
        for part in parts {
            placedExemptions.append(contentsOf: part.applied)
            tagNotices.merge(part.tagNotices) { first, _ in first }
            for i in entryCounts.indices { entryCounts[i].add(part.counts[i]) }
        }
        // Every entry is listed, with zero counts when nothing was evaluated: start from the prepared list of zeros.
        var counts = plan.prepared.zeroCounts
        // By index: only an entry with counts is read, and only its key (enumerating copied every entry out).
        for i in plan.entries.indices where entryCounts[i] != OutcomeCounts() {
            counts[plan.entries[i].key]!.add(entryCounts[i])
        }
        // Findings have one place each: sorted by it, the records are in the order of the findings they waive.
        let applied = placedExemptions.sorted { $0.finding < $1.finding }.map(\.record)
        let levels = plan.prepared.levels
        let summary = StackSummary(name: stack.name, source: stack.source, kind: stack.kind,
                                   resourceCount: stack.resourceCount, resources: context.refs)
        var notices = stack.notices.map { ReportNotice(source: stack.source, message: "\($0.path): \($0.message)") }
            + tagNotices.keys.sorted().map { tagNotices[$0]! }
        // Tag notices come with violations and reader notices with the stack: either way the redactor holds the
        // stack's secrets (`ResultAssembler.prepare`).
        for i in notices.indices { notices[i].message = context.redactor.redact(notices[i].message) }
        return StackResult(summary: summary, findings: findings, evaluations: evaluations, counts: counts, levels: levels,
                           appliedExemptions: applied, notices: notices)
    }
}

extension SecretRedactor {
    /// A policy-given location with secrets removed from its file name (it is printed by every report).
    func redact(_ location: SourceLocation) -> SourceLocation {
        SourceLocation(file: redact(location.file), line: location.line, column: location.column)
    }
}

/// The references `ResultAssembler.evaluatedResources` makes and moves on its workers.
/// `@unchecked Sendable`: each worker initializes, or moves out, only the positions of its own slice, and the
/// memory is read only after every worker has finished.
struct EvaluatedRefs: @unchecked Sendable {
    let base: UnsafeMutablePointer<ResourceRef>
    init(_ base: UnsafeMutablePointer<ResourceRef>) { self.base = base }
}

/// The keys `ResultAssembler.sortedByEntry` sorts in place on its workers.
/// `@unchecked Sendable`: each worker sorts only its own groups, disjoint ranges of the buffer, which is read only
/// after every worker has finished.
struct GroupSorting: @unchecked Sendable {
    let base: UnsafeMutablePointer<(UInt64, Int)>?
}

/// Compares URNs in `String` order, fast: two ASCII URNs (nearly all are) compare as bytes, which for ASCII is
/// exactly `String`'s order and many times cheaper than its Unicode-aware comparison (most of the cost of sorting a
/// stack's resources, whose URNs share long prefixes). Any other pair is compared as `String`s.
struct URNSortKeys: Sendable {
    /// Every URN's UTF-8 bytes, one after the other.
    private let bytes: [UInt8]
    /// Where each URN's bytes start and how many there are; a negative count marks a URN that is not ASCII.
    private let spans: [(start: Int, count: Int)]
    /// The URNs that are not ASCII, by position.
    private let unicode: [Int: String]

    /// The keys of some consecutive URNs (a worker's share), joined in order by `init(parts:)`.
    struct Part: Sendable {
        fileprivate var bytes: [UInt8] = []
        fileprivate var spans: [(start: Int, count: Int)] = []
        fileprivate var unicode: [Int: String] = [:]

        /// Adds the URN at `position`, the position after the part's last.
        mutating func append(_ urn: String, at position: Int) {
            let start = bytes.count
            bytes.append(contentsOf: urn.utf8)
            let ascii = bytes[start...].allSatisfy { $0 < 0x80 }
            spans.append((start, ascii ? bytes.count - start : -1))
            if !ascii { unicode[position] = urn }
        }
    }

    init(_ urns: [String]) {
        var part = Part()
        for (position, urn) in urns.enumerated() { part.append(urn, at: position) }
        self.init(parts: [part])
    }

    /// The keys of the parts' URNs, in the parts' order.
    init(parts: [Part]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(parts.reduce(0) { $0 + $1.spans.count })
        var unicode: [Int: String] = [:]
        for part in parts {
            let shift = bytes.count
            bytes.append(contentsOf: part.bytes)
            spans.append(contentsOf: part.spans.lazy.map { ($0.start + shift, $0.count) })
            unicode.merge(part.unicode) { first, _ in first }
        }
        self.bytes = bytes
        self.spans = spans
        self.unicode = unicode
    }

    /// Whether the URN at position `a` sorts before the one at `b`.
    func less(_ a: Int, _ b: Int) -> Bool {
        let (startA, countA) = spans[a], (startB, countB) = spans[b]
        guard countA >= 0, countB >= 0 else { return urn(a) < urn(b) }
        let common = Swift.min(countA, countB)
        guard common > 0 else { return countA < countB }
        return bytes.withUnsafeBufferPointer { p in
            let order = memcmp(p.baseAddress! + startA, p.baseAddress! + startB, common)
            return order != 0 ? order < 0 : countA < countB
        }
    }

    /// The URN at `position`: kept when it is not ASCII, else decoded from its bytes.
    private func urn(_ position: Int) -> String {
        if let text = unicode[position] { return text }
        let (start, count) = spans[position]
        return String(decoding: bytes[start..<(start + count)], as: UTF8.self)
    }
}

/// Stable finding ids: FNV-1a over (stack, pack, policy, URN, detail), two 64-bit lanes (`FingerprintLanes`, hex
/// in reports).
public enum Fingerprint {
    public static func of(stack: String, pack: String, policy: String, urn: String?, detail: String?) -> String {
        seed(stack: stack, pack: pack, policy: policy).lanes(urn: urn, detail: detail).hex
    }

    /// The hash state after (stack, pack, policy): the same for every finding of one policy on one stack, so the
    /// assembler works it out once per policy and hashes only each finding's URN and detail.
    static func seed(stack: String, pack: String, policy: String) -> Lanes {
        // The parts joined by U+001F, hashed as one byte stream without building the joined string.
        var lanes = Lanes()
        lanes.feed(stack)
        lanes.separate(); lanes.feed(pack)
        lanes.separate(); lanes.feed(policy)
        return lanes
    }

    struct Lanes: Sendable {
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4

        /// The fingerprint of the seeded parts followed by `urn` and `detail`.
        func lanes(urn: String?, detail: String?) -> FingerprintLanes {
            var lanes = self
            lanes.separate(); if let urn { lanes.feed(urn) }
            lanes.separate(); if let detail { lanes.feed(detail) }
            return FingerprintLanes(high: lanes.a, low: lanes.b)
        }

        mutating func feed(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 0x9e3779b97f4a7c15
        }

        mutating func separate() { feed(0x1F) }

        mutating func feed(_ text: String) {
            var text = text
            text.withUTF8 { for byte in $0 { feed(byte) } }
        }
    }
}
