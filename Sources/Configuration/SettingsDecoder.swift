import Foundation

/// Loads and validates lstmcastd's YAML configuration.
public enum ConfigurationLoader {
    /// Reads the file at `path`; every problem is a `ConfigurationError`.
    public static func load(path: String) throws -> Settings {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ConfigurationError(
                file: path, mark: nil, message: "configuration file not found; check the path", source: nil)
        }
        guard !isFolder.boolValue else {
            throw ConfigurationError(
                file: path, mark: nil, message: "this is a folder, not a configuration file; give the YAML file's path",
                source: nil)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                file: path, mark: nil, message: "configuration file cannot be read; check its permissions", source: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(
                file: path, mark: nil, message: "configuration file is not valid UTF-8; save it as UTF-8", source: nil)
        }
        return try parse(text, file: path)
    }

    /// Reads only `control.bind` from a file that may fail validation, so
    /// `lstmcast reload` can still reach the daemon and show it the error.
    /// Returns nil when the file cannot be read or is not YAML at all.
    public static func controlEndpoint(path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            let root = try? YAMLParser.parse(text, file: path)
        else { return nil }
        guard case .mapping(let entries, _) = root,
            case .mapping(let control, _)? = entries.first(where: { $0.key == "control" })?.value,
            case .scalar(let endpoint, _, _)? = control.first(where: { $0.key == "bind" })?.value
        else { return Settings().control.bind }
        return endpoint
    }

    /// Parses configuration text; `file` names it in error messages.
    public static func parse(_ text: String, file: String) throws -> Settings {
        let root = try YAMLParser.parse(text, file: file)
        let top = try MappingReader(root, path: "", file: file, source: text)
        try top.requireKeys(in: [
            "input", "output", "control", "state_dir", "model", "training", "retrain", "forecast", "sampling", "series",
            "log", "limits", "metrics",
        ])

        var settings = Settings()
        if let input = try top.child("input") {
            try input.requireKeys(in: ["connect", "bind", "subscribe", "receive_hwm"])
            if let value = try input.endpoints("connect") { settings.input.connect = value }
            if let value = try input.endpoints("bind") { settings.input.bind = value }
            if let value = try input.list("subscribe") {
                guard !value.isEmpty else {
                    throw input.error(
                        "'input.subscribe' is empty, so the daemon would receive nothing; list topic prefixes, "
                            + "or [\"\"] for every topic", at: input.node("subscribe")!.mark)
                }
                settings.input.subscribe = value.map(\.0)
            }
            if let value = try input.integer("receive_hwm", in: 0...100_000_000) {
                settings.input.receiveHighWaterMark = value
            }
            if settings.input.connect.isEmpty && settings.input.bind.isEmpty {
                throw input.error("'input' needs at least one endpoint in 'connect' or 'bind'", at: input.mark)
            }
        }
        if let output = try top.child("output") {
            try output.requireKeys(in: ["bind", "topic_prefix", "send_hwm"])
            if let value = try output.endpoints("bind", allowEmpty: false) { settings.output.bind = value }
            if let value = try output.string("topic_prefix", allowEmpty: true) { settings.output.topicPrefix = value }
            if let value = try output.integer("send_hwm", in: 0...100_000_000) {
                settings.output.sendHighWaterMark = value
            }
        }
        if let control = try top.child("control") {
            try control.requireKeys(in: ["bind"])
            if let value = try control.endpoints("bind", allowEmpty: false) {
                guard value.count == 1 else {
                    throw control.error("'control.bind' takes one endpoint, got \(value.count)", at: control.node("bind")!.mark)
                }
                guard value[0].hasPrefix("ipc://") else {
                    throw control.error(
                        "'control.bind' must be an ipc:// endpoint, got '\(value[0])'; a TCP control socket would let "
                            + "any local user reload or retrain the daemon", at: control.node("bind")!.mark)
                }
                settings.control.bind = value[0]
            }
        }
        if let value = try top.string("state_dir") { settings.stateDirectory = value }
        if let log = try top.child("log") {
            try log.requireKeys(in: ["level"])
            if let value = try log.choice("level", as: LogLevel.self) { settings.log.level = value }
        }
        if let limits = try top.child("limits") {
            try limits.requireKeys(in: ["max_message_bytes", "max_series"])
            if let value = try limits.integer("max_message_bytes", in: 64...(256 << 20)) {
                settings.limits.maxMessageBytes = value
            }
            if let value = try limits.integer("max_series", in: 1...10_000_000) { settings.limits.maxSeries = value }
        }
        if let metrics = try top.child("metrics") {
            try metrics.requireKeys(in: ["textfile", "every", "max_series"])
            if let value = try metrics.string("textfile", allowEmpty: true) { settings.metrics.textfile = value }
            if let value = try metrics.number("every", in: 1...86_400) { settings.metrics.every = value }
            if let value = try metrics.integer("max_series", in: 0...100_000) { settings.metrics.maxSeries = value }
        }
        if let retrain = try top.child("retrain"), let value = try retrain.integer("workers", in: 1...256) {
            settings.trainingWorkers = value
        }

        settings.defaults = try decodeSeriesSettings(top, base: SeriesSettings(), allowWorkers: true)
        settings.series = try decodeOverrides(top, defaults: settings.defaults)
        return settings
    }

    private static func decodeOverrides(_ top: MappingReader, defaults: SeriesSettings) throws -> [SeriesOverride] {
        guard let node = top.node("series") else { return [] }
        if node.isNull { return [] }
        guard case .sequence(let items, _) = node else {
            throw top.error("'series' must be a list of entries with 'match', not \(node.kindDescription)", at: node.mark)
        }
        return try items.enumerated().map { index, item in
            let entry = try MappingReader(item, path: "series[\(index)]", file: top.file, source: top.source)
            try entry.requireKeys(in: ["match", "model", "training", "retrain", "forecast", "sampling"])
            guard let pattern = try entry.string("match") else {
                throw entry.error("'series[\(index)]' needs a 'match' glob such as \"price.*\"", at: entry.mark)
            }
            let settings = try decodeSeriesSettings(entry, base: defaults, allowWorkers: false)
            return SeriesOverride(pattern: pattern, settings: settings)
        }
    }

    /// Applies the `model`, `training`, `retrain` and `forecast` sections of
    /// `reader` onto `base`, then checks the rules that span sections.
    private static func decodeSeriesSettings(
        _ reader: MappingReader, base: SeriesSettings, allowWorkers: Bool
    ) throws -> SeriesSettings {
        var result = base
        if let model = try reader.child("model") {
            try model.requireKeys(in: ["kind", "n_step", "hidden", "features"])
            if let items = try model.list("features") {
                var features: [FeatureSetting] = []
                for (text, mark) in items {
                    guard let feature = FeatureSetting(rawValue: text) else {
                        let names = FeatureSetting.allCases.map(\.rawValue).joined(separator: ", ")
                        throw model.error(
                            "each item of '\(model.qualified("features"))' must be one of \(names), got '\(text)'", at: mark)
                    }
                    guard !features.contains(feature) else {
                        throw model.error("'\(model.qualified("features"))' lists '\(text)' twice", at: mark)
                    }
                    features.append(feature)
                }
                result.model.features = features
            }
            if let value = try model.choice("kind", as: ModelKindSetting.self) { result.model.kind = value }
            if let value = try model.integer("n_step", in: 1...10_000) { result.model.nStep = value }
            if let items = try model.list("hidden") {
                guard !items.isEmpty else {
                    throw model.error("'\(model.qualified("hidden"))' needs at least one layer size", at: model.node("hidden")!.mark)
                }
                result.model.hidden = try items.map { text, mark in
                    guard let units = Int(text), (1...4096).contains(units) else {
                        throw model.error(
                            "each size in '\(model.qualified("hidden"))' must be an integer between 1 and 4096, got '\(text)'",
                            at: mark)
                    }
                    return units
                }
            }
        }
        if let training = try reader.child("training") {
            try training.requireKeys(in: [
                "window", "epochs", "batch_size", "learning_rate", "shuffle", "seed", "transform",
                "validation_fraction", "patience", "threads",
            ])
            if let value = try training.integer("window", in: 3...10_000_000) { result.training.window = value }
            if let value = try training.integer("epochs", in: 1...100_000) { result.training.epochs = value }
            if let value = try training.integer("batch_size", in: 1...1_000_000) { result.training.batchSize = value }
            if let value = try training.number("learning_rate", in: 0...10, openLower: true) {
                result.training.learningRate = value
            }
            if let value = try training.boolean("shuffle") { result.training.shuffle = value }
            if let value = try training.unsigned("seed") { result.training.seed = value }
            if let value = try training.choice("transform", as: TransformSetting.self) { result.training.transform = value }
            if let value = try training.number("validation_fraction", in: 0...0.5) {
                result.training.validationFraction = value
            }
            if let value = try training.integer("patience", in: 0...100_000) { result.training.patience = value }
            if let value = try training.integer("threads", in: 1...64) { result.training.threads = value }
        }
        if let retrain = try reader.child("retrain") {
            let keys = ["every_points", "min_points", "warm_start", "warm_epochs", "full_every", "champion_challenger"]
            try retrain.requireKeys(in: allowWorkers ? keys + ["workers"] : keys)
            if let value = try retrain.boolean("warm_start") { result.retrain.warmStart = value }
            if let value = try retrain.integer("warm_epochs", in: 1...100_000) { result.retrain.warmEpochs = value }
            if let value = try retrain.integer("full_every", in: 1...1_000_000) { result.retrain.fullEvery = value }
            if let value = try retrain.boolean("champion_challenger") { result.retrain.championChallenger = value }
            if let value = try retrain.integer("every_points", in: 1...100_000_000) { result.retrain.everyPoints = value }
            if let value = try retrain.integer("min_points", in: 3...100_000_000) { result.retrain.minPoints = value }
        }
        if let forecast = try reader.child("forecast") {
            try forecast.requireKeys(in: ["horizon", "every_points", "interval_coverage", "min_live_errors"])
            if let value = try forecast.number("interval_coverage", in: 0...0.999) { result.forecast.intervalCoverage = value }
            if let value = try forecast.integer("min_live_errors", in: 1...AccuracyLimits.errorsKept) {
                result.forecast.minLiveErrors = value
            }
            if let value = try forecast.integer("horizon", in: 1...100_000) { result.forecast.horizon = value }
            if let value = try forecast.integer("every_points", in: 1...100_000_000) { result.forecast.everyPoints = value }
        }

        if let sampling = try reader.child("sampling") {
            try sampling.requireKeys(in: ["interval", "max_gap", "max_future_seconds", "stale_after_seconds"])
            if case .scalar("auto", _, _)? = sampling.node("interval") {
                result.sampling.interval = nil
            } else if let value = try sampling.number("interval", in: 0...1e9, openLower: true) {
                result.sampling.interval = value
            }
            if let value = try sampling.integer("max_gap", in: 0...1_000_000) { result.sampling.maxGap = value }
            if let value = try sampling.number("max_future_seconds", in: 0...1e12) {
                result.sampling.maxFutureSeconds = value
            }
            if let value = try sampling.number("stale_after_seconds", in: 0...1e12) {
                result.sampling.staleAfterSeconds = value
            }
        }

        try checkCrossRules(result, reader: reader)
        return result
    }

    private static func checkCrossRules(_ settings: SeriesSettings, reader: MappingReader) throws {
        let lag = settings.training.transform == .difference ? 1 : 0
        let needed = settings.model.nStep + 2 + lag
        if settings.retrain.minPoints < needed {
            let mark = reader.markOf("retrain", "min_points") ?? reader.markOf("model", "n_step") ?? reader.mark
            throw reader.error(
                "'retrain.min_points' (\(settings.retrain.minPoints)) must be at least n_step + 2\(lag == 1 ? " + 1 for difference" : "") = \(needed), "
                    + "so the first training has a window to learn from", at: mark)
        }
        if settings.training.window < settings.retrain.minPoints {
            let mark = reader.markOf("training", "window") ?? reader.markOf("retrain", "min_points") ?? reader.mark
            throw reader.error(
                "'training.window' (\(settings.training.window)) must be at least 'retrain.min_points' "
                    + "(\(settings.retrain.minPoints)), or the window never holds enough points to train", at: mark)
        }
    }
}

extension MappingReader {
    /// The mark of `section.key` if the file sets it.
    fileprivate func markOf(_ section: String, _ key: String) -> SourceMark? {
        guard case .mapping(let entries, _)? = node(section) else { return nil }
        return entries.first { $0.key == key }?.value.mark
    }
}
