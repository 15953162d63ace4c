import Configuration

/// Live accuracy of one series' forecasts: as actual points arrive, each
/// earlier forecast that covered their timestamp is scored at its lead time,
/// next to the last-value forecast made at the same origin.
///
/// The signed errors (actual − forecast) of the newest scored forecasts per
/// lead also give the prediction intervals.
public struct AccuracyTracker: Sendable {
    struct Pending: Sendable {
        let origin: Double
        let interval: Double
        let originValue: Double
        let values: [Double]
    }

    public static let errorsKept = AccuracyLimits.errorsKept

    private var pending: [Pending] = []
    private var absoluteError: [Double] = []
    private var lastValueError: [Double] = []
    private var counts: [Int] = []
    private var signedErrors: [[Double]] = []

    public init() {}

    /// Forecasts scored at their first lead so far.
    public var scoredForecasts: Int { counts.first ?? 0 }

    /// Remembers a published forecast so later points can score it.
    public mutating func record(origin: Double, interval: Double, originValue: Double, values: [Double]) {
        guard interval > 0, !values.isEmpty else { return }
        pending.append(Pending(origin: origin, interval: interval, originValue: originValue, values: values))
        // Every forecast older than the longest horizon is complete, so the list stays bounded.
        let longest = pending.map(\.values.count).max() ?? 0
        if pending.count > longest + 1 { pending.removeFirst(pending.count - longest - 1) }
    }

    /// Scores the pending forecasts against an actual point.
    public mutating func observe(timestamp: Double, value: Double) {
        for forecast in pending {
            let steps = (timestamp - forecast.origin) / forecast.interval
            let lead = Int(steps.rounded())
            // Only a point on the forecast's own time grid is its actual.
            guard lead >= 1, lead <= forecast.values.count, abs(steps - Double(lead)) < 0.01 else { continue }
            grow(to: lead)
            let error = value - forecast.values[lead - 1]
            absoluteError[lead - 1] += abs(error)
            lastValueError[lead - 1] += abs(value - forecast.originValue)
            counts[lead - 1] += 1
            signedErrors[lead - 1].append(error)
            if signedErrors[lead - 1].count > Self.errorsKept { signedErrors[lead - 1].removeFirst() }
        }
        pending.removeAll { timestamp >= $0.origin + Double($0.values.count) * $0.interval - $0.interval * 0.01 }
    }

    /// Drops forecasts still waiting for actuals, e.g. after a gap starts a new segment.
    public mutating func dropPending() {
        pending.removeAll()
    }

    private mutating func grow(to leads: Int) {
        while counts.count < leads {
            absoluteError.append(0)
            lastValueError.append(0)
            counts.append(0)
            signedErrors.append([])
        }
    }

    /// Mean absolute error per lead, nil where nothing was scored yet.
    public func meanAbsoluteErrors(horizon: Int) -> [Double?] {
        (0..<horizon).map { $0 < counts.count && counts[$0] > 0 ? absoluteError[$0] / Double(counts[$0]) : nil }
    }

    public func lastValueMeanAbsoluteErrors(horizon: Int) -> [Double?] {
        (0..<horizon).map { $0 < counts.count && counts[$0] > 0 ? lastValueError[$0] / Double(counts[$0]) : nil }
    }

    /// 1 − MAE / last-value MAE over every scored lead; positive means better than repeating the last value.
    public var skill: Double? {
        let model = absoluteError.reduce(0, +)
        let naive = lastValueError.reduce(0, +)
        guard counts.reduce(0, +) > 0, naive > 0 else { return nil }
        return 1 - model / naive
    }

    /// The live signed errors at `lead` (1-based), oldest first.
    public func errors(lead: Int) -> [Double] {
        lead >= 1 && lead <= signedErrors.count ? signedErrors[lead - 1] : []
    }
}

/// Split-conformal bounds from signed errors e = actual − forecast: the
/// ⌊(α/2)(n+1)⌋-th and ⌈(1−α/2)(n+1)⌉-th smallest errors, which cover a new
/// error with probability at least 1 − α when errors are exchangeable.
/// Returns nil when there are too few errors for that coverage.
public func conformalOffsets(errors: [Double], coverage: Double) -> (lower: Double, upper: Double)? {
    let n = errors.count
    let alpha = 1 - coverage
    // The small slack keeps 1 − 0.9 = 0.0999… from moving a rank by one.
    let upperRank = Int((Double(n + 1) * (1 - alpha / 2) - 1e-9).rounded(.up))
    let lowerRank = Int((Double(n + 1) * (alpha / 2) + 1e-9).rounded(.down))
    guard n > 0, upperRank <= n, lowerRank >= 1 else { return nil }
    let sorted = errors.sorted()
    return (sorted[lowerRank - 1], sorted[upperRank - 1])
}
