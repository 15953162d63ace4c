import Configuration
import Forecasting
import XCTest

/// Point ordering, forecasting cadence and forecast timestamps in the engine.
final class ForecastEngineIngestTests: XCTestCase {
    private func makeEngine(_ settings: Settings = tinySettings(), clock: @escaping () -> Double = { 1_000 }) -> ForecastEngine {
        ForecastEngine(settings: settings, clock: clock)
    }

    /// Feeds points until the first training, runs it and installs the model; returns the install's actions.
    private func installFirstModel(_ engine: ForecastEngine, series: String = "s", step: Double = 60) throws -> [EngineAction] {
        let minPoints = engine.settings.settings(forSeries: series).retrain.minPoints
        let job = try XCTUnwrap(trainingJobs(try ingestSeries(engine, series, count: minPoints, step: step)).first)
        return engine.install(job.run()).1
    }

    func testOutOfOrderPointIsRejected() throws {
        let engine = makeEngine()
        _ = try ingestAccepted(engine, "s", at: 100, 1)
        let result = engine.ingest(try makePoint("s", at: 99, 2))
        guard case .failure(let rejection) = result else {
            return XCTFail("expected a rejection, got \(result)")
        }
        XCTAssertEqual(rejection.reason, .outOfOrder)
        XCTAssertEqual(rejection.series, "s")
        XCTAssertEqual(rejection.detail, "timestamp 99.0 is before the series' last point at 100.0")
    }

    func testOutOfOrderPointIsNotStored() throws {
        let engine = makeEngine()
        _ = try ingestAccepted(engine, "s", at: 100, 1)
        _ = engine.ingest(try makePoint("s", at: 50, 2))
        XCTAssertEqual(engine.rejections[.outOfOrder], 1)
        XCTAssertEqual(engine.pointsAccepted, 1)
        XCTAssertEqual(engine.series["s"]?.window.allValues, [1])
    }

    func testOrderIsCheckedPerSeries() throws {
        let engine = makeEngine()
        _ = try ingestAccepted(engine, "a", at: 100, 1)
        XCTAssertEqual(try ingestAccepted(engine, "b", at: 50, 2).count, 0)
        XCTAssertEqual(engine.series.count, 2)
    }

    func testRepeatedTimestampReplacesLastValue() throws {
        let engine = makeEngine()
        _ = try ingestAccepted(engine, "s", at: 100, 1)
        _ = try ingestAccepted(engine, "s", at: 200, 2)
        let actions = try ingestAccepted(engine, "s", at: 200, 7)
        XCTAssertEqual(actions.count, 0)
        XCTAssertEqual(engine.series["s"]?.window.allValues, [1, 7])
        XCTAssertEqual(engine.series["s"]?.window.last?.timestamp, 200)
    }

    func testRepeatedTimestampCountsAsAcceptedPoint() throws {
        let engine = makeEngine()
        _ = try ingestAccepted(engine, "s", at: 100, 1)
        _ = try ingestAccepted(engine, "s", at: 100, 2)
        XCTAssertEqual(engine.pointsAccepted, 2)
        XCTAssertEqual(engine.series["s"]?.pointsAccepted, 2)
    }

    func testRepeatedTimestampDoesNotReachMinPoints() throws {
        let engine = makeEngine()
        _ = try ingestSeries(engine, "s", count: 4)
        let actions = try ingestAccepted(engine, "s", at: startTime + 3 * 60, 5)
        XCTAssertEqual(trainingJobs(actions).count, 0)
    }

    func testPointWithoutTimestampTakesClockTime() throws {
        let engine = makeEngine(clock: { 1_234.5 })
        let point = try PointParser().parse([bytes("s"), bytes("3")]).get()
        _ = engine.ingest(point)
        XCTAssertEqual(engine.series["s"]?.window.last?.timestamp, 1_234.5)
    }

