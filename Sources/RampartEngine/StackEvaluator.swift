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

    func run() -> [RawOutcome] {
        // Work items: resources that meet at least one policy, in graph order.
        var work: [(resource: Int, entries: [Int])] = []
        for (type, entries) in plan.resourceEntriesByType {
            for index in stack.graph.indexes(ofType: type) { work.append((index, entries)) }
        }
        work.sort { $0.resource < $1.resource }

        let chunkCount = jobs <= 1 ? 1 : min(max(1, work.count / 256), jobs * 8)
        let slots = ResultSlots(count: chunkCount + plan.stackEntries.count)
        let chunkSize = (work.count + chunkCount - 1) / max(chunkCount, 1)
        let plan = self.plan, stack = self.stack, evidence = self.evidence
        let items = work
        let stackEntries = plan.stackEntries

        let body: @Sendable (Int) -> Void = { task in
            if task < chunkCount {
                var out: [RawOutcome] = []
                let start = task * chunkSize, end = min(start + chunkSize, items.count)
                guard start < end else { slots.set(task, []); return }
                out.reserveCapacity((end - start) * 2)
                for item in items[start..<end] {
                    let context = ResourceContext(stack: stack, index: item.resource, evidence: evidence)
                    for entryIndex in item.entries {
                        let entry = plan.entries[entryIndex]
                        let policy = entry.policy as! any ResourcePolicy
                        let outcome: Outcome
                        do { outcome = try policy.evaluate(context, config: entry.config) } catch { outcome = .error(String(describing: error)) }
                        out.append(RawOutcome(entry: entryIndex, resource: item.resource, outcome: outcome))
                    }
                }
                slots.set(task, out)
            } else {
                let entryIndex = stackEntries[task - chunkCount]
                let entry = plan.entries[entryIndex]
                let policy = entry.policy as! any StackPolicy
                var out: [RawOutcome] = []
                do {
                    let result = try policy.evaluate(StackContext(stack: stack, evidence: evidence), config: entry.config)
                    let entries = result.entries.isEmpty ? [StackEvaluation.Entry(resourceIndex: nil, outcome: .pass)] : result.entries
                    for e in entries { out.append(RawOutcome(entry: entryIndex, resource: e.resourceIndex ?? -1, outcome: e.outcome)) }
                } catch {
                    out.append(RawOutcome(entry: entryIndex, resource: -1, outcome: .error(String(describing: error))))
                }
                slots.set(task, out)
            }
        }
        let taskCount = chunkCount + stackEntries.count
        if jobs <= 1 {
            for task in 0..<taskCount { body(task) }
        } else {
            DispatchQueue.concurrentPerform(iterations: taskCount, execute: body)
        }
        return slots.collect()
    }
}

/// Per-task result storage for `concurrentPerform`.
/// `@unchecked Sendable` is safe here: each task writes exactly one distinct index, under a lock, and `collect`
/// runs only after `concurrentPerform` has returned.
final class ResultSlots: @unchecked Sendable {
    private var slots: [[RawOutcome]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func set(_ index: Int, _ value: [RawOutcome]) {
        lock.withLock { slots[index] = value }
    }

    func collect() -> [RawOutcome] { lock.withLock { slots.flatMap { $0 } } }
}
