/// The method behind a series' forecasts: the network, or a simple method
/// that the validation backtest found at least as good.
public enum ForecastMethod: Sendable, Equatable {
    case network
    case lastValue
    /// Each step repeats the value one period (in points) before it.
    case seasonalNaive(period: Int)

    /// The name published in a forecast's `fallback` field.
    public var name: String {
        switch self {
        case .network: return "network"
        case .lastValue: return "last_value"
        case .seasonalNaive(let period): return "seasonal_naive_\(period)"
        }
    }
}

/// Returns the index of the value a seasonal naive forecast repeats for `lead`
/// (0-based) from `origin`: one or more whole periods back, so it always
/// lies at or before the origin. Negative when the history is too short.
func seasonalSource(origin: Int, lead: Int, period: Int) -> Int {
    let step = lead + 1
    let periodsBack = (step + period - 1) / period
    return origin + step - periodsBack * period
}

/// Daily and weekly periods in points, for spacings that divide a day or a
/// week evenly and leave at least two periods in the window.
func seasonalPeriods(timestamps: [Double]?, count: Int) -> [Int] {
    guard let timestamps, let spacing = medianSpacing(timestamps), spacing > 0 else { return [] }
    return [86_400.0, 604_800.0].compactMap { length in
        let period = (length / spacing).rounded()
        guard period >= 2, abs(period * spacing - length) < 0.01 * length, Int(period) * 2 <= count else { return nil }
        return Int(period)
    }
}

extension SeriesModel {
    /// The method the backtest chose, with its mean absolute error and the
    /// network's. A simple method wins unless the network is at least 5% more
    /// accurate than the best of them: on a random walk or a plain seasonal
    /// series they score alike, and the margin keeps the noisier network out.
    /// Without a backtest (no validation split) the network is used.
    func chooseMethod() -> (method: ForecastMethod, error: Double, networkError: Double) {
        guard let errors = backtestMeanAbsoluteErrors else { return (.network, .nan, .nan) }
        var best: (method: ForecastMethod, error: Double) = (.lastValue, errors.lastValue)
        for (period, seasonal) in seasonalCalibrationErrors.sorted(by: { $0.key < $1.key }) {
            let flat = seasonal.joined().map(abs)
            // A period whose backtest misses leads cannot stand in for every step.
            guard flat.count == calibrationErrors.joined().count, !flat.isEmpty else { continue }
            let error = flat.reduce(0, +) / Double(flat.count)
            if error < best.error { best = (.seasonalNaive(period: period), error) }
        }
        if errors.model <= 0.95 * best.error { return (.network, errors.model, errors.model) }
        return (best.method, best.error, errors.model)
    }

    /// The backtest errors of a method, which its prediction intervals use.
    public func calibration(for method: ForecastMethod) -> [[Double]] {
        switch method {
        case .network: return calibrationErrors
        case .lastValue: return lastValueCalibrationErrors
        case .seasonalNaive(let period): return seasonalCalibrationErrors[period] ?? []
        }
    }

    /// Forecasts with a simple method from `recent`, the series' newest values;
    /// nil for `.network` or when `recent` is shorter than the period.
    public func simpleForecast(_ method: ForecastMethod, recent: [Double], horizon: Int) -> [Double]? {
        guard let last = recent.last else { return nil }
        switch method {
        case .network:
            return nil
        case .lastValue:
            return [Double](repeating: last, count: horizon)
        case .seasonalNaive(let period):
            guard recent.count >= period else { return nil }
            let origin = recent.count - 1
            return (0..<horizon).map { recent[seasonalSource(origin: origin, lead: $0, period: period)] }
        }
    }
}
