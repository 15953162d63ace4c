import Configuration
import Forecasting
import XCTest

/// When the engine requests a training, and what it does with the outcome.
final class ForecastEngineTrainingTests: XCTestCase {
    private func makeEngine(_ settings: Settings = tinySettings()) -> ForecastEngine {
        ForecastEngine(settings: settings, clock: { 1_000 })
    }

    /// Feeds `minPoints` points and returns the one training job they cause.
    private func firstJob(_ engine: ForecastEngine, series: String = "s") throws -> TrainingJob {
        let minPoints = engine.settings.settings(forSeries: series).retrain.minPoints
        let jobs = trainingJobs(try ingestSeries(engine, series, count: minPoints))
        XCTAssertEqual(jobs.count, 1)
        return try XCTUnwrap(jobs.first)
    }

    func testNoTrainingBeforeMinPoints() throws {
        let engine = makeEngine()
        let actions = try ingestSeries(engine, "s", count: 4)
        XCTAssertEqual(trainingJobs(actions).count, 0)
    }

    func testNoForecastWhileCollecting() throws {
        let engine = makeEngine()
        XCTAssertEqual(forecasts(try ingestSeries(engine, "s", count: 30)).count, 0)
    }

    func testTrainActionArrivesWithFifthPoint() throws {
        let engine = makeEngine()
        _ = try ingestSeries(engine, "s", count: 4)
        let actions = try ingestAccepted(engine, "s", at: startTime + 4 * 60, 9)
        XCTAssertEqual(trainingJobs(actions).count, 1)
    }

    func testTrainingJobSnapshotsWindowAndSettings() throws {
        let engine = makeEngine()
        let job = try firstJob(engine)
        XCTAssertEqual(job.series, "s")
        XCTAssertEqual(job.values, engine.series["s"]?.window.allValues)
        XCTAssertEqual(job.values.count, 5)
        XCTAssertEqual(job.specification.nStep, 3)
        XCTAssertEqual(job.specification.hidden, [2])
        XCTAssertEqual(job.options.epochs, 2)
    }

    func testNoSecondJobWhileTrainingInFlight() throws {
        let engine = makeEngine()
        _ = try firstJob(engine)
        let later = try ingestSeries(engine, "s", count: 30, from: startTime + 5 * 60)
        XCTAssertEqual(trainingJobs(later).count, 0)
        XCTAssertEqual(engine.series["s"]?.trainingInFlight, true)
    }

