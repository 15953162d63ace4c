/// The method behind a series' forecasts: the network, or a simple method
/// that the validation backtest found at least as good.
public enum ForecastMethod: Sendable, Equatable {
    case network
    case lastValue
    /// Each step repeats the value one period (in points) before it.
    case seasonalNaive(period: Int)
    /// Seasonal naive moved by the newest seasonal change: each step is the
    /// value one period before it plus (last value − the value one period
    /// before the last). It is the forecast of a seasonal random walk,
    /// ARIMA(0,1,0)(0,1,0), and keeps a daily or weekly shape at the current level.
    case seasonalLevel(period: Int)

    /// Reads a method back from its `name`; nil for any other text.
    public init?(name: String) {
        if name == "network" {
            self = .network
        } else if name == "last_value" {
            self = .lastValue
        } else if name.hasPrefix("seasonal_naive_level_"), let period = Int(name.dropFirst("seasonal_naive_level_".count)) {
            self = .seasonalLevel(period: period)
        } else if name.hasPrefix("seasonal_naive_"), let period = Int(name.dropFirst("seasonal_naive_".count)) {
            self = .seasonalNaive(period: period)
        } else {
            return nil
        }
    }

    /// The name published in a forecast's `fallback` field.
    public var name: String {
        switch self {
        case .network: return "network"
        case .lastValue: return "last_value"
        case .seasonalNaive(let period): return "seasonal_naive_\(period)"
        case .seasonalLevel(let period): return "seasonal_naive_level_\(period)"
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
    /// The same margin orders the simple methods: last value, seasonal naive,
    /// then seasonal naive at the current level. Each replaces the best so far
    /// only when 5% more accurate. A backtest of a few days then does not
    /// trade the last value for a seasonal method by chance on a random walk.
    /// Without a backtest (no validation split) the network is used.
    func chooseMethod() -> (method: ForecastMethod, error: Double, networkError: Double) {
        guard let errors = backtestMeanAbsoluteErrors else { return (.network, .nan, .nan) }
        var best: (method: ForecastMethod, error: Double) = (.lastValue, errors.lastValue)
        if let preferred = simpleMethodFromWindow, let error = heldOutError(of: preferred) {
            best = (preferred, error)
        } else {
            // A model from a checkpoint written before the window-wide choice existed picks on the held-out part alone.
            for method in simpleCandidates(periods: seasonalCalibrationErrors.keys.sorted()).dropFirst() {
                guard let error = heldOutError(of: method) else { continue }
                if error < best.error && error <= 0.95 * best.error { best = (method, error) }
            }
        }
        if errors.model <= 0.95 * best.error { return (.network, errors.model, errors.model) }
        return (best.method, best.error, errors.model)
    }

    /// Returns the mean absolute error of a method's backtest over the held-out
    /// points, or nil when it misses leads the network's backtest has.
    public func heldOutError(of method: ForecastMethod) -> Double? {
        let flat = calibration(for: method).joined().map(abs)
        guard !flat.isEmpty, flat.count == calibrationErrors.joined().count else { return nil }
        return flat.reduce(0, +) / Double(flat.count)
    }

    /// Lists the simple methods in order of increasing complexity: last value,
    /// seasonal naive by period, then seasonal naive at the current level by period.
    func simpleCandidates(periods: [Int]) -> [ForecastMethod] {
        [.lastValue] + periods.map { .seasonalNaive(period: $0) } + periods.map { .seasonalLevel(period: $0) }
    }

    /// Returns the best simple method on `values`, scored over up to 500
    /// origins across the whole window. Simple methods learn nothing, so all
    /// of the window is out of sample for them, and a few held-out days are
    /// too few to tell a daily pattern from a weekly one. A candidate
    /// replaces the best so far only when at least 5% more accurate.
    func bestSimpleMethod(values: [Double], periods: [Int], horizon: Int) -> ForecastMethod {
        let candidates = simpleCandidates(periods: periods)
        // Every candidate is scored on the same origins: those with a full period before them.
        let firstOrigin = periods.max() ?? 0
        guard horizon > 0, values.count - 2 >= firstOrigin else { return .lastValue }
        let origins = spreadOrigins(from: firstOrigin, through: values.count - 2, maximum: 500)
        var best: (method: ForecastMethod, error: Double)?
        for method in candidates {
            var total = 0.0
            var count = 0
            for origin in origins {
                for lead in 0..<min(horizon, values.count - 1 - origin) {
                    guard let predicted = simpleValue(method, values: values, origin: origin, lead: lead) else { continue }
                    total += abs(values[origin + 1 + lead] - predicted)
                    count += 1
                }
            }
            guard count > 0 else { continue }
            let error = total / Double(count)
            if let current = best, !(error < current.error && error <= 0.95 * current.error) { continue }
            best = (method, error)
        }
        return best?.method ?? .lastValue
    }

    /// The backtest errors of a method, which its prediction intervals use.
    public func calibration(for method: ForecastMethod) -> [[Double]] {
        switch method {
        case .network: return calibrationErrors
        case .lastValue: return lastValueCalibrationErrors
        case .seasonalNaive(let period): return seasonalCalibrationErrors[period] ?? []
        case .seasonalLevel(let period): return seasonalLevelCalibrationErrors[period] ?? []
        }
    }

    /// Returns the signed errors per lead that a method's prediction
    /// intervals come from, to be added to a forecast from `values`. The
    /// network's are its backtest over the held-out points. A simple method
    /// learns nothing, so every origin of `values` is out of sample for it.
    /// Its errors come from up to `maximumOrigins` origins spread over all of
    /// them, which cover a longer stretch than the held-out part.
    ///
    /// The errors of prices and demand grow with their level. So when every
    /// value is positive and the largest is at most ten times the smallest,
    /// each error is taken relative to its origin's value and rescaled to the
    /// newest value. A series that nears or crosses zero keeps
    /// plain errors, since a ratio to a value near zero means nothing.
    public func intervalErrors(
        for method: ForecastMethod, values: [Double], horizon: Int, maximumOrigins: Int = 500
    ) -> [[Double]] {
        guard method != .network else { return calibrationErrors }
        let relative = errorsScaleWithLevel(values)
        var errors = [[Double]](repeating: [], count: horizon)
        guard values.count >= 2, horizon > 0 else { return errors }
        for origin in spreadOrigins(from: 0, through: values.count - 2, maximum: maximumOrigins) {
            let steps = min(horizon, values.count - 1 - origin)
            for lead in 0..<steps {
                guard let predicted = simpleValue(method, values: values, origin: origin, lead: lead) else { continue }
                let error = values[origin + 1 + lead] - predicted
                errors[lead].append(relative ? error / values[origin] * values[values.count - 1] : error)
            }
        }
        return errors
    }

    /// True when interval errors should scale with the series' level: every
    /// value positive and the largest at most ten times the smallest.
    func errorsScaleWithLevel(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high <= 10 * low
    }

    /// Returns at most `maximum` origins spread evenly over `first...last`, newest first.
    func spreadOrigins(from first: Int, through last: Int, maximum: Int) -> StrideThrough<Int> {
        let count = last - first + 1
        let step = max(1, (count + maximum - 1) / max(1, maximum))
        return stride(from: last, through: first, by: -step)
    }

    /// Returns a simple method's forecast `lead` steps (0-based) after
    /// `values[origin]`, or nil when the history before the origin is too short.
    func simpleValue(_ method: ForecastMethod, values: [Double], origin: Int, lead: Int) -> Double? {
        switch method {
        case .network:
            return nil
        case .lastValue:
            return values[origin]
        case .seasonalNaive(let period):
            let source = seasonalSource(origin: origin, lead: lead, period: period)
            return source >= 0 ? values[source] : nil
        case .seasonalLevel(let period):
            let source = seasonalSource(origin: origin, lead: lead, period: period)
            guard source >= 0, origin >= period else { return nil }
            return values[source] + values[origin] - values[origin - period]
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
        case .seasonalNaive, .seasonalLevel:
            // Lead 0 reaches back furthest within the first period, so if it has a value every lead has.
            let origin = recent.count - 1
            guard simpleValue(method, values: recent, origin: origin, lead: 0) != nil else { return nil }
            return (0..<horizon).map { simpleValue(method, values: recent, origin: origin, lead: $0)! }
        }
    }
}
