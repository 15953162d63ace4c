import Configuration
import Forecasting
import XCTest

/// The worker threads that run trainings off the engine's thread.
final class TrainingPoolTests: XCTestCase {
    private var pools: [TrainingPool] = []

    override func tearDown() {
        for pool in pools { pool.shutdown(timeout: 10) }
        pools.removeAll()
    }

    private func makePool(workers: Int) -> TrainingPool {
        let pool = TrainingPool(workers: workers)
        pools.append(pool)
        return pool
    }

    /// Makes a real job for `series` through an engine with tiny settings.
    private func makeJob(series: String, settings: Settings = tinySettings()) throws -> TrainingJob {
        let engine = ForecastEngine(settings: settings, clock: { 0 })
        let minPoints = settings.defaults.retrain.minPoints
        return try XCTUnwrap(trainingJobs(try ingestSeries(engine, series, count: minPoints)).first)
    }

    /// Polls `takeFinished()` until `count` outcomes arrived or `seconds` passed.
    private func collect(_ pool: TrainingPool, count: Int, within seconds: Double = 10) -> [TrainingOutcome] {
        let deadline = Date(timeIntervalSinceNow: seconds)
        var outcomes: [TrainingOutcome] = []
        while outcomes.count < count && Date() < deadline {
            outcomes += pool.takeFinished()
            if outcomes.count < count { Thread.sleep(forTimeInterval: 0.01) }
        }
        return outcomes
    }

    func testWorkerCountIsAtLeastOne() {
        XCTAssertEqual(makePool(workers: 0).workers, 1)
        XCTAssertEqual(makePool(workers: 3).workers, 3)
    }

    func testIdlePoolHasNothingFinishedOrActive() {
        let pool = makePool(workers: 1)
        XCTAssertEqual(pool.takeFinished().count, 0)
        XCTAssertEqual(pool.activeCount, 0)
    }

    func testSubmittedJobsFinishWithTheirSeries() throws {
        let pool = makePool(workers: 2)
        for series in ["a", "b", "c"] { pool.submit(try makeJob(series: series)) }
        let outcomes = collect(pool, count: 3)
        XCTAssertEqual(outcomes.map(\.series).sorted(), ["a", "b", "c"])
    }

    func testSubmittedJobsTrainSuccessfully() throws {
        let pool = makePool(workers: 1)
        pool.submit(try makeJob(series: "a"))
        let outcome = try XCTUnwrap(collect(pool, count: 1).first)
        XCTAssertNoThrow(try outcome.result.get())
    }

    func testTakeFinishedHandsEachOutcomeOutOnce() throws {
        let pool = makePool(workers: 1)
        pool.submit(try makeJob(series: "a"))
        XCTAssertEqual(collect(pool, count: 1).count, 1)
        XCTAssertEqual(pool.takeFinished().count, 0)
    }

    func testActiveCountFallsToZeroAfterCollection() throws {
        let pool = makePool(workers: 1)
        pool.submit(try makeJob(series: "a"))
        _ = collect(pool, count: 1)
        XCTAssertEqual(pool.activeCount, 0)
    }

    func testPoolOutcomeInstallsInEngine() throws {
        let engine = ForecastEngine(settings: tinySettings(), clock: { 0 })
        let job = try XCTUnwrap(trainingJobs(try ingestSeries(engine, "s", count: 5)).first)
        let pool = makePool(workers: 1)
        pool.submit(job)
        let outcome = try XCTUnwrap(collect(pool, count: 1).first)
        let (event, _) = engine.install(outcome)
        guard case .installed = event else { return XCTFail("expected .installed, got \(event)") }
    }

    func testShutdownOfIdlePoolReturnsTrue() {
        XCTAssertTrue(makePool(workers: 2).shutdown(timeout: 5))
    }

    func testShutdownAfterFinishedJobsReturnsTrue() throws {
        let pool = makePool(workers: 2)
        pool.submit(try makeJob(series: "a"))
        _ = collect(pool, count: 1)
        XCTAssertTrue(pool.shutdown(timeout: 5))
    }

    func testShutdownCancelsLongTrainingPromptly() throws {
        var settings = tinySettings(minPoints: 40)
        settings.defaults.training.epochs = 10_000_000
        let pool = makePool(workers: 1)
        pool.submit(try makeJob(series: "long", settings: settings))
        // NOTE: the pool shows no difference between queued and running jobs, so this
        // pause is what lets the idle worker take the job before the shutdown drops the queue.
        Thread.sleep(forTimeInterval: 0.5)

        let started = Date()
        XCTAssertTrue(pool.shutdown(timeout: 10))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testShutdownLeavesCancelledOutcomeOfRunningJob() throws {
        var settings = tinySettings(minPoints: 40)
        settings.defaults.training.epochs = 10_000_000
        let pool = makePool(workers: 1)
        pool.submit(try makeJob(series: "long", settings: settings))
        Thread.sleep(forTimeInterval: 0.5)
        pool.shutdown(timeout: 10)

        let outcome = try XCTUnwrap(pool.takeFinished().first)
        XCTAssertEqual(try outcome.result.get().report.cancelled, true)
    }
}
