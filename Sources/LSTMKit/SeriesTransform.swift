/// How raw values become what the network sees.
public enum TransformKind: String, Sendable, Codable, CaseIterable {
    /// Raw values, the lecture's behaviour; a trend leaves the range the LSTM saw.
    case none
    /// Values standardised with the mean and standard deviation of the training window.
    case zscore
    /// Standardised first differences; forecasts are summed back onto the last value.
    case difference
    /// A least-squares line through the training window is removed and the
    /// standardised residuals modelled; forecasts add the line back, extended.
    case detrend
}

/// A fitted transform. Its statistics come from the training window only, so
/// nothing about the future leaks into the scaling.
///
/// Positions count points from the first point of the training window
/// (position 0); a detrended value needs its position to find the line.
public struct SeriesScaler: Sendable, Equatable, Codable {
    public var kind: TransformKind
    public var mean: Double
    public var standardDeviation: Double
    /// The fitted line `intercept + slope·position`, zero unless `detrend`.
    public var intercept: Double
    public var slope: Double

    public init(kind: TransformKind, mean: Double = 0, standardDeviation: Double = 1, intercept: Double = 0, slope: Double = 0) {
        self.kind = kind
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.intercept = intercept
        self.slope = slope
    }

    /// Fits the transform's statistics on `values`, at positions 0 ..< count.
    public static func fit(_ kind: TransformKind, on values: [Double]) -> SeriesScaler {
        switch kind {
        case .none:
            return SeriesScaler(kind: .none)
        case .zscore:
            let (mean, deviation) = meanAndDeviation(values)
            return SeriesScaler(kind: .zscore, mean: mean, standardDeviation: deviation)
        case .difference:
            let differences = zip(values.dropFirst(), values).map { $0 - $1 }
            let (mean, deviation) = meanAndDeviation(differences)
            return SeriesScaler(kind: .difference, mean: mean, standardDeviation: deviation)
        case .detrend:
            let (intercept, slope) = leastSquaresLine(values)
            let residuals = values.enumerated().map { $0.element - (intercept + slope * Double($0.offset)) }
            let (mean, deviation) = meanAndDeviation(residuals)
            return SeriesScaler(kind: .detrend, mean: mean, standardDeviation: deviation, intercept: intercept, slope: slope)
        }
    }

    /// Returns the model-space series of `values`, whose first element sits at
    /// `firstPosition`; the result is one shorter than `values` for `difference`.
    public func transform(_ values: [Double], firstPosition: Int = 0) -> [Float] {
        switch kind {
        case .none:
            return values.map { Float($0) }
        case .zscore:
            return values.map { Float(($0 - mean) / standardDeviation) }
        case .difference:
            return zip(values.dropFirst(), values).map { Float(($0 - $1 - mean) / standardDeviation) }
        case .detrend:
            return values.enumerated().map { offset, value in
                let line = intercept + slope * Double(firstPosition + offset)
                return Float((value - line - mean) / standardDeviation)
            }
        }
    }

    /// Maps model-space forecasts back to values. The first output sits at
    /// `firstPosition`; `lastValue`, the point before it, anchors differences.
    public func invert(_ outputs: [Float], lastValue: Double, firstPosition: Int = 0) -> [Double] {
        switch kind {
        case .none:
            return outputs.map { Double($0) }
        case .zscore:
            return outputs.map { Double($0) * standardDeviation + mean }
        case .difference:
            var level = lastValue
            return outputs.map { output in
                level += Double(output) * standardDeviation + mean
                return level
            }
        case .detrend:
            return outputs.enumerated().map { offset, output in
                Double(output) * standardDeviation + mean + intercept + slope * Double(firstPosition + offset)
            }
        }
    }

    /// Returns this scaler with its line refitted to `values` at positions
    /// 0 ..< count; the residual statistics stay those learned in training.
    public func refittingLine(to values: [Double]) -> SeriesScaler {
        var result = self
        (result.intercept, result.slope) = leastSquaresLine(values)
        return result
    }

    /// How many raw values one model-space point needs beyond itself (differences use two).
    public var lag: Int { kind == .difference ? 1 : 0 }
}

/// Returns the mean and population standard deviation; a flat series gets a
/// deviation of 1 so that scaling never divides by zero.
private func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
    guard !values.isEmpty else { return (0, 1) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    let deviation = variance.squareRoot()
    return (mean, deviation > 1e-12 ? deviation : 1)
}

/// Returns the ordinary least-squares line through `(position, value)`.
private func leastSquaresLine(_ values: [Double]) -> (intercept: Double, slope: Double) {
    let n = Double(values.count)
    guard values.count >= 2 else { return (values.first ?? 0, 0) }
    let meanPosition = (n - 1) / 2
    let meanValue = values.reduce(0, +) / n
    var covariance = 0.0
    var variance = 0.0
    for (position, value) in values.enumerated() {
        let dx = Double(position) - meanPosition
        covariance += dx * (value - meanValue)
        variance += dx * dx
    }
    let slope = covariance / variance
    return (meanValue - slope * meanPosition, slope)
}
