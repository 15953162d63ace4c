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
            // Years 1583 to 9999, whole seconds and milliseconds alike. ICU
            // writes earlier years in the Julian calendar, where lstmcast
            // stays proleptic Gregorian.
            let seconds = Double.random(in: -12_212_553_600.0..<253_402_300_799.0, using: &generator)
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
            -12_212_553_600,  // 1583-01-01T00:00:00Z, the first whole year of the Gregorian calendar
            253_402_300_798.999,
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

/// The hand-written RFC 3339 reader: strict fields, proleptic Gregorian
/// dates, and the same instants as Foundation where both are defined.
final class RFC3339ParseTests: XCTestCase {
    func testReadsEveryOffsetAndFraction() throws {
        XCTAssertEqual(RFC3339.parse("2024-01-01T00:00:00Z"), 1_704_067_200)
        XCTAssertEqual(RFC3339.parse("2024-01-01t00:00:00z"), 1_704_067_200, "lower-case t and z")
        XCTAssertEqual(RFC3339.parse("2024-01-01T02:30:00+02:30"), 1_704_067_200)
        XCTAssertEqual(RFC3339.parse("2023-12-31T19:00:00-05:00"), 1_704_067_200)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2024-01-01T00:00:00.25Z")), 1_704_067_200.25, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse("2024-01-01T00:00:00.123456Z")), 1_704_067_200.123456, accuracy: 1e-6)
        XCTAssertEqual(RFC3339.parse("2024-02-29T00:00:00Z"), 1_709_164_800, "a leap day")
        XCTAssertEqual(RFC3339.parse("0001-01-01T00:00:00Z"), -62_135_596_800, "year 1, proleptic Gregorian")
        XCTAssertEqual(RFC3339.parse("9999-12-31T23:59:59Z"), 253_402_300_799)
    }

    func testRejectsImpossibleOrMalformedDates() {
        let invalid = [
            "2026-02-30T03:04:05Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00",
            "2026-01-01", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk", "2026-1-01T00:00:00Z",
            " 2026-01-01T00:00:00Z", "2026-01-01 00:00:00Z", "", "+2026-01-01T00:00:00Z",
        ]
        for text in invalid {
            XCTAssertNil(RFC3339.parse(text), "accepted '\(text)'")
        }
    }

    func testAgreesWithFoundationAndRoundTrips() throws {
        let foundation = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let seconds = Double(Int64.random(in: -12_212_553_600..<253_402_300_799, using: &generator))
            let text = RFC3339.format(seconds)
            XCTAssertEqual(RFC3339.parse(text), seconds, text)
            XCTAssertEqual(foundation.date(from: text)?.timeIntervalSince1970, seconds, text)
        }
        // Before 1583 only the round trip holds, since ICU switches to the Julian calendar there.
        for _ in 0..<2_000 {
            let seconds = Double(Int64.random(in: -62_135_596_800 ..< -12_212_553_600, using: &generator))
            XCTAssertEqual(RFC3339.parse(RFC3339.format(seconds)), seconds, RFC3339.format(seconds))
        }
    }
}
