import Configuration
import Foundation
import LSTMKit

/// An action the daemon must carry out after the engine handled an event.
public enum EngineAction: Sendable {
    case publish(Forecast)
    /// A forecast to run off the engine's thread, with `defersForecasts` set.
    case forecast(ForecastRequest)
    case train(TrainingJob)
}

/// The engine's report of a finished training, for the log.
public enum TrainingEvent: Sendable {
    case installed(series: String, info: ModelInfo)
    case failed(series: String, message: String, seconds: Double)
    case discarded(series: String, reason: String)
    /// The challenger lost to the model in use, which stays.
    case kept(series: String, comparison: ChampionComparison, warmStarted: Bool)
}

/// The series registry and the rules of when to train and when to forecast.
///
/// The engine is pure logic on one thread: it never blocks, opens no socket
/// and runs no training itself. Each event is one method that returns the
/// actions the caller must carry out.
public final class ForecastEngine {
    public private(set) var settings: Settings
    public private(set) var series: [String: SeriesState] = [:]
    public private(set) var pointsAccepted = 0
    public private(set) var rejections: [RejectionReason: Int] = [:]
    /// When set, forecasts come back as `.forecast` requests for the caller
    /// to run elsewhere and return through `complete`, instead of finished
    /// `.publish` actions.
    public var defersForecasts = false
    private let clock: () -> Double

    public init(settings: Settings, clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.settings = settings
        self.clock = clock
    }

    func replaceState(_ state: SeriesState) {
        series[state.name] = state
    }

    func replaceSettings(_ newSettings: Settings) {
        settings = newSettings
    }

    public func countRejection(_ reason: RejectionReason) {
        rejections[reason, default: 0] += 1
    }

    /// Adds a point to its series and returns the trainings and forecasts it triggers.
    public func ingest(_ point: IncomingPoint) -> Result<[EngineAction], PointRejection> {
        let now = clock()
        var index = series.index(forKey: point.series)
        if index == nil {
            guard let created = newSeries(point.series) else {
                countRejection(.tooManySeries)
                return .failure(PointRejection(
                    reason: .tooManySeries, series: nil,
                    detail: "series '\(clip(point.series))' would exceed limits.max_series (\(settings.limits.maxSeries))"))
            }
            series[point.series] = created
            index = series.index(forKey: point.series)
        }
        // The state is changed in place through its index: a copy taken out of
        // the dictionary would share the window's arrays, and the first append
        // would copy them whole. Indexing `values` also skips a second hash lookup.
        return ingest(point, now: now, into: &series.values[index!])
    }

    private func ingest(
        _ point: IncomingPoint, now: Double, into state: inout SeriesState
    ) -> Result<[EngineAction], PointRejection> {
        let timestamp = point.timestamp ?? now
        if timestamp > now + state.settings.sampling.maxFutureSeconds {
            return reject(&state, .futureTimestamp, "timestamp \(timestamp) is more than "
                + "\(state.settings.sampling.maxFutureSeconds) s ahead of the daemon's clock (\(now.rounded()))")
        }

        if let last = state.window.last {
            if timestamp < last.timestamp {
                return reject(&state, .outOfOrder,
                    "timestamp \(timestamp) is before the series' last point at \(last.timestamp)")
            }
            if timestamp == last.timestamp {
                // A repeated timestamp corrects the earlier value rather than adding a point.
                state.window.replaceLast(value: point.value)
                pointsAccepted += 1
                state.pointsAccepted += 1
                state.lastArrival = now
                return .success([])
            }
        }

        fillOrSplit(&state, before: timestamp, value: point.value)
        state.window.append(timestamp: timestamp, value: point.value)
        state.accuracy.observe(timestamp: timestamp, value: point.value)
        state.lastArrival = now
        state.pointsAccepted += 1
        state.pointsAppended += 1
        state.pointsSinceTrainingSnapshot += 1
        pointsAccepted += 1

        var actions: [EngineAction] = []
        if state.isDueForTraining {
            actions.append(.train(state.makeTrainingJob()))
        }
        if state.model != nil {
            state.pointsSinceForecast += 1
            if state.pointsSinceForecast >= state.settings.forecast.everyPoints, let action = makeForecast(&state) {
                actions.append(action)
            }
        }
        return .success(actions)
    }

