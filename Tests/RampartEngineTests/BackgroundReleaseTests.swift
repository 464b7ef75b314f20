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
}