    func testCountRejectionAddsToTally() {
        let engine = makeEngine()
        engine.countRejection(.invalidJSON)
        engine.countRejection(.invalidJSON)
        engine.countRejection(.notUTF8)
        XCTAssertEqual(engine.rejections, [.invalidJSON: 2, .notUTF8: 1])
    }

    func testInstallPublishesForecastAtOnce() throws {
        let engine = makeEngine()
        let published = forecasts(try installFirstModel(engine))
        XCTAssertEqual(published.count, 1)
        XCTAssertEqual(published.first?.series, "s")
        XCTAssertEqual(published.first?.values.count, 4)
        XCTAssertEqual(published.first?.model.version, 1)
    }

    func testForecastValuesAreFinite() throws {
        let engine = makeEngine()
        let forecast = try XCTUnwrap(forecasts(try installFirstModel(engine)).first)
        XCTAssertTrue(forecast.values.allSatisfy(\.isFinite), "\(forecast.values)")
        XCTAssertNil(forecast.fallback)
    }

    func testEveryPointForecastsWhenEveryPointsIsOne() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000, forecastEvery: 1))
        _ = try installFirstModel(engine)
        for index in 0..<3 {
            let actions = try ingestAccepted(engine, "s", at: startTime + Double(5 + index) * 60, 1)
            XCTAssertEqual(forecasts(actions).count, 1, "point \(index)")
        }
    }

    func testForecastEveryThirdPoint() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000, forecastEvery: 3))
        _ = try installFirstModel(engine)
        var published: [Int] = []
        for index in 1...9 {
            let actions = try ingestAccepted(engine, "s", at: startTime + Double(4 + index) * 60, 1)
            published += Array(repeating: index, count: forecasts(actions).count)
        }
        XCTAssertEqual(published, [3, 6, 9])
    }

    func testForecastStartsFromLastPoint() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000))
        _ = try installFirstModel(engine)
        let actions = try ingestAccepted(engine, "s", at: startTime + 5 * 60, 1)
        XCTAssertEqual(forecasts(actions).first?.timestamp, startTime + 5 * 60)
    }

    func testForecastTimestampsAreSpacedByMedianInterval() throws {
        let engine = makeEngine(tinySettings(horizon: 4))
        let forecast = try XCTUnwrap(forecasts(try installFirstModel(engine, step: 60)).first)
        let last = startTime + 4 * 60
        XCTAssertEqual(forecast.interval, 60)
        XCTAssertEqual(forecast.timestamps, [last + 60, last + 120, last + 180, last + 240])
    }

    func testForecastAfterLongGapWaitsForNewSegment() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000, horizon: 2))
        _ = try installFirstModel(engine, step: 10)
        let afterGap = startTime + 40 + 3600
        XCTAssertTrue(forecasts(try ingestAccepted(engine, "s", at: afterGap, 1)).isEmpty)
        _ = try ingestAccepted(engine, "s", at: afterGap + 10, 2)
        let forecast = try XCTUnwrap(forecasts(try ingestAccepted(engine, "s", at: afterGap + 20, 3)).first)
        XCTAssertEqual(forecast.interval, 10)
        XCTAssertEqual(forecast.timestamps, [afterGap + 30, afterGap + 40])
        XCTAssertEqual(forecast.segmentStart, afterGap)
    }

    func testForecastHorizonComesFromSettings() throws {
        let engine = makeEngine(tinySettings(horizon: 7))
        let forecast = try XCTUnwrap(forecasts(try installFirstModel(engine)).first)
        XCTAssertEqual(forecast.values.count, 7)
        XCTAssertEqual(forecast.timestamps.count, 7)
    }

    func testForecastsArePublishedPerSeries() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000))
        _ = try installFirstModel(engine, series: "with-model")
        _ = try ingestSeries(engine, "without-model", count: 3)
        let actions = try ingestAccepted(engine, "without-model", at: startTime + 10 * 60, 1)
        XCTAssertEqual(forecasts(actions).count, 0)
    }
}
