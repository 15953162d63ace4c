/// Wall-clock timing on the monotonic clock, which NTP adjustments do not move.
enum Stopwatch {
    static func measure<Result>(_ body: () throws -> Result) rethrows -> (result: Result, seconds: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = start.duration(to: clock.now)
        return (result, seconds(elapsed))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}

/// Order statistics of timing samples.
enum Percentile {
    /// Returns the `fraction` quantile with linear interpolation between the
    /// closest ranks, the method numpy.percentile uses by default, so both
    /// implementations summarise their samples the same way.
    static func of(_ samples: [Double], _ fraction: Double) -> Double {
        precondition(!samples.isEmpty, "a percentile needs at least one sample")
        let sorted = samples.sorted()
        let rank = fraction * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}
