import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RampartJSON
import RampartModel
import RampartPolicy

/// An engine with its settings resolved for one stack identity: the enabled policies with their level and config,
/// computed once. For hosts that evaluate many small stacks of one identity — the Pulumi analyzer evaluates one
/// resource per call — so each evaluation pays only for its resources, not for resolving the settings again.
public struct PreparedEngine: Sendable {
    public let engine: Engine
    public let identity: StackIdentity
    /// Every policy's effective level and config for `identity` (disabled ones included).
    public let settings: StackPolicySettings
    /// The enabled policies and what evaluations derive from them alone (`PreparedEntries`).
    let entries: PreparedEntries

    public init(_ engine: Engine, identity: StackIdentity) {
        self.engine = engine
        self.identity = identity
        settings = engine.resolver.settings(for: engine.packs, stack: identity)
        entries = PreparedEntries(entries: EvaluationPlan.entries(packs: engine.packs, settings: settings), packs: engine.packs,
                                  identity: identity)
    }

    /// Evaluates every applicable, enabled policy over one stack, exactly as `Engine.evaluate`. A stack of another
    /// identity gets its own settings, so the result never depends on which identity was prepared.
    public func evaluate(_ stack: Stack, evidence: Evidence = .none) -> StackResult {
        guard stack.identity == identity else { return PreparedEngine(engine, identity: stack.identity).evaluate(stack, evidence: evidence) }
        let plan = EvaluationPlan(entries: entries, graph: stack.graph)
        let raw = outcomes(of: stack, plan: plan, evidence: evidence)
        return ResultAssembler(engine: engine, plan: plan, stack: stack).assemble(raw)
    }

    /// Evaluates like `evaluate(_:evidence:)`, taking the stack: it is let go of — input bytes, tape, resources —
    /// once evaluated and read for what the findings need, before they are assembled, so a dense stack's findings
    /// never sit in memory beside its document. With `freeing: .inBackground` another thread frees it while this
    /// one assembles (for a caller with nothing else to read next). The caller must hold no other copy of the
    /// stack for the memory to go.
    public func evaluate(taking stack: consuming Stack, evidence: Evidence = .none, freeing: StackFreeing = .here) -> StackResult {
        guard stack.identity == identity else {
            return PreparedEngine(engine, identity: stack.identity).evaluate(taking: consume stack, evidence: evidence, freeing: freeing)
        }
        let plan = EvaluationPlan(entries: entries, graph: stack.graph)
        let raw = outcomes(of: stack, plan: plan, evidence: evidence)
        let assembly = ResultAssembler(engine: engine, plan: plan, stack: copy stack).prepare(raw)
        let taken = consume stack
        switch freeing {
        case .here:
            _ = consume taken
        case .inBackground:
            BackgroundRelease.release(consume taken)
        case .atExit:
            LeftForExit.keep(stack: consume taken)
        }
        let result = assembly.assemble(raw)
        // The sorted outcomes and what was read for them are as large as the findings made from them.
        switch freeing {
        case .here: break
        case .inBackground: BackgroundRelease.release((consume assembly, consume raw))
        case .atExit: LeftForExit.keep((consume assembly, consume raw))
        }
        return result
    }

    /// The raw outcomes of every plan entry over `stack` (a function of its own, so the evaluator's references to
    /// the stack end when it returns).
    private func outcomes(of stack: Stack, plan: EvaluationPlan, evidence: Evidence) -> RawOutcomes {
        var evaluator = StackEvaluator(plan: plan, stack: stack, evidence: evidence, jobs: engine.options.jobs)
        evaluator.keepsEveryOutcome = engine.options.recordEvaluations
        evaluator.collectsSecrets = true
        return evaluator.run()
    }
}

/// How `evaluate(taking:)` frees the stack it was given once its findings no longer need it.
public enum StackFreeing: Sendable {
    /// On the calling thread, before the findings are assembled.
    case here
    /// On another thread, while the findings are assembled, and the raw outcomes too once they are: for the last
    /// stack of a run, where nothing waits for the memory (freeing a large stack's resources takes a while).
    case inBackground
    /// Not at all, nor the raw outcomes: for the last stack of a process that ends once its report is written (the
    /// command line). The system takes the whole address space back at exit faster than the stack's objects are
    /// freed one by one, and no thread is left freeing them while the report is written, nor still running (and
    /// holding the process's memory map) when the process exits. The pages of the stack's documents, most of its
    /// memory, are still given back at once (`LeftForExit.keep(stack:)`).
    case atExit
}

/// Values kept until the process ends (`StackFreeing.atExit`).
enum LeftForExit {
    /// Holds `value` for the rest of the process: it is never freed.
    static func keep<Value>(_ value: consuming Value) {
        _ = Unmanaged.passRetained(Holder(value))
    }

    /// Holds `stack` for the rest of the process, and gives the pages of the documents it was read from (their
    /// bytes and tapes, most of a large stack's memory) back to the system now, on a thread of its own, while the
    /// findings are assembled and written: as freeing the stack would, so the report's memory does not come on top
    /// of them, but without freeing the stack's objects one by one. Nothing reads the documents again: what the
    /// assembly and the reports read (outcomes, resource references, facts, the redactor) are values made before,
    /// holding no node of a document, which is why a stack freed `here` may go before its findings are assembled
    /// (`StackAssembly`). The pages go a piece at a time, so an exit meanwhile waits for one piece at most; the rest
    /// the exit takes back.
    static func keep(stack: consuming Stack) {
        let documents = stack.graph.documents
        keep(consume stack)
        Thread.detachNewThread {
            for document in documents { document.discardStorage() }
        }
    }

    /// `@unchecked Sendable`: never read after it is made.
    private final class Holder<Held>: @unchecked Sendable {
        let value: Held
        init(_ value: consuming Held) { self.value = value }
    }
}

/// Frees a value on another thread: a large stack, or its raw outcomes, takes tens of milliseconds to free, which a
/// caller with nothing else waiting for the memory need not spend.
enum BackgroundRelease {
    /// On a thread of its own at the lowest priority (nice 19 on Linux, where the dispatch queues' quality of service
    /// does not change a thread's priority): the caller goes on assembling findings and writing reports on the
    /// workers, which would otherwise share the cores with it, and nothing waits for the memory.
    static func release<Value>(_ value: consuming Value) {
        let handover = Handover(value)
        let thread = Thread {
            #if canImport(Glibc)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)  // this thread only, on Linux
            #endif
            handover.empty()
        }
        thread.start()
    }

    /// Holds the value until `empty()`, so it is freed on the thread that empties it, whichever thread lets go of
    /// the holder last.
    /// `@unchecked Sendable`: `value` is written once more after `init`, by `empty()` on the one thread the holder
    /// was handed to; the thread that made it never reads or writes it again.
    private final class Handover<Held>: @unchecked Sendable {
        private var value: Held?
        init(_ value: consuming Held) { self.value = value }
        func empty() { value = nil }
    }
}
