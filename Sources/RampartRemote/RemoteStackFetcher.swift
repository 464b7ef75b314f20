import Foundation
import RampartInputs

/// The stacks of one catalog, fetched concurrently ahead of a synchronous reader: at most `window` stacks are in
/// flight or waiting to be read at any time, so memory stays bounded by those few, and `next()` returns them in
/// list order whatever order they arrive in.
final class RemoteStackFetcher: RemoteStackStream, @unchecked Sendable {
    // @unchecked: the mutable state below is only touched with `condition` locked.
    let sources: [InputSource]
    private let catalog: any StackCatalog
    private let window: Int
    private let sizeLimit: InputSizeLimit
    private let condition = NSCondition()
    private var arrived: [Int: Result<[UInt8], InputError>] = [:]
    private var started = 0
    private var position = 0
    private var tasks: [Task<Void, Never>] = []
    private var fetched = 0
    private let onFetched: (@Sendable (String, Int, Int) -> Void)?

    init(catalog: any StackCatalog, sources: [InputSource], window: Int, sizeLimit: InputSizeLimit = InputSizeLimit(),
         onFetched: (@Sendable (String, Int, Int) -> Void)? = nil) {
        self.catalog = catalog
        self.onFetched = onFetched
        self.sources = sources
        self.window = max(1, window)
        self.sizeLimit = sizeLimit
    }

    deinit {
        for task in tasks { task.cancel() }
    }

    func next() -> (source: InputSource, bytes: Result<[UInt8], InputError>)? {
        condition.lock()
        defer { condition.unlock() }
        guard position < sources.count else { return nil }
        while started < min(sources.count, position + window) { start(started); started += 1 }
        while arrived[position] == nil { condition.wait() }
        let result = arrived.removeValue(forKey: position)!
        let source = sources[position]
        position += 1
        // Keep the window full while the caller works on this stack.
        while started < min(sources.count, position + window) { start(started); started += 1 }
        return (source, result)
    }

    /// Starts fetching stack `index`; called with the lock held.
    private func start(_ index: Int) {
        let source = sources[index]
        let catalog = self.catalog
        let limit = sizeLimit
        tasks.append(Task.detached(executorPreference: RemoteExecutor.shared) { [weak self] in
            let result: Result<[UInt8], InputError>
            do throws(RemoteError) {
                let stored = try await catalog.fetch(source)
                result = Result { () throws(InputError) -> [UInt8] in try FileLoader.decompressed(stored, file: source.path, sizeLimit: limit) }
            } catch {
                result = .failure(error.inputError)
            }
            self?.deliver(result, at: index)
        })
    }

    private func deliver(_ result: Result<[UInt8], InputError>, at index: Int) {
        condition.lock()
        arrived[index] = result
        fetched += 1
        let count = fetched
        condition.broadcast()
        condition.unlock()
        onFetched?(sources[index].path, count, sources.count)
    }
}

/// Runs remote work's tasks on Dispatch's global queue rather than Swift's cooperative pool. The pipeline is
/// synchronous and blocks its thread while it waits for a fetch; when that thread is itself one of the pool's few
/// threads (a test, an async host embedding the pipeline), tasks queued on the pool could wait for a free thread
/// forever. Dispatch adds threads when its workers block, so remote work always gets one.
final class RemoteExecutor: TaskExecutor {
    static let shared = RemoteExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        DispatchQueue.global(qos: .userInitiated).async { job.runSynchronously(on: executor) }
    }
}

/// Runs async work to completion from synchronous code (the pipeline is synchronous), blocking the calling thread
/// until it is done. The work runs on `RemoteExecutor`, so a caller on the cooperative pool cannot starve it.
enum Blocking {
    static func wait<Value: Sendable>(_ work: @escaping @Sendable () async throws(RemoteError) -> Value) throws(RemoteError) -> Value {
        let box = ResultBox<Value>()
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: RemoteExecutor.shared) {
            do throws(RemoteError) { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    private final class ResultBox<Value: Sendable>: @unchecked Sendable {
        // @unchecked: written once by the task before the semaphore is signalled, read after the wait.
        var result: Result<Value, RemoteError>?
    }
}
