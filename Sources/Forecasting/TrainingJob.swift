import Foundation
import LSTMKit

/// A snapshot of one series' window with the settings to train on it; it
/// shares nothing with the live series, so a worker can run it freely.
public struct TrainingJob: Sendable {
    public let series: String
    public let values: [Double]
    public let specification: ModelSpecification
    public let options: TrainingOptions
    /// The series' settings generation when the job was made; a result from
    /// an older generation is discarded.
    public let generation: Int
    /// The series' count of appended points when the snapshot was taken.
    public let snapshotPoints: Int
    /// Forecast length to backtest for the prediction intervals; 0 skips it.
    public var calibrationHorizon = 0

    public func run(shouldContinue: @Sendable () -> Bool = { true }) -> TrainingOutcome {
        let started = Date()
        do {
            let model = try SeriesModel.fit(
                values: values, specification: specification, options: options, calibrationHorizon: calibrationHorizon
            ) { _ in
                shouldContinue()
            }
            return TrainingOutcome(
                series: series, generation: generation, snapshotPoints: snapshotPoints, result: .success(model))
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
}
