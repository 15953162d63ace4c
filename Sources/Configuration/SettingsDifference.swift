/// One setting that differs between two configurations.
public struct SettingChange: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let old: String
    public let new: String

    public var description: String { "\(key): \(old) -> \(new)" }
}

extension Settings {
    /// Every setting as `dotted.key -> value`, for comparing two configurations.
    var flattened: [String: String] {
        var result: [String: String] = [
            "input.connect": "\(input.connect)", "input.bind": "\(input.bind)",
            "input.subscribe": "\(input.subscribe)", "input.receive_hwm": "\(input.receiveHighWaterMark)",
            "output.bind": "\(output.bind)", "output.topic_prefix": "\"\(output.topicPrefix)\"",
            "output.send_hwm": "\(output.sendHighWaterMark)",
            "control.bind": control.bind, "state_dir": stateDirectory, "log.level": log.level.rawValue,
            "retrain.workers": "\(trainingWorkers)",
            "limits.max_message_bytes": "\(limits.maxMessageBytes)", "limits.max_series": "\(limits.maxSeries)",
            "metrics.textfile": metrics.textfile, "metrics.every": "\(metrics.every)",
            "metrics.max_series": "\(metrics.maxSeries)",
        ]
        for (key, value) in defaults.flattened { result[key] = value }
        for (index, entry) in series.enumerated() {
            result["series[\(index)].match"] = "\"\(entry.pattern)\""
            for (key, value) in entry.settings.flattened { result["series[\(index)].\(key)"] = value }
        }
        return result
    }

    /// The settings that differ from `other`, sorted by key.
    public func changes(to other: Settings) -> [SettingChange] {
        let before = flattened
        let after = other.flattened
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            let old = before[key] ?? "(unset)"
            let new = after[key] ?? "(unset)"
            return old == new ? nil : SettingChange(key: key, old: old, new: new)
        }
    }
}

extension SeriesSettings {
    var flattened: [String: String] {
        [
            "model.kind": model.kind.rawValue, "model.n_step": "\(model.nStep)", "model.hidden": "\(model.hidden)",
            "model.features": "\(model.features.map(\.rawValue))",
            "training.window": "\(training.window)", "training.epochs": "\(training.epochs)",
            "training.batch_size": "\(training.batchSize)", "training.learning_rate": "\(training.learningRate)",
            "training.shuffle": "\(training.shuffle)", "training.seed": "\(training.seed)",
            "training.transform": training.transform.rawValue,
            "training.validation_fraction": "\(training.validationFraction)",
            "training.patience": "\(training.patience)", "training.threads": "\(training.threads)",
            "retrain.every_points": "\(retrain.everyPoints)", "retrain.min_points": "\(retrain.minPoints)",
            "retrain.warm_start": "\(retrain.warmStart)", "retrain.warm_epochs": "\(retrain.warmEpochs)",
            "retrain.full_every": "\(retrain.fullEvery)", "retrain.champion_challenger": "\(retrain.championChallenger)",
            "forecast.horizon": "\(forecast.horizon)", "forecast.every_points": "\(forecast.everyPoints)",
            "forecast.interval_coverage": "\(forecast.intervalCoverage)",
            "forecast.min_live_errors": "\(forecast.minLiveErrors)",
            "sampling.interval": sampling.interval.map { "\($0)" } ?? "auto", "sampling.max_gap": "\(sampling.maxGap)",
            "sampling.max_future_seconds": "\(sampling.maxFutureSeconds)",
            "sampling.stale_after_seconds": "\(sampling.staleAfterSeconds)",
        ]
    }
}
