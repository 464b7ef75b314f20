import Foundation
import RampartModel
import RampartPolicy

/// Runs a plan over one stack, spreading resources across workers. Each worker writes only its own slot, and
/// the slots are read after all workers finish, so the output does not depend on scheduling.
struct StackEvaluator {
    let plan: EvaluationPlan
    let stack: Stack
    let evidence: Evidence
    let jobs: Int
    /// Keep every outcome. When false, passes and not-applicable outcomes of resource policies are only counted:
    /// without evaluation records nothing else reads them, and a clean stack's outcomes are nearly all passes.
    var keepsEveryOutcome = true
    /// Also collect the stack's secrets (`SecretRedactor.of`), as the first task of a run with several, for findings
    /// to be redacted with once evaluated. Findings almost always follow, and their assembly would otherwise collect
    /// the secrets after the evaluation, with one worker sorting them while the others wait; as a task among the
    /// evaluation's, it fills the time a worker would otherwise spend idle waiting for the last chunk. A stack with
    /// no finding to redact pays for it in vain (~5 ms of one worker for 9,000 secrets).
    var collectsSecrets = false

    func run() -> RawOutcomes {
        // Work items: resources that meet at least one policy, in graph order. Resources the stack only reads
        // (`external`: data sources, `.get()` lookups, preview `read` steps) are not the stack's to fix: as in
        // CrossGuard, only `ReadResourcePolicy`s see them; they stay in the graph for the policies that follow
        // references to them.
        // Each resource's entry lists are found by type, then the work is listed in graph order: one pass over the
        // resources rather than by type and sorted afterwards. It reads no resource's own record (a cache miss
        // each): the graph keeps which are external.
        let graph = stack.graph
        let prepared = plan.prepared
        // The lists sit end to end in one array and a work item names its list by range: an item holding an array
        // of its own shares it with every resource of its type, and the workers copying items wrote that array's
        // reference count from two cores for every resource.
        var listEntries: [Int] = []
        var lists: [(entries: Range<Int>, readEntries: Range<Int>)] = []
        var listOf = [Int32](repeating: -1, count: graph.resources.count)
        for (type, entries) in plan.resourceEntriesByType {
            let list = Int32(lists.count)
            let start = listEntries.count
            listEntries += entries
            let readStart = listEntries.count
            listEntries += entries.filter { prepared.readsExternal[$0] }
            lists.append((start..<readStart, readStart..<listEntries.count))
            for index in graph.indexes(ofType: type) { listOf[index] = list }
        }
        var work: [(resource: Int, entries: Range<Int>)] = []
        for index in listOf.indices where listOf[index] >= 0 {
            let list = lists[Int(listOf[index])]
            if !graph.isExternal(index) {
                work.append((index, list.entries))
            } else if !list.readEntries.isEmpty {
                work.append((index, list.readEntries))
            }
        }

        // Chunks shrink towards the end (`Parallel.shrinkingSlices`): with chunks of one size, the worker that took
        // the last one evaluated it alone (up to ~18 ms of the dense 100k scan's, `perf`).
        let chunks = Parallel.shrinkingSlices(items: work.count, workers: jobs, minimum: 256)
        let chunkCount = chunks.count
        let plan = self.plan, stack = self.stack, evidence = self.evidence
        let items = work, entryLists = listEntries
        let stackEntries = plan.stackEntries
        // Cast and unpacked once per prepared engine, not once per evaluation. The resource policies sit in an array
        // of their own (not optionals), so each is called in place rather than copied out of an optional first.
        let resourcePolicies = prepared.resourcePolicies, resourceSlots = prepared.resourceSlots
        let configs = prepared.configs
        let keepsEveryOutcome = self.keepsEveryOutcome
        let entryCount = plan.entries.count

        let spares = Spares<WorkerCopies>()
        // A task ahead of the evaluation's when asked for and the evaluation runs on several workers.
        let secretTasks = collectsSecrets && chunkCount > 1 ? 1 : 0
        // The secret task first, then the stack policies, then the chunks of resources. A stack policy is one long
        // task; started last, it ran alone at the end while the other workers, out of chunks, waited (~20 ms of the
        // dense 100k scan, `perf`). Started before the chunks it runs beside them, and the many short chunks even out
        // the workers' ends. The results do not depend on the order of the runs: each outcome's place in the report
        // is sorted by policy and resource, and a policy's outcomes on one resource all come from one run.
        let runs = Parallel.map(secretTasks + stackEntries.count + chunkCount, workers: jobs) { task -> (outcomes: [RawOutcome], tallies: [OutcomeCounts]) in
            if task < secretTasks {
                _ = SecretRedactor.of(stack, workers: 1)
                return ([], [])
            }
            if task - secretTasks < stackEntries.count {
                let entryIndex = stackEntries[task - secretTasks]
                let entry = plan.entries[entryIndex]
                let policy = entry.policy.asStackPolicy!
                let started = DispatchTime.now().uptimeNanoseconds
                do {
                    let result = try policy.evaluate(StackContext(stack: stack, evidence: evidence), config: entry.config)
                    let elapsed = DispatchTime.now().uptimeNanoseconds &- started
                    if elapsed > EvaluationBudget.stackNanoseconds {
                        return ([RawOutcome(entry: entryIndex, resource: -1, outcome: EvaluationBudget.exceeded(elapsed))], [])
                    }
                    let entries = result.entries.isEmpty ? [StackEvaluation.Entry(resourceIndex: nil, outcome: .pass)] : result.entries
                    return (entries.map { RawOutcome(entry: entryIndex, resource: $0.resourceIndex ?? -1, outcome: $0.outcome) }, [])
                } catch {
                    return ([RawOutcome(entry: entryIndex, resource: -1, outcome: .error(String(describing: error)))], [])
                }
            }
            let chunk = task - secretTasks - stackEntries.count
            var out: [RawOutcome] = []
            var tallies = keepsEveryOutcome ? [] : [OutcomeCounts](repeating: OutcomeCounts(), count: entryCount)
            let range = chunks[chunk]
            out.reserveCapacity(range.count * 2)
            // One read of a coarse clock per evaluation (the end of one is the start of the next) keeps the budget
            // check cheap.
            var last = CoarseClock.nanoseconds()
            // The worker's own handles on the stack, its evidence and its document: contexts and scopes copy
            // them, and a reference count written by two cores moves between their caches on every evaluation.
            // One chunk (one worker, or an analyzer call's one resource) has no other worker to share them with.
            let stack = chunkCount > 1 ? stack.sharingValues() : stack
            let evidence = chunkCount > 1 ? evidence.sharingValues() : evidence
            let handle = DocumentHandle(stack: stack)
            let resources = stack.graph.resources
            // Evaluates the task's resources with these policies and configs, parameters of a function so that
            // each policy is called, and each config passed, where it is in its array (an element of an array
            // chosen at run time was copied, and reference-counted, for every call). Never inlined: inlined into
            // the call that passes a task's own copies, it copied the policy (an existential) out of the array
            // and destroyed it around every evaluation (~120 instructions each, callgrind).
            @inline(never) func evaluate(_ resourcePolicies: [any ResourcePolicy], _ configs: [PolicyConfig]) {
                // Counted in place: through the array, each count checked the array's uniqueness first.
                tallies.withUnsafeMutableBufferPointer { counts in
                    entryLists.withUnsafeBufferPointer { entryLists in
                        for item in items[range] {
                            let context = ResourceContext(stack: stack, index: item.resource, resource: resources[item.resource],
                                                          evidence: evidence, handle: handle)
                            for entryIndex in entryLists[item.entries] {
                                // Only resource policies are listed by type (EvaluationPlan), so the slot is never -1.
                                var outcome: Outcome
                                do {
                                    outcome = try resourcePolicies[resourceSlots[entryIndex]].evaluate(context, config: configs[entryIndex])
                                } catch {
                                    outcome = .error(String(describing: error))
                                }
                                let now = CoarseClock.nanoseconds()
                                if now &- last > EvaluationBudget.nanoseconds { outcome = EvaluationBudget.exceeded(now &- last) }
                                last = now
                                if !keepsEveryOutcome {
                                    switch outcome {
                                    case .pass: counts[entryIndex].pass &+= 1; continue
                                    case .notApplicable: counts[entryIndex].notApplicable &+= 1; continue
                                    default: break
                                    }
                                }
                                out.append(RawOutcome(entry: entryIndex, resource: item.resource, outcome: outcome))
                            }
                        }
                    }
                }
            }
            // When tasks run at once, each evaluates through policies and configs of its own (`copyForWorker()`),
            // taken from the run's spares and given back: as many copies as tasks running at a time.
            if chunkCount > 1 {
                let copies = spares.take { WorkerCopies(policies: resourcePolicies.map { $0.copyForWorker() },
                                                        configs: configs.map { $0.copyForWorker() }) }
                evaluate(copies.policies, copies.configs)
                spares.giveBack(copies)
            } else {
                evaluate(resourcePolicies, configs)
            }
            return (out, tallies)
        }
        var tallies = [OutcomeCounts](repeating: OutcomeCounts(), count: entryCount)
        for run in runs {
            for (entry, counts) in run.tallies.enumerated() { tallies[entry].add(counts) }
        }
        return RawOutcomes(runs: runs.dropFirst(secretTasks).map(\.outcomes), tallies: tallies)
    }
}

