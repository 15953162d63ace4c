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
/// `minLiveErrors` of them, from the training backtest before that. A lead
/// with too few errors of either kind gets no bound (null in the JSON).
/// Returns nil when no lead has a bound.
func predictionBounds(
    values: [Double], tracker: AccuracyTracker, calibration: [[Double]], settings: ForecastSettings
) -> PredictionBounds? {
    var lower: [Double?] = []
    var upper: [Double?] = []
    var sources = Set<String>()
    for (index, value) in values.enumerated() {
        let live = tracker.errors(lead: index + 1)
        var offsets: (lower: Double, upper: Double)?
        if live.count >= settings.minLiveErrors {
            offsets = conformalOffsets(errors: live, coverage: settings.intervalCoverage)
            if offsets != nil { sources.insert("live") }
        }
        if offsets == nil, index < calibration.count {
            offsets = conformalOffsets(errors: calibration[index], coverage: settings.intervalCoverage)
            if offsets != nil { sources.insert("backtest") }
        }
        lower.append(offsets.map { value + $0.lower })
        upper.append(offsets.map { value + $0.upper })
    }
    guard !sources.isEmpty else { return nil }
    return PredictionBounds(
        lower: lower, upper: upper, coverage: settings.intervalCoverage,
        source: sources.count == 1 ? sources.first! : "mixed")
}