    func testInstallRetrainsWhenPointsArrivedMeanwhile() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 10))
        let job = try firstJob(engine)
        _ = try ingestSeries(engine, "s", count: 10, from: startTime + 5 * 60)
        let (_, actions) = engine.install(job.run())
        XCTAssertEqual(trainingJobs(actions).count, 1)
    }

    func testRetrainAfterEveryPointsNewPoints() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 10))
        let job = try firstJob(engine)
        let (_, installActions) = engine.install(job.run())
        XCTAssertEqual(trainingJobs(installActions).count, 0)

        let quiet = try ingestSeries(engine, "s", count: 9, from: startTime + 5 * 60)
        XCTAssertEqual(trainingJobs(quiet).count, 0)
        let due = try ingestAccepted(engine, "s", at: startTime + 14 * 60, 1)
        XCTAssertEqual(trainingJobs(due).count, 1)
    }

    func testInstalledEventCarriesModelInfo() throws {
        let engine = makeEngine()
        let job = try firstJob(engine)
        let (event, _) = engine.install(job.run())
        guard case .installed(let series, let info) = event else {
            return XCTFail("expected .installed, got \(event)")
        }
        XCTAssertEqual(series, "s")
        XCTAssertEqual(info.version, 1)
        XCTAssertEqual(info.points, 5)
        XCTAssertEqual(info.epochs, 2)
        XCTAssertTrue(info.trainingLoss.isFinite)
    }

    func testSecondInstallBumpsModelVersion() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 3))
        _ = engine.install(try firstJob(engine).run())
        let jobs = trainingJobs(try ingestSeries(engine, "s", count: 3, from: startTime + 5 * 60))
        let job = try XCTUnwrap(jobs.first)
        _ = engine.install(job.run())
        XCTAssertEqual(engine.series["s"]?.modelVersion, 2)
        XCTAssertEqual(engine.series["s"]?.modelInfo?.version, 2)
    }

    func testInstallClearsInFlightFlag() throws {
        let engine = makeEngine()
        _ = engine.install(try firstJob(engine).run())
        XCTAssertEqual(engine.series["s"]?.trainingInFlight, false)
        XCTAssertNotNil(engine.series["s"]?.model)
    }

    func testCancelledTrainingIsDiscardedAndSeriesTrainsAgain() throws {
        let engine = makeEngine()
        let outcome = try firstJob(engine).run(shouldContinue: { false })
        let (event, actions) = engine.install(outcome)
        guard case .discarded(_, let reason) = event else {
            return XCTFail("expected .discarded, got \(event)")
        }
        XCTAssertEqual(reason, "training was cancelled")
        XCTAssertEqual(actions.count, 0)
        XCTAssertNil(engine.series["s"]?.model)
        let next = try ingestAccepted(engine, "s", at: startTime + 5 * 60, 1)
        XCTAssertEqual(trainingJobs(next).count, 1)
    }

    func testFailedTrainingIsReportedAndCounted() throws {
        // min_points below n_step + 2, which only code can set, gives a job too short to train on.
        let engine = makeEngine(tinySettings(minPoints: 2))
        let outcome = try firstJob(engine).run()
        let (event, _) = engine.install(outcome)
        guard case .failed(let series, let message, _) = event else {
            return XCTFail("expected .failed, got \(event)")
        }
        XCTAssertEqual(series, "s")
        XCTAssertFalse(message.isEmpty)
        XCTAssertEqual(engine.series["s"]?.trainingFailures, 1)
        XCTAssertEqual(engine.series["s"]?.lastTrainingError, message)
        XCTAssertNil(engine.series["s"]?.model)
    }

    func testOutcomeForUnknownSeriesIsDiscarded() throws {
        let other = makeEngine()
        let outcome = try firstJob(other, series: "elsewhere").run()
        let (event, actions) = makeEngine().install(outcome)
        guard case .discarded(let series, let reason) = event else {
            return XCTFail("expected .discarded, got \(event)")
        }
        XCTAssertEqual(series, "elsewhere")
        XCTAssertEqual(reason, "series no longer exists")
        XCTAssertEqual(actions.count, 0)
    }

    func testRequestRetrainOfNamedSeriesReturnsJob() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000))
        _ = engine.install(try firstJob(engine).run())
        XCTAssertEqual(trainingJobs(engine.requestRetrain(series: "s")).map(\.series), ["s"])
    }

    func testRetrainAllReturnsJobPerSeries() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000))
        _ = engine.install(try firstJob(engine, series: "a").run())
        _ = engine.install(try firstJob(engine, series: "b").run())
        let names = trainingJobs(engine.requestRetrain(series: nil)).map(\.series).sorted()
        XCTAssertEqual(names, ["a", "b"])
    }

    func testRequestRetrainOfUnknownSeriesReturnsNothing() throws {
        let engine = makeEngine()
        _ = engine.install(try firstJob(engine).run())
        XCTAssertEqual(engine.requestRetrain(series: "nope").count, 0)
    }

    func testRequestRetrainDuringTrainingWaitsForInstall() throws {
        let engine = makeEngine(tinySettings(retrainEvery: 1000))
        _ = engine.install(try firstJob(engine).run())
        let job = try XCTUnwrap(trainingJobs(engine.requestRetrain(series: "s")).first)
        XCTAssertEqual(engine.requestRetrain(series: "s").count, 0)
        let (_, actions) = engine.install(job.run())
        XCTAssertEqual(trainingJobs(actions).count, 1)
    }

    func testSeriesOverrideSetsMinPointsPerSeries() throws {
        let settings = try ConfigurationLoader.parse(
            """
            model: {n_step: 3, hidden: [2]}
            training: {window: 40, epochs: 2}
            retrain: {min_points: 5}
            sampling: {max_future_seconds: 1e12}
            series:
              - match: slow.*
                retrain: {min_points: 8}

            """, file: "c.yaml")
        let engine = makeEngine(settings)
        XCTAssertEqual(trainingJobs(try ingestSeries(engine, "slow.a", count: 7)).count, 0)
        XCTAssertEqual(trainingJobs(try ingestSeries(engine, "fast.a", count: 5)).count, 1)
    }

    func testWindowCapacityComesFromSettings() throws {
        let engine = makeEngine()
        _ = try ingestSeries(engine, "s", count: 1)
        XCTAssertEqual(engine.series["s"]?.window.capacity, 40)
    }
}