/// A task's own copies of the policies and configs it evaluates through (`copyForWorker()`).
private struct WorkerCopies: Sendable {
    let policies: [any ResourcePolicy]
    let configs: [PolicyConfig]
}

/// Values tasks take, use alone and give back, so that a run makes as many as it has tasks running at a time rather
/// than one a task: copying 100 compiled YAML policies and freeing the copies cost ~1.7 M instructions, as much as
/// evaluating ~180 resources with them (callgrind), and a run has up to 16 tasks a worker.
/// `@unchecked Sendable`: `idle` is only touched under `lock`; a value is used by one task at a time.
final class Spares<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Value] = []

    /// An idle value, or a new one from `make` (made outside the lock) when every value is in use.
    func take(orMake make: () -> Value) -> Value {
        if let value = lock.withLock({ idle.popLast() }) { return value }
        return make()
    }

    func giveBack(_ value: Value) {
        lock.withLock { idle.append(value) }
    }
}

/// A monotonic clock that is cheap to read (on Linux `CLOCK_MONOTONIC_COARSE`: the time of the last scheduler tick,
/// no hardware counter read), precise to a few milliseconds, which is plenty for `EvaluationBudget`: it is read after
/// every one of millions of evaluations.
enum CoarseClock {
    static func nanoseconds() -> UInt64 {
        #if os(Linux)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
        #else
        return clock_gettime_nsec_np(CLOCK_UPTIME_RAW_APPROX)
        #endif
    }
}

/// The time one policy evaluation may take. Swift cannot interrupt a running function, so an evaluation that runs
/// over is detected afterwards: its result is discarded and reported as an `error` outcome naming the time taken, so
/// a slow policy is visible and cannot pass by being slow. (A policy that never returns still hangs the run; built-in
/// and YAML policies are bounded by construction: docs/robustness.md.)
enum EvaluationBudget {
    /// 2 s for one (policy, resource) evaluation.
    static let nanoseconds: UInt64 = 2_000_000_000
    /// 30 s for one stack policy over the whole graph.
    static let stackNanoseconds: UInt64 = 30_000_000_000

    static func exceeded(_ elapsed: UInt64) -> Outcome {
        .error("the policy ran for \(elapsed / 1_000_000) ms, over its time budget; the result was discarded")
    }
}
