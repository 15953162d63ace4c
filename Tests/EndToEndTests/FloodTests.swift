import Foundation
import XCTest

/// Valid points mixed with every kind of malformed message: the daemon must
/// accept exactly the valid ones, count the rest by reason and keep forecasting.
final class FloodTests: XCTestCase {
    func testMalformedFloodLosesNoValidPoint() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel + "\nforecast:\n  every_points: 10")
        try harness.start()

        let malformed: [(frames: [[UInt8]], reason: String)] = [
            ([Array("a b c d".utf8)], "wrong_frame_count"),
            ([Array("s".utf8), Array("1".utf8), Array("2".utf8)], "wrong_frame_count"),
            ([[], Array("1".utf8)], "empty_topic"),
            ([Array(repeating: UInt8(ascii: "t"), count: 300), Array("1".utf8)], "topic_too_long"),
            ([Array("s0".utf8), [0xFF, 0xFE, 0x31]], "not_utf8"),
            ([Array("s0".utf8), Array("{\"value\":".utf8)], "invalid_json"),
            ([Array("s0".utf8), Array("{\"ts\":5}".utf8)], "missing_value"),
            ([Array("s0".utf8), Array("{\"value\":true}".utf8)], "not_a_number"),
            ([Array("s0".utf8), Array("NaN".utf8)], "non_finite"),
            ([Array("s0".utf8), Array("-inf".utf8)], "non_finite"),
            ([Array("s0".utf8), Array("yesterday 4".utf8)], "invalid_timestamp"),
        ]
        var expected: [String: Int] = [:]
        var valid = 0
        for t in 0..<500 {
            for index in 0..<4 {
                try harness.publisher.send(strings: ["s\(index)", "\(t) \(sin(Double(t + index) / 5))"])
                valid += 1
            }
            let bad = malformed[t % malformed.count]
            try harness.publisher.send(bad.frames)
            expected[bad.reason, default: 0] += 1
        }

        let forecast = try harness.nextForecast(within: 30)
        XCTAssertNotNil(forecast, "no forecast during the flood; log:\n\(harness.log)")

        // Status is answered on the main loop after earlier messages, so poll until the counts settle.
        var status: [String: Any] = [:]
        let deadline = Date(timeIntervalSinceNow: 20)
        repeat {
            let reply = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
            XCTAssertEqual(reply.status, 0, reply.output)
            status = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(reply.output.utf8)) as? [String: Any])
        } while (status["points_accepted"] as? NSNumber)?.intValue != valid && Date() < deadline

        XCTAssertEqual((status["points_accepted"] as? NSNumber)?.intValue, valid)
        let rejected = try XCTUnwrap(status["rejected"] as? [String: Any])
        for (reason, count) in expected {
            XCTAssertEqual((rejected[reason] as? NSNumber)?.intValue, count, "reason \(reason)")
        }
        let series = try XCTUnwrap(status["series"] as? [[String: Any]])
        XCTAssertEqual(series.count, 4)
        for entry in series {
            XCTAssertEqual((entry["points_accepted"] as? NSNumber)?.intValue, 500, "\(entry["name"] ?? "?")")
        }
        XCTAssertEqual(harness.stop(), 0, "log:\n\(harness.log)")
    }

    func testPointsBeyondMaxSeriesAreRejected() throws {
        let harness = try DaemonHarness(test: self, extra: "limits:\n  max_series: 2")
        try harness.start()
        for name in ["a", "b", "c", "d"] {
            try harness.send(series: name, timestamps: 0..<3) { Double($0) }
        }
        var status: [String: Any] = [:]
        let deadline = Date(timeIntervalSinceNow: 10)
        repeat {
            let reply = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
            status = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(reply.output.utf8)) as? [String: Any])
        } while (status["points_accepted"] as? NSNumber)?.intValue != 6 && Date() < deadline
        XCTAssertEqual((status["points_accepted"] as? NSNumber)?.intValue, 6)
        XCTAssertEqual(((status["rejected"] as? [String: Any])?["too_many_series"] as? NSNumber)?.intValue, 6)
        XCTAssertEqual((status["series"] as? [Any])?.count, 2)
        XCTAssertTrue(harness.log.contains("reason=too_many_series"), harness.log)
        XCTAssertEqual(harness.stop(), 0)
    }
}

/// Forecasts run on two threads; each series' forecasts must still leave in the order of its points.
final class ForecastOrderTests: XCTestCase {
    func testEachSeriesForecastsInPointOrder() throws {
        let harness = try DaemonHarness(
            test: self, extra: ReloadTests.smallModel + "\nforecast:\n  every_points: 1\n  horizon: 5")
        try harness.start()
        let series = (0..<6).map { "order\($0)" }
        // The first 40 points train every series, and each then publishes its install forecast.
        for t in 0..<40 {
            for name in series { try harness.publisher.send(strings: [name, "\(t) \(sin(Double(t) / 7))"]) }
        }
        var trained = Set<String>()
        let trainingDeadline = Date(timeIntervalSinceNow: 30)
        while trained.count < series.count && Date() < trainingDeadline {
            if let name = try harness.nextForecast(within: 2)?["series"] as? String { trained.insert(name) }
        }
        XCTAssertEqual(trained.count, series.count, "not every series trained; log:\n\(harness.log)")

        // Each of the next 100 points of every series triggers a forecast, sent as fast as the socket takes
        // them. The 600 forecasts stay below the 1,000 messages an XPUB queues for one subscriber before it drops.
        for t in 40..<140 {
            for name in series { try harness.publisher.send(strings: [name, "\(t) \(sin(Double(t) / 7))"]) }
        }
        var timestamps: [String: [Double]] = [:]
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline, series.contains(where: { (timestamps[$0]?.last ?? -1) < 139 }) {
            guard let forecast = try harness.nextForecast(within: 2),
                let name = forecast["series"] as? String, let ts = (forecast["ts"] as? NSNumber)?.doubleValue
            else { continue }
            timestamps[name, default: []].append(ts)
        }
        for name in series {
            let seen = timestamps[name] ?? []
            XCTAssertEqual(seen.last, 139, "\(name) did not forecast from its last point; log:\n\(harness.log)")
            // An install forecast may repeat the timestamp it starts from, never go back.
            XCTAssertEqual(seen, seen.sorted(), "\(name)'s forecasts left out of order")
            XCTAssertEqual(Set(seen.filter { $0 >= 40 }).count, 100, "\(name) lost forecasts: \(seen.count) arrived")
        }
        XCTAssertEqual(harness.stop(), 0)
    }
}
