import Configuration
import Forecasting
import Foundation
import XCTest

/// Prediction intervals in published forecasts: from the training backtest
/// first, from live errors once enough have been scored.
final class PredictionIntervalTests: XCTestCase {
    private func makeEngine(minLiveErrors: Int = 30) -> ForecastEngine {
        var settings = tinySettings(minPoints: 200, retrainEvery: 100_000, horizon: 4)
        settings.defaults.training.window = 400
        settings.defaults.training.validationFraction = 0.25
        settings.defaults.forecast.minLiveErrors = minLiveErrors
        return ForecastEngine(settings: settings, clock: { 0 })
    }

    private func firstForecast(_ engine: ForecastEngine) throws -> Forecast {
        let job = try XCTUnwrap(trainingJobs(try ingestSeries(engine, "s", count: 200)).first)
        return try XCTUnwrap(forecasts(engine.install(job.run()).1).first)
    }

    func testFirstForecastHasBacktestInterval() throws {
        let forecast = try firstForecast(makeEngine())
        let bounds = try XCTUnwrap(forecast.bounds, "no interval from a 25% validation backtest")
        XCTAssertEqual(bounds.source, "backtest")
        XCTAssertEqual(bounds.coverage, 0.9)
        XCTAssertEqual(bounds.lower.count, 4)
        for lead in 0..<4 {
            let lower = try XCTUnwrap(bounds.lower[lead], "lead \(lead + 1)")
            let upper = try XCTUnwrap(bounds.upper[lead], "lead \(lead + 1)")
            XCTAssertLessThanOrEqual(lower, upper, "lead \(lead + 1)")
        }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(forecast.json().utf8)) as? [String: Any])
        XCTAssertEqual((json["lower"] as? [Any])?.count, 4)
        XCTAssertEqual(json["interval_source"] as? String, "backtest")
    }

    func testIntervalSwitchesToLiveErrors() throws {
        let engine = makeEngine(minLiveErrors: 20)
        _ = try firstForecast(engine)
        var latest: Forecast?
        for index in 200..<260 {
            let value = sin(Double(index) / 3) * 10 + 50
            latest = forecasts(try ingestAccepted(engine, "s", at: startTime + Double(index) * 60, value)).last ?? latest
        }
        XCTAssertEqual(latest?.bounds?.source, "live")
        XCTAssertGreaterThan(latest?.accuracy?.scored ?? 0, 50)
        XCTAssertNotNil(latest?.accuracy?.skill)
    }

    func testZeroCoveragePublishesNoInterval() throws {
        var settings = tinySettings(minPoints: 200, retrainEvery: 100_000, horizon: 4)
        settings.defaults.training.window = 400
        settings.defaults.training.validationFraction = 0.25
        settings.defaults.forecast.intervalCoverage = 0
        let forecast = try firstForecast(ForecastEngine(settings: settings, clock: { 0 }))
        XCTAssertNil(forecast.bounds)
    }
}
