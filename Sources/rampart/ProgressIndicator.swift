import Foundation
import Rampart

/// Progress on stderr for scans that run longer than about a second: stacks done / total and resources per second,
/// and for remote inputs how many stacks have been fetched.
/// Shown only when stderr is a terminal and `--quiet` is not set; never part of any report.
final class ProgressIndicator: ScanObserver, @unchecked Sendable {
    // @unchecked Sendable: all mutable state is guarded by `lock`.
    private let lock = NSLock()
    private let start = Date()
    private var resources = 0
    private var scanned = 0
    private var total = 0
    /// Remote stacks fetched so far (nil: no remote input, the line shows scanned stacks only).
    private var fetched: Int?
    private var fetchTotal = 0
    private var shown = false
    private let delay: TimeInterval

    init(delay: TimeInterval = 1.0) { self.delay = delay }

    /// An indicator when progress should be shown, else nil.
    static func make(quiet: Bool) -> ProgressIndicator? {
        guard !quiet, Terminal.stderrIsTerminal else { return nil }
        return ProgressIndicator()
    }

    func stackStarted(_ source: String, index: Int, total: Int) {}

    func stackFinished(_ source: String, resources count: Int, index: Int, total: Int) {
        lock.withLock {
            resources += count
            scanned = index + 1
            self.total = total
            show()
        }
    }

    /// A remote stack arrived (`RemoteEnvironment.onFetched`); called from fetching tasks.
    func stackFetched(_ fetched: Int, total: Int) {
        lock.withLock {
            self.fetched = max(self.fetched ?? 0, fetched)
            fetchTotal = total
            show()
        }
    }

    /// Redraws the line; called with `lock` held.
    private func show() {
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= delay else { return }
        shown = true
        let rate = Int(Double(resources) / max(elapsed, 0.001))
        let fetching = fetched.map { "fetched \($0)/\(fetchTotal), " } ?? ""
        let of = total > 0 ? "/\(total)" : ""
        FileHandle.standardError.write(Data("\r\u{1B}[K\(fetching)scanned \(scanned)\(of) stacks, \(resources) resources, \(rate) resources/s".utf8))
    }

    /// Clears the line so the report starts on a clean terminal line.
    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
