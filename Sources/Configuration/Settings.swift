/// Every setting of lstmcastd, with the defaults a file may leave out.
public struct Settings: Sendable, Equatable {
    public var input = InputSettings()
    public var output = OutputSettings()
    public var control = ControlSettings()
    public var stateDirectory = "/var/lib/lstmcast"
    public var defaults = SeriesSettings()
    public var series: [SeriesOverride] = []
    public var log = LogSettings()
    public var limits = LimitSettings()
    public var metrics = MetricsSettings()
    /// Trainings that may run at once across all series (`retrain.workers`).
    public var trainingWorkers = 2

    public init() {}

    /// The settings of one series: those of the first override whose glob
    /// matches its name, else the file's own sections.
    public func settings(forSeries name: String) -> SeriesSettings {
        for override in series where override.matches(name) {
            return override.settings
        }
        return defaults
    }
}

public struct InputSettings: Sendable, Equatable {
    public var connect = ["tcp://127.0.0.1:5556"]
    public var bind: [String] = []
    public var subscribe = [""]
    /// Messages the SUB socket queues before libzmq drops new ones (ZMQ_RCVHWM).
    public var receiveHighWaterMark = 100_000
}

public struct OutputSettings: Sendable, Equatable {
    public var bind = ["tcp://127.0.0.1:5557"]
    public var topicPrefix = "forecast."
    /// Messages the XPUB socket queues per subscriber before libzmq drops new ones for it (ZMQ_SNDHWM).
    public var sendHighWaterMark = 1_000
}

public struct ControlSettings: Sendable, Equatable {
    public var bind = "ipc:///run/lstmcast/control"
}

public struct LogSettings: Sendable, Equatable {
    public var level = LogLevel.info
}

public enum LogLevel: String, Sendable, Equatable, CaseIterable, Comparable {
    case debug, info, warning, error

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The settings that `series:` entries may override.
public struct SeriesSettings: Sendable, Equatable {
    public var model = ModelSettings()
    public var training = TrainingSettings()
    public var retrain = RetrainSettings()
    public var forecast = ForecastSettings()
    public var sampling = SamplingSettings()

    public init() {}
}

public enum ModelKindSetting: String, Sendable, Equatable, CaseIterable {
    case manyToOne = "many_to_one"
    case manyToMany = "many_to_many"
}

public enum TransformSetting: String, Sendable, Equatable, CaseIterable {
    case none, zscore, difference, detrend
}

public struct ModelSettings: Sendable, Equatable {
    public var kind = ModelKindSetting.manyToOne
    public var nStep = 20
    public var hidden = [50]
    /// Calendar covariates fed beside the value.
    public var features: [FeatureSetting] = [.timeOfDay, .dayOfWeek]
}

public enum FeatureSetting: String, Sendable, Equatable, CaseIterable {
    case timeOfDay = "time_of_day"
    case dayOfWeek = "day_of_week"
}

public struct TrainingSettings: Sendable, Equatable {
    public var window = 1000
    public var epochs = 100
    public var batchSize = 100
    public var learningRate = 0.01
    public var shuffle = true
    public var seed: UInt64 = 42
    public var transform = TransformSetting.detrend
    public var validationFraction = 0.1
    public var patience = 0
    /// Threads that share each mini-batch of one training.
    public var threads = 1
}

public struct RetrainSettings: Sendable, Equatable {
    public var everyPoints = 250
    public var minPoints = 200
    /// Retrains continue from the current weights for `warmEpochs` epochs...
    public var warmStart = true
    public var warmEpochs = 20
    /// ...except every n-th retrain, which starts from fresh weights; 1 makes every retrain a full one.
    public var fullEvery = 5
    /// A retrained model replaces the current one only if its one-step error
    /// on the held-out newest points is not worse.
    public var championChallenger = true
}

/// Prometheus metrics for node_exporter's textfile collector.
public struct MetricsSettings: Sendable, Equatable {
    /// File rewritten atomically with the metrics; empty writes none.
    public var textfile = ""
    /// Seconds between rewrites.
    public var every = 15.0
    /// Series that get per-series metrics, which bounds the label cardinality.
    public var maxSeries = 1000
}

/// Bounds on what the network may make the daemon hold.
public struct LimitSettings: Sendable, Equatable {
    /// Largest accepted message part in bytes; libzmq also drops a peer that
    /// sends more (ZMQ_MAXMSGSIZE).
    public var maxMessageBytes = 65_536
    /// Series the daemon tracks; points of further series are rejected.
    public var maxSeries = 10_000
}

/// Rules for a series' timestamps: spacing, gaps and clock checks.
public struct SamplingSettings: Sendable, Equatable {
    /// Seconds between points; nil learns it as the median spacing of the window.
    public var interval: Double?
    /// Gaps up to this many missing points are filled by linear interpolation;
    /// a longer gap starts a new segment.
    public var maxGap = 5
    /// Points stamped further than this many seconds ahead of the daemon's clock are rejected.
    public var maxFutureSeconds = 300.0
    /// A series without points for this many seconds is reported stale and
    /// its cached forecast is no longer sent to new subscribers; 0 never.
    public var staleAfterSeconds = 0.0
}

public struct ForecastSettings: Sendable, Equatable {
    public var horizon = 50
    public var everyPoints = 1
    /// Coverage of the published prediction intervals; 0 publishes none.
    public var intervalCoverage = 0.9
    /// Live errors a lead time needs before its interval uses them instead of the training backtest.
    public var minLiveErrors = 30
}

/// A `series:` entry: a glob on the series name and the settings it yields.
public struct SeriesOverride: Sendable, Equatable {
    public let pattern: String
    public let settings: SeriesSettings

    public func matches(_ name: String) -> Bool {
        globMatches(pattern: pattern, name: name)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Matches shell-style globs (`*`, `?`, `[...]`) with fnmatch(3); `*` also
/// crosses dots, so `price.*` matches `price.eu.btc`.
func globMatches(pattern: String, name: String) -> Bool {
    fnmatch(pattern, name, 0) == 0
}

/// Bounds shared with the engine's accuracy tracking.
public enum AccuracyLimits {
    /// Signed errors kept per lead time for the prediction intervals.
    public static let errorsKept = 500
}
