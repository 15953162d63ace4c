import Configuration
import LSTMKit

/// The phase of a series: collecting its first points, or
/// forecasting with a trained model.
public enum SeriesPhase: Sendable {
    case collecting
    /// `snapshotPoints` is the series' appended-point count when the model's
    /// training snapshot was taken.
    case forecasting(SeriesModel, ModelInfo, snapshotPoints: Int)
}

/// Everything the engine keeps about one series.
public struct SeriesState {
    public let name: String
    public var settings: SeriesSettings
    public var window: RollingWindow
    public var phase: SeriesPhase = .collecting
    public var modelVersion = 0
    public var pointsAccepted = 0
    /// Points appended to the window since the series appeared; corrections of the last point do not count.
    public var pointsAppended = 0
    public var pointsSinceTrainingSnapshot = 0
    public var pointsSinceForecast = 0
    public var trainingInFlight = false
    public var retrainRequested = false
    public var forecastsPublished = 0
    public var trainingFailures = 0
    public var lastTrainingError: String?
    /// Set after a failed training so the next attempt waits for
    /// `retrain.every_points` new points instead of failing again at once.
    public var waitingAfterFailure = false
    /// Points inserted by linear interpolation to fill short gaps.
    public var pointsFilled = 0
    /// Timestamp of the first point after the last gap too long to fill; nil while the series has had none.
    public var segmentStart: Double?
    /// Rejected points of this series by reason.
    public var rejections: [RejectionReason: Int] = [:]
    /// Live scores of this series' published forecasts.
    public var accuracy = AccuracyTracker()
    /// Wall-clock time, epoch seconds, of the newest accepted point.
    public var lastArrival: Double = 0
    /// The reason the newest fallback forecast replaced the network's output.
    public var lastFallbackReason: String?
    /// The learned spacing and the appended-point count when it was computed.
    private var intervalCache: (interval: Double, atPoint: Int)?
    /// The backtest's conformal offsets of the current model, shared with forecasts that run elsewhere.
    let backtestOffsets = BacktestOffsetsCache()
    /// Trainings started while a model existed, which decides when a full retrain is due.
    public var retrainsStarted = 0
    /// Bumped when settings that shape the model change, so stale trainings are dropped.
    public var generation = 0

    init(name: String, settings: SeriesSettings) {
        self.name = name
        self.settings = settings
        window = RollingWindow(capacity: settings.training.window)
    }

    public var model: SeriesModel? {
        if case .forecasting(let model, _, _) = phase { return model }
        return nil
    }

    public var modelInfo: ModelInfo? {
        if case .forecasting(_, let info, _) = phase { return info }
        return nil
    }

    /// Returns `sampling.interval`, or the window's median spacing. The median
    /// sorts 64 gaps, so it is refreshed every 32 points instead of on each one.
    mutating func currentInterval() -> Double? {
        if let fixed = settings.sampling.interval { return fixed }
        if let cache = intervalCache, pointsAppended - cache.atPoint < 32, cache.interval > 0 { return cache.interval }
        guard let median = window.medianInterval() else { return nil }
        intervalCache = (median, pointsAppended)
        return median
    }

    /// Whether the window contains enough new points to start a training now.
    var isDueForTraining: Bool {
        guard !trainingInFlight, window.count >= settings.retrain.minPoints else { return false }
        if waitingAfterFailure && pointsSinceTrainingSnapshot < settings.retrain.everyPoints { return false }
        switch phase {
        case .collecting: return true
        case .forecasting: return retrainRequested || pointsSinceTrainingSnapshot >= settings.retrain.everyPoints
        }
    }

    /// Takes a snapshot of the window for a worker and marks a training as running.
    mutating func makeTrainingJob() -> TrainingJob {
        trainingInFlight = true
        retrainRequested = false
        waitingAfterFailure = false
        pointsSinceTrainingSnapshot = 0
        var job = TrainingJob(
            series: name, values: window.allValues, specification: settings.modelSpecification,
            options: settings.trainingOptions, generation: generation, snapshotPoints: pointsAppended)
        job.calibrationHorizon = settings.forecast.intervalCoverage > 0 ? settings.forecast.horizon : 0
        if !settings.model.features.isEmpty { job.timestamps = window.suffixTimestamps(window.count) }
        if let champion = model {
            retrainsStarted += 1
            job.champion = champion
            job.compareWithChampion = settings.retrain.championChallenger
            let fullDue = retrainsStarted % settings.retrain.fullEvery == 0
            if settings.retrain.warmStart && !fullDue { job.warmEpochs = settings.retrain.warmEpochs }
        }
        return job
    }
}
