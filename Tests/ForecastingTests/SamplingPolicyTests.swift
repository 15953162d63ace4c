import Configuration
import Forecasting
import Foundation
import XCTest

/// Gaps, segments and clock checks in `ForecastEngine.ingest`.
final class SamplingPolicyTests: XCTestCase {
    private func makeEngine(maxGap: Int = 2, interval: Double? = nil) -> ForecastEngine {
        var settings = tinySettings(minPoints: 100, retrainEvery: 100)
        settings.defaults.sampling.maxGap = maxGap
        settings.defaults.sampling.interval = interval
        settings.defaults.sampling.maxFutureSeconds = 300
        return ForecastEngine(settings: settings, clock: { startTime + 86_400 })
    }

    func testShortGapIsFilledLinearly() throws {
        let engine = makeEngine()
        _ = try ingestSeries(engine, "s", count: 5, step: 60)
        let lastTime = startTime + 4 * 60
        _ = try ingestAccepted(engine, "s", at: lastTime + 180, 13)

        let state = try XCTUnwrap(engine.series["s"])
        XCTAssertEqual(state.pointsFilled, 2)
        XCTAssertEqual(state.pointsAccepted, 6)
        XCTAssertEqual(state.window.count, 8)
        let last = state.window.suffixValues(4)
        let before = last[0]
        XCTAssertEqual(last[1], before + (13 - before) / 3, accuracy: 1e-9)
        XCTAssertEqual(last[2], before + 2 * (13 - before) / 3, accuracy: 1e-9)
        XCTAssertEqual(state.window.suffixTimestamps(3), [lastTime + 60, lastTime + 120, lastTime + 180])
        XCTAssertNil(state.segmentStart)
    }

    func testLongGapStartsNewSegment() throws {
        let engine = makeEngine()
        _ = try ingestSeries(engine, "s", count: 5, step: 60)
        let resume = startTime + 4 * 60 + 600
        _ = try ingestAccepted(engine, "s", at: resume, 7)

        let state = try XCTUnwrap(engine.series["s"])
        XCTAssertEqual(state.window.count, 1, "no training window may span the gap")
        XCTAssertEqual(state.segmentStart, resume)
        XCTAssertEqual(state.pointsFilled, 0)
    }

    func testConfiguredIntervalOverridesLearnedSpacing() throws {
        let engine = makeEngine(maxGap: 10, interval: 30)
        _ = try ingestSeries(engine, "s", count: 3, step: 60)
        XCTAssertEqual(engine.series["s"]?.pointsFilled, 2, "each 60 s step hides one 30 s point")
    }

    func testFutureTimestampIsRejected() throws {
        let engine = makeEngine()
        let point = try makePoint("s", at: startTime + 86_400 + 301, 1)
        guard case .failure(let rejection) = engine.ingest(point) else { return XCTFail("accepted a future point") }
        XCTAssertEqual(rejection.reason, .futureTimestamp)
        XCTAssertEqual(engine.rejections[.futureTimestamp], 1)
        XCTAssertEqual(engine.series["s"]?.rejections[.futureTimestamp], 1)
        XCTAssertNil(engine.checkpoint(series: "s"), "a series with only rejected points has nothing to keep")
    }

    func testSeriesBeyondLimitIsRejected() throws {
        var settings = tinySettings()
        settings.limits.maxSeries = 1
        let engine = ForecastEngine(settings: settings, clock: { startTime + 86_400 })
        _ = try ingestAccepted(engine, "first", at: startTime, 1)
        guard case .failure(let rejection) = engine.ingest(try makePoint("second", at: startTime, 1)) else {
            return XCTFail("accepted a series beyond limits.max_series")
        }
        XCTAssertEqual(rejection.reason, .tooManySeries)
        XCTAssertEqual(engine.series.count, 1)
    }
}

/// The guard that replaces unusable network output.
final class DegenerateForecastTests: XCTestCase {
    func testNonFiniteForecastIsDegenerate() {
        XCTAssertNotNil(degenerateForecastProblem([1, .nan], window: [0, 1, 2]))
        XCTAssertNotNil(degenerateForecastProblem([.infinity], window: [0, 1, 2]))
    }

    func testForecastFarOutsideWindowIsDegenerate() {
        XCTAssertNotNil(degenerateForecastProblem([6.5], window: [0, 1, 2]))
        XCTAssertNotNil(degenerateForecastProblem([-4.5], window: [0, 1, 2]))
    }

    func testForecastWithinTwoRangesIsUsable() {
        XCTAssertNil(degenerateForecastProblem([5.9, -3.9, 1], window: [0, 1, 2]))
    }

    func testLongHorizonWidensMargin() {
        // Six values after a three-point window double the margin to four ranges.
        XCTAssertNil(degenerateForecastProblem([9.9, 0, 0, 0, 0, 0], window: [0, 1, 2]))
        XCTAssertNotNil(degenerateForecastProblem([10.1, 0, 0, 0, 0, 0], window: [0, 1, 2]))
    }
}
