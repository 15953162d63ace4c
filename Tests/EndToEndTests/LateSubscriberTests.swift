import Foundation
import XCTest
import ZeroMQ

/// The daemon's last-value cache: a subscriber that connects after a
/// forecast was published receives it at once.
final class LateSubscriberTests: XCTestCase {
    func testLateSubscriberGetsCachedForecastWithin100ms() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        try harness.send(series: "wave", timestamps: 0..<40) { sin(Double($0) / 3) }
        try harness.send(series: "other", timestamps: 0..<40) { cos(Double($0) / 3) }
        let published = try harness.nextForecast(within: 30) { ($0["series"] as? String) == "wave" }
        XCTAssertNotNil(published, "no forecast for wave; log:\n\(harness.log)")

        let late = try Socket(context: harness.context, type: .subscriber)
        defer { late.close() }
        try late.setLinger(milliseconds: 0)
        try late.setReceiveTimeout(milliseconds: 100)
        try late.subscribe("forecast.wave")
        let started = Date()
        try late.connect(harness.outputEndpoint)
        guard case .done(let frames) = try late.receive() else {
            return XCTFail("no cached forecast within 100 ms; log:\n\(harness.log)")
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 0.1)
        XCTAssertEqual(String(decoding: frames[0], as: UTF8.self), "forecast.wave")
        let cached = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any])
        XCTAssertEqual((cached["ts"] as? NSNumber)?.intValue, 39)
        XCTAssertEqual(cached["series"] as? String, "wave")

        // The subscription covers one series, so the other series' cache stays unsent.
        XCTAssertNil(try? late.receive().doneValue, "a forecast of another series arrived")
        XCTAssertEqual(harness.stop(), 0)
    }
}

extension IOResult {
    var doneValue: Value? {
        if case .done(let value) = self { return value }
        return nil
    }
}
