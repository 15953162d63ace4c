/// How raw values become what the network sees.
public enum TransformKind: String, Sendable, Codable, CaseIterable {
    /// Raw values, the lecture's behaviour; a trend leaves the range the LSTM saw.
    case none
    /// Values standardised with the mean and standard deviation of the training window.
    case zscore
    /// Standardised first differences; forecasts are summed back onto the last value.
    case difference
}

/// A fitted transform: the statistics come from the training window only,
/// so nothing about the future leaks into the scaling.
public struct SeriesScaler: Sendable, Equatable, Codable {
    public var kind: TransformKind
    public var mean: Double
    public var standardDeviation: Double

    public init(kind: TransformKind, mean: Double = 0, standardDeviation: Double = 1) {
        self.kind = kind
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Fits the transform's statistics on `values`.
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
        }
    }

    /// Returns the model-space series: one shorter than `values` for `difference`.
    public func transform(_ values: [Double]) -> [Float] {
        switch kind {
        case .none:
            return values.map { Float($0) }
        case .zscore:
            return values.map { Float(($0 - mean) / standardDeviation) }
        case .difference:
            return zip(values.dropFirst(), values).map { Float(($0 - $1 - mean) / standardDeviation) }
        }
    }

    /// Maps model-space forecasts back to values; `lastValue` anchors differences.
    public func invert(_ outputs: [Float], lastValue: Double) -> [Double] {
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
        }
    }

    /// How many raw values one model-space point needs (differences use two).
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
