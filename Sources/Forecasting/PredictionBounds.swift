import Configuration

/// A forecast's prediction interval per lead time.
public struct PredictionBounds: Sendable, Equatable {
    public let lower: [Double?]
    public let upper: [Double?]
    public let coverage: Double
    /// "live" when every bound comes from live errors, "backtest" when every
    /// bound comes from the training backtest, "mixed" otherwise.
    public let source: String
}

/// The accuracy figures published with a forecast.
public struct AccuracySummary: Sendable, Equatable {
    public let scored: Int
    public let skill: Double?
    public let meanAbsoluteErrors: [Double?]
    public let lastValueMeanAbsoluteErrors: [Double?]

    public init(tracker: AccuracyTracker, horizon: Int) {
        scored = tracker.scoredForecasts
        skill = tracker.skill
        meanAbsoluteErrors = tracker.meanAbsoluteErrors(horizon: horizon)
        lastValueMeanAbsoluteErrors = tracker.lastValueMeanAbsoluteErrors(horizon: horizon)
    }
}

/// Builds split-conformal bounds per lead: from live errors once a lead has
/// enough of them (`liveOffsets`), from the training backtest's offsets
/// before that. A lead with neither gets no bound (null in the JSON).
/// Returns nil when no lead has a bound.
func predictionBounds(
    values: [Double], liveOffsets: [ConformalOffsets?], backtestOffsets: [ConformalOffsets?], coverage: Double
) -> PredictionBounds? {
    var lower: [Double?] = []
    var upper: [Double?] = []
    lower.reserveCapacity(values.count)
    upper.reserveCapacity(values.count)
    var usedLive = false
    var usedBacktest = false
    for (index, value) in values.enumerated() {
        var offsets: ConformalOffsets?
        if index < liveOffsets.count, let live = liveOffsets[index] {
            offsets = live
            usedLive = true
        } else if index < backtestOffsets.count, let backtest = backtestOffsets[index] {
            offsets = backtest
            usedBacktest = true
        }
        lower.append(offsets.map { value + $0.lower })
        upper.append(offsets.map { value + $0.upper })
    }
    guard usedLive || usedBacktest else { return nil }
    return PredictionBounds(
        lower: lower, upper: upper, coverage: coverage,
        source: usedLive && usedBacktest ? "mixed" : (usedLive ? "live" : "backtest"))
}

/// Returns the conformal offsets per lead from a tracker's live errors; a
/// lead with fewer than `minimumErrors` errors gets nil.
func liveConformalOffsets(
    tracker: AccuracyTracker, horizon: Int, coverage: Double, minimumErrors: Int
) -> [ConformalOffsets?] {
    (1...max(horizon, 1)).map { lead in
        let errors = tracker.sortedErrors(lead: lead)
        return errors.count >= minimumErrors ? conformalOffsets(sortedErrors: errors, coverage: coverage) : nil
    }
}
