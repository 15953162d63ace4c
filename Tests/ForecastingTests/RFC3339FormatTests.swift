import Forecasting
import Foundation
import XCTest

/// The hand-written RFC 3339 formatter against Foundation's
/// ISO8601DateFormatter, which it replaced on the hot paths.
final class RFC3339FormatTests: XCTestCase {
    private let whole: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    private let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    func testMatchesFoundationOnRandomInstants() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Years 1 to 9999, whole seconds and milliseconds alike; years
            // before 1583 take the formatter's own path.
            let seconds = Double.random(in: -62_135_596_800.0..<253_402_300_800.0, using: &generator)
            let rounded = seconds.rounded(.down)
            XCTAssertEqual(RFC3339.format(rounded), whole.string(from: Date(timeIntervalSince1970: rounded)))
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(
                RFC3339.format(seconds, milliseconds: true), fractional.string(from: date), "at \(seconds)")
        }
    }

    func testMatchesFoundationAtCalendarEdges() {
        let edges: [Double] = [
            0, -1, -0.001, 0.001, 0.999, 59.9995, 86_399.999, 86_400,
            951_782_400,  // 2000-02-29, a leap day in a year divisible by 400
            4_107_456_000,  // 2100-02-28, before a century year with no leap day
            4_107_542_400,  // 2100-03-01
            -2_203_891_200,  // 1900-03-01
            -62_135_596_800,  // 0001-01-01T00:00:00Z, the earliest timestamp a point may carry
            253_402_300_799.999,  // 9999-12-31T23:59:59.999Z, the latest
            1_704_067_200.25, 1_704_067_199.9999,
            -7_168_670_765.8255005,  // a tie at half a millisecond before 1970, which rounds up
            1_704_067_200.0005,
        ]
        for seconds in edges {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(RFC3339.format(seconds, milliseconds: true), fractional.string(from: date), "at \(seconds)")
            XCTAssertEqual(
                RFC3339.format(seconds.rounded(.down)), whole.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))),
                "at \(seconds)")
        }
    }

    func testWholeSecondsDropTheFraction() {
        XCTAssertEqual(RFC3339.format(1_704_067_200), "2024-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339.format(1_704_067_200, milliseconds: true), "2024-01-01T00:00:00.000Z")
        XCTAssertEqual(RFC3339.format(1_709_164_800.5), "2024-02-29T00:00:00.500Z")
    }

    func testOutOfRangeValuesStillFormat() {
        XCTAssertFalse(RFC3339.format(.infinity).isEmpty)
        XCTAssertFalse(RFC3339.format(-1e15).isEmpty)
    }
}
