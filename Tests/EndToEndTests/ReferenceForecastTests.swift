import Foundation
import LSTMKit
import XCTest
import ZeroMQ

/// Runs the real daemon on the reference series and checks its forecast.
final class ReferenceForecastTests: XCTestCase {
    /// RMSE bound against the conditional mean over 50 steps. Measured with
    /// the default settings (detrend, calendar features, LSTM(50), 100 epochs)
    /// on noise seeds 1–5: 0.065–0.19. Repeating the last value scores
    /// 0.71–1.02 on the same seeds.
    static let rmseBound = 0.4

    func testDaemonForecastOfReferenceSeriesBeatsBound() throws {
        let folder = try makeTemporaryFolder(self)
        let input = "ipc://\(folder.path)/in"
        let output = "ipc://\(folder.path)/out"
        let configPath = folder.appendingPathComponent("lstmcast.yaml").path
        try """
        input:
          connect: ["\(input)"]
        output:
          bind: ["\(output)"]
        control:
          bind: "ipc://\(folder.path)/control"
        state_dir: "\(folder.path)/state"
        training:
          window: 1001
          validation_fraction: 0
        retrain:
          min_points: 1001
          every_points: 100000
        forecast:
          horizon: 50
        """.write(toFile: configPath, atomically: true, encoding: .utf8)

        let context = try Context()
        let publisher = try Socket(context: context, type: .extendedPublisher)
        let subscriber = try Socket(context: context, type: .subscriber)
        defer {
            publisher.close()
            subscriber.close()
        }
        try publisher.setNoDrop(true)
        try publisher.setSendHighWaterMark(0)
        try publisher.bind(input)
        try subscriber.subscribe("forecast.")
        try subscriber.connect(output)

        let daemon = try DaemonProcess(configPath: configPath, folder: folder)
        try publisher.setReceiveTimeout(milliseconds: 20_000)
        guard case .done(let subscription) = try publisher.receive(), subscription.first?.first == 1 else {
            return XCTFail("the daemon did not subscribe within 20 s; its log:\n\(daemon.log)")
        }

        let values = ReferenceSeries.generate(count: 1001, seed: 1)
        for (t, value) in values.enumerated() {
            try publisher.send(strings: ["sine", "{\"ts\":\(t),\"value\":\(value)}"])
        }

        // Training starts at the 1,001st point and takes seconds; the model's
        // first forecast starts from the last point, t = 1000.
        try subscriber.setReceiveTimeout(milliseconds: 1000)
        let deadline = Date(timeIntervalSinceNow: 180)
        var forecast: [String: Any]?
        while forecast == nil && Date() < deadline {
            guard case .done(let frames) = try subscriber.receive() else { continue }
            XCTAssertEqual(frames.count, 2)
            XCTAssertEqual(String(decoding: frames[0], as: UTF8.self), "forecast.sine")
            let object = try JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any]
            if (object?["ts"] as? NSNumber)?.doubleValue == 1000 { forecast = object }
        }
        let received = try XCTUnwrap(forecast, "no forecast from t=1000 within 180 s; daemon log:\n\(daemon.log)")

        let forecastValues = try XCTUnwrap(received["values"] as? [NSNumber]).map(\.doubleValue)
        let timestamps = try XCTUnwrap(received["timestamps"] as? [NSNumber]).map(\.doubleValue)
        XCTAssertEqual(forecastValues.count, 50)
        XCTAssertEqual(timestamps.first, 1001)
        XCTAssertEqual(timestamps.last, 1050)
        XCTAssertEqual((received["interval"] as? NSNumber)?.doubleValue, 1)
        XCTAssertEqual(received["series"] as? String, "sine")
        let model = try XCTUnwrap(received["model"] as? [String: Any])
        XCTAssertEqual((model["version"] as? NSNumber)?.intValue, 1)
        XCTAssertEqual((model["points"] as? NSNumber)?.intValue, 1001)

        let means = (1001...1050).map { ReferenceSeries.conditionalMean(at: $0) }
        let rmse = rootMeanSquare(zip(forecastValues, means).map { $0 - $1 })
        let lastValueRMSE = rootMeanSquare(means.map { values.last! - $0 })
        print("reference forecast: rmse=\(rmse) last_value_rmse=\(lastValueRMSE) bound=\(Self.rmseBound)")
        XCTAssertLessThan(rmse, Self.rmseBound, "forecast RMSE against the conditional mean")
        XCTAssertGreaterThan(lastValueRMSE, Self.rmseBound, "the bound must reject a last-value forecast")

        XCTAssertEqual(daemon.terminate(), 0, "lstmcastd did not exit 0 on SIGTERM; log:\n\(daemon.log)")
        XCTAssertTrue(daemon.log.contains("model trained series=sine"), daemon.log)
        XCTAssertTrue(daemon.log.contains("lstmcastd stopped"), daemon.log)
    }
}

func rootMeanSquare(_ errors: [Double]) -> Double {
    (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
}
