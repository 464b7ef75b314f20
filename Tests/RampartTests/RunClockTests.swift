import Foundation
@testable import Rampart
import Testing

/// The run's timestamp and date, written by arithmetic rather than Foundation's ISO 8601 formatter.
@Suite struct RunClockTests {
    @Test func writesUTCTimestampsAsFoundationsFormatterDoes() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        // The epoch, leap days, the ends of days and years, dates before 1970 and far ahead.
        let seconds = [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_735_689_599, 1_796_529_422,
                       -1, -86_400, -86_401, -2_208_988_800, 4_102_444_800, 253_402_300_799]
        for second in seconds {
            let date = Date(timeIntervalSince1970: TimeInterval(second))
            #expect(Clock.internetDateTime(unixSeconds: second) == formatter.string(from: date), "\(second)")
        }
    }

    @Test func dropsFractionsOfASecond() {
        let clock = Clock(today: nil, timestamp: nil, now: Date(timeIntervalSince1970: 1_796_529_422.999))
        #expect(clock.timestamp == "2026-12-06T03:57:02Z")
        #expect(clock.today == "2026-12-06")
    }

    @Test func keepsGivenDateAndTimestamp() {
        let clock = Clock(today: "2024-01-31", timestamp: "2025-06-01T00:00:00Z")
        #expect(clock.today == "2024-01-31")
        #expect(clock.timestamp == "2025-06-01T00:00:00Z")
        #expect(Clock(today: nil, timestamp: "2025-06-01T10:00:00Z").today == "2025-06-01")
    }
}
