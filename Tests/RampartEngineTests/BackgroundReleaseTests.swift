import Dispatch
import Foundation
@testable import RampartEngine
import Synchronization
import Testing

/// A value handed to `BackgroundRelease` is freed on another thread, whichever thread lets go of it last.
@Suite struct BackgroundReleaseTests {
    /// Calls `freed` from its deinit.
    final class Tracked: Sendable {
        let freed: @Sendable () -> Void
        init(_ freed: @escaping @Sendable () -> Void) { self.freed = freed }
        deinit { freed() }
    }

    @Test func aHandedOverValueIsFreedOffTheCallingThread() {
        let caller = pthread_self()
        for _ in 0..<50 {
            let freedOnCaller = Mutex<Bool?>(nil)
            let done = DispatchSemaphore(value: 0)
            let value = Tracked {
                freedOnCaller.withLock { $0 = pthread_equal(pthread_self(), caller) != 0 }
                done.signal()
            }
            BackgroundRelease.release((consume value, [1, 2, 3]))
            #expect(done.wait(timeout: .now() + 10) == .success)
            #expect(freedOnCaller.withLock { $0 } == false)
        }
    }

    #if canImport(Glibc)
    /// The freeing thread yields the cores to the caller's workers (nice 19), and the caller keeps its priority.
    @Test func theValueIsFreedAtTheLowestPriority() {
        let niceness = Mutex<Int32?>(nil)
        let done = DispatchSemaphore(value: 0)
        let value = Tracked {
            niceness.withLock { $0 = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
            done.signal()
        }
        let before = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        BackgroundRelease.release(consume value)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(niceness.withLock { $0 } == 19)
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == before)
    }
    #endif
}
