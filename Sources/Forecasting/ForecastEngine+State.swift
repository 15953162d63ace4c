import Configuration
import Foundation
import LSTMKit

extension ForecastEngine {
    /// Recreates a series from its checkpoint: its window, its point count and
    /// its model, which forecasts from the first new point without retraining.
    /// A model whose shape no longer matches the settings keeps forecasting
    /// until a retrain with the new settings replaces it.
    public func restore(_ checkpoint: Checkpoint) {
        let header = checkpoint.header
        var state = SeriesState(name: header.series, settings: settings.settings(forSeries: header.series))
        for (timestamp, value) in zip(header.timestamps, header.values).suffix(state.window.capacity) {
            state.window.append(timestamp: timestamp, value: value)
        }
        state.pointsAppended = header.pointsAppended
        if let model = checkpoint.restoreModel(), let stored = header.model {
            state.modelVersion = stored.version
            let info = ModelInfo(
                version: stored.version, trainedAt: stored.trainedAt, points: stored.pointCount, epochs: stored.epochs,
                trainingLoss: Double(stored.trainingLoss), validationLoss: stored.validationLoss.map(Double.init),
                trainingSeconds: stored.trainingSeconds)
            state.phase = .forecasting(model, info, snapshotPoints: header.pointsAppended)
            state.retrainRequested = model.specification != state.settings.modelSpecification
            // The first new point publishes at once, whatever forecast.every_points is.
            state.pointsSinceForecast = state.settings.forecast.everyPoints
        }
        replaceState(state)
    }

    /// Returns the checkpoint of one series as it is now.
    /// Returns what a checkpoint of the series depends on: equal
    /// fingerprints mean a checkpoint written now would repeat the last one.
    public func checkpointFingerprint(series name: String) -> CheckpointFingerprint? {
        guard let state = series[name] else { return nil }
        return CheckpointFingerprint(
            pointsAccepted: state.pointsAccepted, modelVersion: state.modelVersion, windowCount: state.window.count,
            first: state.window.firstTimestamp, last: state.window.last.map { [$0.timestamp, $0.value] })
    }

    /// Returns the series' checkpoint, or nil for a series that has neither
    /// a point nor a model, such as one whose only points were rejected.
    public func checkpoint(series name: String) -> Checkpoint? {
        guard let state = series[name], state.window.count > 0 || state.model != nil else { return nil }
        let count = state.window.count
        return Checkpoint(
            series: name, timestamps: state.window.suffixTimestamps(count), values: state.window.suffixValues(count),
            pointsAppended: state.pointsAppended, model: state.model, modelVersion: state.modelVersion)
    }

    /// Applies new settings to every series, keeping their points. Returns
    /// the series whose model settings changed; they retrain at once and any
    /// training running under the old settings is discarded when it ends.
    public func update(settings newSettings: Settings) -> (retrain: [String], actions: [EngineAction]) {
        replaceSettings(newSettings)
        var retrain: [String] = []
        var actions: [EngineAction] = []
        for name in series.keys.sorted() {
            var state = series[name]!
            let updated = newSettings.settings(forSeries: name)
            let modelChanged =
                updated.modelSpecification != state.settings.modelSpecification
                || updated.trainingOptions != state.settings.trainingOptions
            if updated.training.window != state.settings.training.window {
                var window = RollingWindow(capacity: updated.training.window)
                let kept = min(state.window.count, updated.training.window)
                for (timestamp, value) in zip(state.window.suffixTimestamps(kept), state.window.suffixValues(kept)) {
                    window.append(timestamp: timestamp, value: value)
                }
                state.window = window
            }
            state.settings = updated
            if modelChanged {
                state.generation += 1
                state.retrainRequested = true
                // A training under the old settings still runs; its result is discarded on arrival.
                state.trainingInFlight = false
                retrain.append(name)
                if state.isDueForTraining { actions.append(.train(state.makeTrainingJob())) }
            }
            replaceState(state)
        }
        return (retrain, actions)
    }
}

/// The parts of a series' state that change whenever its checkpoint would:
/// every accepted point (appended or replacing the newest), every new model,
/// and a window trimmed by a reload.
public struct CheckpointFingerprint: Equatable, Sendable {
    let pointsAccepted: Int
    let modelVersion: Int
    let windowCount: Int
    let first: Double?
    let last: [Double]?
}
