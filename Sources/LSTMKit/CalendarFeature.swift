import Foundation

/// A covariate derived from a point's timestamp, fed to the LSTM beside the
/// value as a sine and cosine pair. Midnight then sits next to 23:00, and a
/// short input window can still tell where in the day or week it is.
public enum CalendarFeature: String, Sendable, Codable, CaseIterable {
    /// Position in the UTC day.
    case timeOfDay = "time_of_day"
    /// Position in the week, counted in UTC days.
    case dayOfWeek = "day_of_week"

    var period: Double {
        switch self {
        case .timeOfDay: return 86_400
        case .dayOfWeek: return 7 * 86_400
        }
    }

    /// Appends sin and cos of the timestamp's phase within the period.
    func encode(_ timestamp: Double, into output: inout [Float]) {
        let phase = 2 * Double.pi * timestamp.truncatingRemainder(dividingBy: period) / period
        output.append(Float(sin(phase)))
        output.append(Float(cos(phase)))
    }
}

extension Array where Element == CalendarFeature {
    /// Returns the covariates of one timestamp, two per feature.
    func encode(_ timestamp: Double) -> [Float] {
        var output: [Float] = []
        encode(timestamp, into: &output)
        return output
    }

    /// Appends the covariates of one timestamp, two per feature.
    func encode(_ timestamp: Double, into output: inout [Float]) {
        for feature in self { feature.encode(timestamp, into: &output) }
    }
}
