import AnalyzerDriver
import Testing

/// `analyzer-load`'s socket floor: the kernel's share of a call, measured over a real loopback socket.
@Suite struct SocketFloorTests {
    @Test func everyRequestIsAnsweredAndTheServerThreadsCPUIsCounted() throws {
        var floor = SocketFloor()
        floor.roundTrips = 300
        floor.requestBytes = 700
        floor.responseBytes = 100
        floor.thinkMicroseconds = 0
        let report = try floor.measure()
        #expect(report.roundTrips == 300)
        // Each round trip makes at least three system calls on the server thread, so its CPU time cannot be zero.
        #expect(report.serverCPU > 0)
        #expect(report.cpuPerRoundTrip == report.serverCPU / 300)
    }

    @Test func requestsLargerThanOneReadAreReassembledBeforeTheyAreAnswered() throws {
        var floor = SocketFloor()
        floor.roundTrips = 20
        floor.requestBytes = 200_000  // several reads of the server's 64 KiB buffer per request
        floor.responseBytes = 9
        floor.thinkMicroseconds = 0
        #expect(try floor.measure().roundTrips == 20)
    }

    @Test func nonPositiveSizesAreAUsageError() {
        var floor = SocketFloor()
        floor.responseBytes = 0
        #expect {
            try floor.measure()
        } throws: { error in
            guard case .usage(let message) = error as? DriverError else { return false }
            return message.contains("must be positive")
        }
    }
}
