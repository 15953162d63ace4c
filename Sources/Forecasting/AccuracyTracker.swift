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

        /// The time of the last lead, after which the forecast has nothing left to score.
        var completion: Double { origin + Double(values.count) * interval - interval * 0.01 }
    }

    public static let errorsKept = AccuracyLimits.errorsKept

    private var pending: [Pending] = []
    /// The maximum horizon among `pending`, stored so `record` does not scan the list.
    private var maximumPendingHorizon = 0
    private var absoluteError: [Double] = []
    private var lastValueError: [Double] = []
    private var counts: [Int] = []
    private var signedErrors: [[Double]] = []
    /// The same errors per lead in ascending order, kept in step with
    /// `signedErrors` so each forecast's bounds need no sort.
    private var sortedErrors: [[Double]] = []

    public init() {}

    /// Forecasts scored at their first lead so far.
    public var scoredForecasts: Int { counts.first ?? 0 }

    /// Remembers a published forecast so later points can score it.
    /// `laterPoints`, oldest first, arrived while the forecast was computed
    /// and score it at once.
    public mutating func record(
        origin: Double, interval: Double, originValue: Double, values: [Double],
        laterPoints: [(timestamp: Double, value: Double)] = []
    ) {
        guard interval > 0, !values.isEmpty else { return }
        let forecast = Pending(origin: origin, interval: interval, originValue: originValue, values: values)
        for point in laterPoints { score(forecast, timestamp: point.timestamp, value: point.value) }
        if let newest = laterPoints.last, newest.timestamp >= forecast.completion { return }
        pending.append(forecast)
        maximumPendingHorizon = max(maximumPendingHorizon, values.count)
        // Every forecast older than the longest horizon is complete, so the list stays bounded.
        if pending.count > maximumPendingHorizon + 1 { pending.removeFirst(pending.count - maximumPendingHorizon - 1) }
    }

    /// Scores the pending forecasts against an actual point.
    public mutating func observe(timestamp: Double, value: Double) {
        guard !pending.isEmpty else { return }
        for forecast in pending { score(forecast, timestamp: timestamp, value: value) }
        // Forecasts finish in the order they were made unless a reload changed
        // the horizon. One that finishes early waits behind older ones and scores nothing more.
        let finished = pending.prefix { timestamp >= $0.completion }.count
        if finished > 0 { pending.removeFirst(finished) }
        if pending.isEmpty { maximumPendingHorizon = 0 }
    }

    /// Scores one forecast at the lead that `timestamp` falls on, if any.
    private mutating func score(_ forecast: Pending, timestamp: Double, value: Double) {
        let steps = (timestamp - forecast.origin) / forecast.interval
        // Checked before the conversion to Int, which would trap on a huge or non-finite step count.
        guard steps > 0.5, steps < Double(forecast.values.count) + 0.5 else { return }
        let lead = Int(steps.rounded())
        // Only a point on the forecast's own time grid is its actual.
        guard abs(steps - Double(lead)) < 0.01 else { return }
        let error = value - forecast.values[lead - 1]
        // A non-finite error would poison the sums and the sorted order. The engine never publishes one.
        guard error.isFinite else { return }
        grow(to: lead)
        absoluteError[lead - 1] += abs(error)
        lastValueError[lead - 1] += abs(value - forecast.originValue)
        counts[lead - 1] += 1
        signedErrors[lead - 1].append(error)
        sortedErrors[lead - 1].insertSorted(error)
        if signedErrors[lead - 1].count > Self.errorsKept {
            sortedErrors[lead - 1].removeSorted(signedErrors[lead - 1].removeFirst())
        }
    }

    /// Drops forecasts still waiting for actuals, e.g. after a gap starts a new segment.
    public mutating func dropPending() {
        pending.removeAll()
        maximumPendingHorizon = 0
    }

    private mutating func grow(to leads: Int) {
        while counts.count < leads {
            absoluteError.append(0)
            lastValueError.append(0)
            counts.append(0)
            signedErrors.append([])
            sortedErrors.append([])
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

    /// Returns the live signed errors at `lead` (1-based), smallest first.
    public func sortedErrors(lead: Int) -> [Double] {
        lead >= 1 && lead <= sortedErrors.count ? sortedErrors[lead - 1] : []
    }
}

extension Array where Element == Double {
    /// Returns the index of the first element not less than `value`, in an ascending array.
    fileprivate func lowerBound(_ value: Double) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    fileprivate mutating func insertSorted(_ value: Double) {
        insert(value, at: lowerBound(value))
    }

    /// Removes one element equal to `value`; returns false if there is none.
    @discardableResult
    fileprivate mutating func removeSorted(_ value: Double) -> Bool {
        let index = lowerBound(value)
        guard index < count, self[index] == value else { return false }
        remove(at: index)
        return true
    }
}

/// Split-conformal bounds from signed errors e = actual − forecast: the
/// ⌊(α/2)(n+1)⌋-th and ⌈(1−α/2)(n+1)⌉-th smallest errors, which cover a new
/// error with probability at least 1 − α when errors are exchangeable.
/// Returns nil when there are too few errors for that coverage.
public typealias ConformalOffsets = (lower: Double, upper: Double)

public func conformalOffsets(errors: [Double], coverage: Double) -> ConformalOffsets? {
    conformalOffsets(sortedErrors: errors.sorted(), coverage: coverage)
}

/// `conformalOffsets(errors:coverage:)` for errors already in ascending order.
public func conformalOffsets(sortedErrors sorted: [Double], coverage: Double) -> ConformalOffsets? {
    let n = sorted.count
    let alpha = 1 - coverage
    // The small slack keeps 1 − 0.9 = 0.0999… from moving a rank by one.
    let upperRank = Int((Double(n + 1) * (1 - alpha / 2) - 1e-9).rounded(.up))
    let lowerRank = Int((Double(n + 1) * (alpha / 2) + 1e-9).rounded(.down))
    guard n > 0, upperRank <= n, lowerRank >= 1 else { return nil }
    return (sorted[lowerRank - 1], sorted[upperRank - 1])
}
