import Configuration
import Forecasting
import Foundation
import LSTMKit
import XCTest

/// Retrains: warm starts from the current weights, full retrains every
/// `full_every`, and the current model kept when the new one is worse.
final class ChampionChallengerTests: XCTestCase {
    private func makeEngine(
        fullEvery: Int = 5, championChallenger: Bool = true, warmEpochs: Int = 1, epochs: Int? = nil
    ) -> ForecastEngine {
        var settings = tinySettings(minPoints: 60, retrainEvery: 20)
        settings.defaults.training.window = 80
        settings.defaults.training.validationFraction = 0.2
        if let epochs { settings.defaults.training.epochs = epochs }
        settings.defaults.retrain.fullEvery = fullEvery
        settings.defaults.retrain.warmEpochs = warmEpochs
        settings.defaults.retrain.championChallenger = championChallenger
        return ForecastEngine(settings: settings, clock: { 0 })
    }

    /// Trains the first model and returns the job of the retrain that follows.
    private func firstRetrain(_ engine: ForecastEngine) throws -> TrainingJob {
        let first = try XCTUnwrap(trainingJobs(try ingestSeries(engine, "s", count: 60)).first)
        _ = engine.install(first.run())
        var jobs: [TrainingJob] = []
        for index in 60..<80 {
            let value = sin(Double(index) / 3) * 10 + 50
            jobs += trainingJobs(try ingestAccepted(engine, "s", at: startTime + Double(index) * 60, value))
        }
        return try XCTUnwrap(jobs.first, "no retrain after retrain.every_points points")
    }

    func testRetrainWarmStartsFromCurrentModel() throws {
        let engine = makeEngine()
        let job = try firstRetrain(engine)
        XCTAssertEqual(job.warmEpochs, 1)
        XCTAssertNotNil(job.champion)
        let outcome = job.run()
        XCTAssertTrue(outcome.warmStarted)
        XCTAssertEqual(try outcome.result.get().report.epochsRun, 1)
        XCTAssertNotNil(outcome.comparison, "no comparison with a 20% validation split")
    }

    func testWarmEpochsAreCappedAtEpochs() throws {
        let job = try firstRetrain(makeEngine(warmEpochs: 20, epochs: 3))
        let outcome = job.run()
        XCTAssertTrue(outcome.warmStarted)
        XCTAssertEqual(try outcome.result.get().report.epochsRun, 3, "a warm start ran longer than a fresh training")
    }

    func testEveryRetrainIsFullWhenFullEveryIsOne() throws {
        let job = try firstRetrain(makeEngine(fullEvery: 1))
        XCTAssertNil(job.warmEpochs)
        XCTAssertFalse(job.run().warmStarted)
    }

    func testWorseChallengerKeepsCurrentModel() throws {
        let engine = makeEngine()
        let job = try firstRetrain(engine)
        let versionBefore = engine.series["s"]?.modelVersion
        var outcome = job.run()
        outcome.comparison = ChampionComparison(challengerError: 2, championError: 1)
        let (event, actions) = engine.install(outcome)
        guard case .kept(_, let comparison, _) = event else { return XCTFail("expected .kept, got \(event)") }
        XCTAssertFalse(comparison.challengerWins)
        XCTAssertEqual(engine.series["s"]?.modelVersion, versionBefore)
        XCTAssertTrue(forecasts(actions).isEmpty)
    }

    func testBetterChallengerIsInstalled() throws {
        let engine = makeEngine()
        let job = try firstRetrain(engine)
        var outcome = job.run()
        outcome.comparison = ChampionComparison(challengerError: 1, championError: 1)
        let (event, _) = engine.install(outcome)
        guard case .installed(_, let info) = event else { return XCTFail("expected .installed, got \(event)") }
        XCTAssertEqual(info.version, 2)
    }

    func testComparisonOffSkipsIt() throws {
        let job = try firstRetrain(makeEngine(championChallenger: false))
        XCTAssertNil(job.run().comparison)
    }
}
