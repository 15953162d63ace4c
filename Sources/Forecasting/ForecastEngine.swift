import Configuration
import Foundation
import LSTMKit

/// An action the daemon must carry out after the engine handled an event.
public enum EngineAction: Sendable {
    case publish(Forecast)
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
            if state.pointsSinceForecast >= state.settings.forecast.everyPoints, let forecast = makeForecast(&state) {
                actions.append(.publish(forecast))
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
            if let forecast = makeForecast(&state) { actions.append(.publish(forecast)) }
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

    /// Builds a forecast from the series' newest points with its current model.
    private func makeForecast(_ state: inout SeriesState) -> Forecast? {
        guard case .forecasting(let model, let info, _) = state.phase,
            state.window.count >= model.requiredHistory,
            let last = state.window.last
        else { return nil }
        let horizon = state.settings.forecast.horizon
        let recent = state.window.suffixValues(model.pointCount)
        let interval = state.currentInterval() ?? 1
        var values: [Double]
        var fallback: String?
        var method = ForecastMethod.network
        let choice = model.chosenMethod
        if choice.method != .network,
            let simple = model.simpleForecast(choice.method, recent: recent, horizon: horizon)
        {
            values = simple
            fallback = choice.method.name
            method = choice.method
            state.lastFallbackReason = String(
                format: "the validation backtest did not find the network at least 5%% more accurate than %@ "
                    + "(MAE %.6g against %.6g)", choice.method.name, choice.error, choice.networkError)
        } else {
            let times = model.specification.features.isEmpty ? nil : state.window.suffixTimestamps(model.pointCount)
            values = model.forecast(recent: recent, timestamps: times, interval: interval, horizon: horizon)
        }
        if fallback == nil, let problem = degenerateForecastProblem(values, window: recent) {
            // A diverged network must not publish NaN or wild values; the last value is the honest stand-in.
            values = [Double](repeating: last.value, count: horizon)
            fallback = "last_value"
            method = .lastValue
            state.lastFallbackReason = problem
        }
        let timestamps = (1...horizon).map { last.timestamp + Double($0) * interval }
        state.pointsSinceForecast = 0
        state.forecastsPublished += 1
        var forecast = Forecast(
            series: state.name, timestamp: last.timestamp, interval: interval, values: values,
            timestamps: timestamps, model: info, fallback: fallback)
        forecast.segmentStart = state.segmentStart
        forecast.accuracy = AccuracySummary(tracker: state.accuracy, horizon: horizon)
        forecast.fallbackReason = fallback == nil ? nil : state.lastFallbackReason
        forecast.fallbackChosenByBacktest = fallback != nil && method == choice.method
        if state.settings.forecast.intervalCoverage > 0 {
            let offsets = state.backtestOffsets(model: model, version: info.version, method: method)
            forecast.bounds = predictionBounds(
                values: values, tracker: state.accuracy, backtestOffsets: offsets, settings: state.settings.forecast)
        }
        state.accuracy.record(origin: last.timestamp, interval: interval, originValue: last.value, values: values)
        return forecast
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