    private func newSeries(_ name: String) -> SeriesState? {
        guard series.count < settings.limits.maxSeries else { return nil }
        return SeriesState(name: name, settings: settings.settings(forSeries: name))
    }

    private func reject(
        _ state: inout SeriesState, _ reason: RejectionReason, _ detail: String
    ) -> Result<[EngineAction], PointRejection> {
        countRejection(reason)
        state.rejections[reason, default: 0] += 1
        return .failure(PointRejection(reason: reason, series: state.name, detail: detail))
    }

    /// Handles the gap before a new point. Up to `sampling.max_gap` missing
    /// points are filled on the line between the neighbours. A longer gap
    /// empties the window, so no training window spans it, and marks a new segment.
    private func fillOrSplit(_ state: inout SeriesState, before timestamp: Double, value: Double) {
        guard let last = state.window.last, let interval = state.currentInterval(), interval > 0 else { return }
        let steps = ((timestamp - last.timestamp) / interval).rounded()
        guard steps >= 2 else { return }
        let missing = Int(min(steps - 1, 1e9))
        if missing <= state.settings.sampling.maxGap {
            for index in 1...missing {
                let fraction = Double(index) / steps
                state.window.append(
                    timestamp: last.timestamp + Double(index) * interval,
                    value: last.value + (value - last.value) * fraction)
            }
            state.pointsFilled += missing
            state.pointsAppended += missing
            state.pointsSinceTrainingSnapshot += missing
        } else {
            state.window = RollingWindow(capacity: state.window.capacity)
            state.segmentStart = timestamp
            state.accuracy.dropPending()
        }
    }

    /// Installs a finished training's model, replacing the current one in
    /// one step, and returns a fresh forecast from it plus any training that
    /// became due while this one ran.
    public func install(_ outcome: TrainingOutcome) -> (TrainingEvent, [EngineAction]) {
        guard var state = series[outcome.series] else {
            return (.discarded(series: outcome.series, reason: "series no longer exists"), [])
        }
        state.trainingInFlight = false
        defer { series[outcome.series] = state }
        guard outcome.generation == state.generation else {
            let actions: [EngineAction] = state.isDueForTraining ? [.train(state.makeTrainingJob())] : []
            return (.discarded(series: outcome.series, reason: "settings changed during training"), actions)
        }

        var actions: [EngineAction] = []
        let event: TrainingEvent
        switch outcome.result {
        case .failure(let failure):
            state.trainingFailures += 1
            state.lastTrainingError = failure.message
            state.waitingAfterFailure = true
            event = .failed(series: outcome.series, message: failure.message, seconds: failure.seconds)
        case .success(let model) where model.report.cancelled:
            return (.discarded(series: outcome.series, reason: "training was cancelled"), [])
        case .success where outcome.comparison?.challengerWins == false:
            event = .kept(series: outcome.series, comparison: outcome.comparison!, warmStarted: outcome.warmStarted)
        case .success(let model):
            state.modelVersion += 1
            state.lastTrainingError = nil
            let info = ModelInfo(
                version: state.modelVersion, trainedAt: model.trainedAt.timeIntervalSince1970,
                points: model.pointCount, epochs: model.report.epochsRun,
                trainingLoss: Double(model.report.trainingLoss),
                validationLoss: model.report.validationLoss.map(Double.init),
                trainingSeconds: model.report.seconds)
            state.phase = .forecasting(model, info, snapshotPoints: outcome.snapshotPoints)
            event = .installed(series: outcome.series, info: info)
            if let action = makeForecast(&state) { actions.append(action) }
        }
        if state.isDueForTraining { actions.append(.train(state.makeTrainingJob())) }
        return (event, actions)
    }

