import Configuration
import Forecasting
import XCTest

/// Forecasts that the engine hands out as requests, run elsewhere and return
/// through `complete`, as the daemon's forecast thread does.
final class DeferredForecastTests: XCTestCase {
    /// Returns an engine whose series "s" has a trained model, with deferred forecasts.
    private func engineWithModel(deferred: Bool = true) throws -> ForecastEngine {
        let engine = ForecastEngine(settings: tinySettings(retrainEvery: 1000, horizon: 3), clock: { 1_000 })
        engine.defersForecasts = deferred
        let job = try XCTUnwrap(trainingJobs(try ingestSeries(engine, "s", count: 5)).first)
        // The install forecast is left unrun, so it scores nothing below.
        _ = engine.install(job.run())
        return engine
    }

    private func requests(_ actions: [EngineAction]) -> [ForecastRequest] {
        actions.compactMap { action in
            if case .forecast(let request) = action { return request }
            return nil
        }
    }

    func testDeferredForecastComesAsRequest() throws {
        let engine = try engineWithModel()
        let actions = try ingestAccepted(engine, "s", at: startTime + 5 * 60, 51)
        XCTAssertTrue(forecasts(actions).isEmpty, "no finished forecast while forecasts are deferred")
        let request = try XCTUnwrap(requests(actions).first)
        let forecast = request.run()
        XCTAssertEqual(forecast.series, "s")
        XCTAssertEqual(forecast.timestamp, startTime + 5 * 60)
        XCTAssertEqual(forecast.values.count, 3)
        XCTAssertTrue(forecast.values.allSatisfy(\.isFinite))
    }

    func testDeferredMatchesImmediateForecast() throws {
        let deferred = try engineWithModel()
        let request = try XCTUnwrap(requests(try ingestAccepted(deferred, "s", at: startTime + 5 * 60, 51)).first)
        let immediate = try engineWithModel(deferred: false)
        let forecast = try XCTUnwrap(forecasts(try ingestAccepted(immediate, "s", at: startTime + 5 * 60, 51)).first)
        let fromRequest = request.run()
        XCTAssertEqual(fromRequest.values, forecast.values)
        XCTAssertEqual(fromRequest.timestamps, forecast.timestamps)
        XCTAssertEqual(fromRequest.bounds, forecast.bounds)
        XCTAssertEqual(fromRequest.fallback, forecast.fallback)
    }

    func testPointsArrivingMeanwhileAreScored() throws {
        let engine = try engineWithModel()
        let request = try XCTUnwrap(requests(try ingestAccepted(engine, "s", at: startTime + 5 * 60, 51)).first)
        // Two points arrive while the forecast runs elsewhere; their own forecasts are left unrun.
        _ = try ingestAccepted(engine, "s", at: startTime + 6 * 60, 52)
        _ = try ingestAccepted(engine, "s", at: startTime + 7 * 60, 53)
        XCTAssertEqual(engine.series["s"]?.accuracy.scoredForecasts, 0)

        let forecast = request.run()
        engine.complete(forecast)
        let tracker = try XCTUnwrap(engine.series["s"]?.accuracy)
        XCTAssertEqual(tracker.scoredForecasts, 1, "the first lead was scored on completion")
        XCTAssertEqual(tracker.errors(lead: 1), [52 - forecast.values[0]])
        XCTAssertEqual(tracker.errors(lead: 2), [53 - forecast.values[1]])
        XCTAssertTrue(tracker.errors(lead: 3).isEmpty, "the third lead's point has not arrived")

        _ = try ingestAccepted(engine, "s", at: startTime + 8 * 60, 54)
        XCTAssertEqual(engine.series["s"]?.accuracy.errors(lead: 3), [54 - forecast.values[2]])
    }

    func testCompletionAfterNewSegmentScoresNothing() throws {
        let engine = try engineWithModel()
        let request = try XCTUnwrap(requests(try ingestAccepted(engine, "s", at: startTime + 5 * 60, 51)).first)
        // A gap longer than sampling.max_gap starts a new segment before the forecast returns.
        _ = try ingestAccepted(engine, "s", at: startTime + 500 * 60, 52)
        _ = try ingestAccepted(engine, "s", at: startTime + 501 * 60, 53)
        engine.complete(request.run())
        XCTAssertEqual(engine.series["s"]?.accuracy.scoredForecasts, 0)
    }

    func testCompletionForUnknownSeriesIsIgnored() throws {
        let engine = try engineWithModel()
        let request = try XCTUnwrap(requests(try ingestAccepted(engine, "s", at: startTime + 5 * 60, 51)).first)
        let other = ForecastEngine(settings: tinySettings(), clock: { 1_000 })
        other.complete(request.run())
        XCTAssertTrue(other.series.isEmpty)
    }
}
