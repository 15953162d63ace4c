import Configuration
import Foundation
import LSTMKit

/// Everything one forecast needs, copied from its series on the engine's
/// thread, so the forecast itself can run on another thread while points
/// keep arriving.
public struct ForecastRequest: @unchecked Sendable {
    public let series: String
    let model: SeriesModel
    let info: ModelInfo
    /// The series' newest values, as many as the model was trained on.
    let recent: [Double]
    /// The times of `recent`, when the model has calendar features.
    let recentTimestamps: [Double]?
    let interval: Double
    let origin: (timestamp: Double, value: Double)
    let settings: ForecastSettings
    let segmentStart: Double?
    let accuracy: AccuracySummary
    /// Conformal offsets per lead from live errors, nil where a lead has too few.
    let liveOffsets: [ConformalOffsets?]
    let backtestOffsets: BacktestOffsetsCache

    /// Runs the model (or the simple method the backtest chose), guards
    /// against a degenerate result and adds the bounds. Uses the model's
    /// scratch workspace, so one model must not run two requests at once.
    public func run() -> Forecast {
        let horizon = settings.horizon
        var values: [Double]
        var fallback: String?
        var fallbackReason: String?
        var method = ForecastMethod.network
        let choice = model.chosenMethod

        if choice.method != .network, let simple = model.simpleForecast(choice.method, recent: recent, horizon: horizon) {
            values = simple
            fallback = choice.method.name
            method = choice.method
            fallbackReason = String(
                format: "the validation backtest did not find the network at least 5%% more accurate than %@ "
                    + "(its MAE %.6g against the network's %.6g)", choice.method.name, choice.error, choice.networkError)
        } else {
            values = model.forecast(recent: recent, timestamps: recentTimestamps, interval: interval, horizon: horizon)
        }
        if fallback == nil, let problem = degenerateForecastProblem(values, window: recent) {
            // A diverged network must not publish NaN or wild values; the last value is the honest stand-in.
            values = [Double](repeating: origin.value, count: horizon)
            fallback = "last_value"
            method = .lastValue
            fallbackReason = problem
        }

        let timestamps = (1...horizon).map { origin.timestamp + Double($0) * interval }
        var forecast = Forecast(
            series: series, timestamp: origin.timestamp, interval: interval, values: values,
            timestamps: timestamps, model: info, fallback: fallback)
        forecast.originValue = origin.value
        forecast.segmentStart = segmentStart
        forecast.accuracy = accuracy
        forecast.fallbackReason = fallbackReason
        forecast.fallbackChosenByBacktest = fallback != nil && method == choice.method

        if settings.intervalCoverage > 0 {
            let offsets = backtestOffsets.offsets(
                model: model, version: info.version, method: method, coverage: settings.intervalCoverage,
                recent: recent, horizon: horizon)
            forecast.bounds = predictionBounds(
                values: values, liveOffsets: liveOffsets, backtestOffsets: offsets, coverage: settings.intervalCoverage)
        }
        return forecast
    }
}

/// The conformal offsets per lead that a method's backtest gives, for one
/// model version, method, coverage and horizon. They are cached because
/// computing them for every forecast cost more than the forecast itself. A
/// lock guards the cache, since forecasts may run on another thread than the
/// engine's.
final class BacktestOffsetsCache: @unchecked Sendable {
    private struct Key: Equatable {
        let version: Int
        let method: ForecastMethod
        let coverage: Double
        let horizon: Int
    }

    private let lock = NSLock()
    private var cached: (key: Key, offsets: [ConformalOffsets?])?

    /// Returns the offsets, computing them on first use from `recent`, the
    /// window that a simple method's errors are measured on.
    func offsets(
        model: SeriesModel, version: Int, method: ForecastMethod, coverage: Double, recent: [Double], horizon: Int
    ) -> [ConformalOffsets?] {
        let key = Key(version: version, method: method, coverage: coverage, horizon: horizon)
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.key == key { return cached.offsets }
        let errors = model.intervalErrors(for: method, values: recent, horizon: horizon)
        let offsets = errors.map { conformalOffsets(errors: $0, coverage: coverage) }
        cached = (key, offsets)
        return offsets
    }
}