    /// Marks series for retraining at once; nil means every series. Returns the jobs to run now.
    public func requestRetrain(series name: String?) -> [EngineAction] {
        var actions: [EngineAction] = []
        for key in series.keys where name == nil || key == name {
            series[key]!.retrainRequested = true
            if series[key]!.isDueForTraining { actions.append(.train(series[key]!.makeTrainingJob())) }
        }
        return actions
    }

    /// Returns the action for a forecast due now from the series' newest
    /// points: the finished forecast, or with `defersForecasts` the request
    /// for the caller to run and hand back through `complete`.
    private func makeForecast(_ state: inout SeriesState) -> EngineAction? {
        guard let request = forecastRequest(&state) else { return nil }
        if defersForecasts { return .forecast(request) }
        let forecast = request.run()
        record(forecast, in: &state)
        return .publish(forecast)
    }

    /// Copies what a forecast needs out of the series and resets its forecast counter.
    private func forecastRequest(_ state: inout SeriesState) -> ForecastRequest? {
        guard case .forecasting(let model, let info, _) = state.phase,
            state.window.count >= model.requiredHistory,
            let last = state.window.last
        else { return nil }
        let forecastSettings = state.settings.forecast
        let horizon = forecastSettings.horizon
        state.pointsSinceForecast = 0
        state.forecastsPublished += 1
        let live =
            forecastSettings.intervalCoverage > 0
            ? liveConformalOffsets(
                tracker: state.accuracy, horizon: horizon, coverage: forecastSettings.intervalCoverage,
                minimumErrors: forecastSettings.minLiveErrors) : []
        return ForecastRequest(
            series: state.name, model: model, info: info, recent: state.window.suffixValues(model.pointCount),
            recentTimestamps: model.specification.features.isEmpty ? nil : state.window.suffixTimestamps(model.pointCount),
            interval: state.currentInterval() ?? 1, origin: last, settings: forecastSettings,
            segmentStart: state.segmentStart, accuracy: AccuracySummary(tracker: state.accuracy, horizon: horizon),
            liveOffsets: live, backtestOffsets: state.backtestOffsets)
    }

    /// Takes back a forecast that ran outside the engine, so live accuracy
    /// scores it, counting the points that arrived while it ran.
    public func complete(_ forecast: Forecast) {
        guard let index = series.index(forKey: forecast.series) else { return }
        record(forecast, in: &series.values[index])
    }

    private func record(_ forecast: Forecast, in state: inout SeriesState) {
        if forecast.fallback != nil { state.lastFallbackReason = forecast.fallbackReason }
        // A gap that started a new segment meanwhile dropped the forecasts waiting for actuals; this one goes too.
        guard forecast.segmentStart == state.segmentStart else { return }
        state.accuracy.record(
            origin: forecast.timestamp, interval: forecast.interval, originValue: forecast.originValue,
            values: forecast.values,
            laterPoints: state.window.points(after: forecast.timestamp, limit: forecast.values.count + 1))
    }
}

/// Describes why a forecast is unusable: a non-finite value, or a value
/// beyond the window's minimum or maximum by more than twice the window's
/// range. The margin grows with horizons longer than the window, where a
/// trend may carry further. Returns nil for a usable forecast.
public func degenerateForecastProblem(_ values: [Double], window: [Double]) -> String? {
    if let bad = values.first(where: { !$0.isFinite }) { return "forecast contains \(bad)" }
    guard let low = window.min(), let high = window.max() else { return nil }
    let stretch = max(1, Double(values.count) / Double(max(window.count, 1)))
    let margin = 2 * stretch * max(high - low, abs(high) * 1e-6, 1e-9)
    if let wild = values.first(where: { $0 < low - margin || $0 > high + margin }) {
        return "forecast value \(wild) is beyond [\(low), \(high)] by more than \(margin)"
    }
    return nil
}
