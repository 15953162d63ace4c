import Foundation
import LSTMKit

/// A snapshot of one series' window with the settings to train on it; it
/// shares nothing with the live series, so a worker can run it freely.
public struct TrainingJob: Sendable {
    public let series: String
    public let values: [Double]
    /// The values' timestamps, which calendar features encode.
    public var timestamps: [Double]? = nil
    public let specification: ModelSpecification
    public let options: TrainingOptions
    /// The series' settings generation when the job was made; a result from
    /// an older generation is discarded.
    public let generation: Int
    /// The series' count of appended points when the snapshot was taken.
    public let snapshotPoints: Int
    /// Forecast length to backtest for the prediction intervals; 0 skips it.
    public var calibrationHorizon = 0
    /// The model in use, to warm-start from and to compare against.
    public var champion: SeriesModel?
    /// Epochs of a warm start from the champion's weights; nil trains from fresh weights.
    public var warmEpochs: Int?
    public var compareWithChampion = false

    public func run(shouldContinue: @Sendable () -> Bool = { true }) -> TrainingOutcome {
        let started = Date()
        do {
            var runOptions = options
            var initial: [Float]?
            // The champion's weights are only read here while the main thread may read them too.
            if let warmEpochs, let champion, champion.specification == specification {
                initial = champion.network.parameters.array
                // A warm start never runs longer than a fresh training would.
                runOptions.epochs = min(warmEpochs, options.epochs)
            }
            let model = try SeriesModel.fit(
                values: values, timestamps: timestamps, specification: specification, options: runOptions,
                calibrationHorizon: calibrationHorizon, initialParameters: initial
            ) { _ in
                shouldContinue()
            }
            var outcome = TrainingOutcome(
                series: series, generation: generation, snapshotPoints: snapshotPoints, result: .success(model))
            outcome.warmStarted = initial != nil
            if compareWithChampion, let champion, let first = model.firstHeldOutOrigin(),
                let challengerError = model.oneStepError(values: values, timestamps: timestamps, firstOrigin: first),
                let championError = champion.oneStepError(values: values, timestamps: timestamps, firstOrigin: first)
            {
                outcome.comparison = ChampionComparison(challengerError: challengerError, championError: championError)
            }
            return outcome
        } catch {
            return TrainingOutcome(
                series: series, generation: generation, snapshotPoints: snapshotPoints,
                result: .failure(TrainingFailure(message: "\(error)", seconds: Date().timeIntervalSince(started))))
        }
    }
}

public struct TrainingFailure: Error, Sendable {
    public let message: String
    public let seconds: Double
}

public struct TrainingOutcome: Sendable {
    public let series: String
    public let generation: Int
    public let snapshotPoints: Int
    public let result: Result<SeriesModel, TrainingFailure>
    public var warmStarted = false
    public var comparison: ChampionComparison?

    public init(series: String, generation: Int, snapshotPoints: Int, result: Result<SeriesModel, TrainingFailure>) {
        self.series = series
        self.generation = generation
        self.snapshotPoints = snapshotPoints
        self.result = result
    }
}

/// One-step RMSE of the new and the current model on the same held-out points.
public struct ChampionComparison: Sendable, Equatable {
    public let challengerError: Double
    public let championError: Double

    public init(challengerError: Double, championError: Double) {
        self.challengerError = challengerError
        self.championError = championError
    }

    /// Ties go to the challenger, which has seen the newer data.
    public var challengerWins: Bool { challengerError <= championError }
}
