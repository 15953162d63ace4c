import Foundation

/// Facts about the model behind a forecast, published with it.
public struct ModelInfo: Sendable, Equatable {
    public let version: Int
    /// Epoch seconds when training finished.
    public let trainedAt: Double
    public let points: Int
    public let epochs: Int
    public let trainingLoss: Double
    public let validationLoss: Double?
    public let trainingSeconds: Double
}

/// One published forecast, per the output contract.
public struct Forecast: Sendable, Equatable {
    public let series: String
    /// Timestamp of the last point the forecast starts from, epoch seconds.
    public let timestamp: Double
    /// Seconds between points, the median spacing of the series.
    public let interval: Double
    public let values: [Double]
    public let timestamps: [Double]
    public let model: ModelInfo
    /// Set when the network's output was unusable and a simple method stood in.
    public let fallback: String?
    /// Timestamp where the series' current segment began, after a gap too long to fill.
    public var segmentStart: Double? = nil
    /// The reason the fallback replaced the network's forecast.
    public var fallbackReason: String? = nil
    /// Live accuracy of the series' earlier forecasts.
    public var accuracy: AccuracySummary? = nil
    /// Prediction interval per lead, when enough errors exist.
    public var bounds: PredictionBounds? = nil
    /// True when `fallback` is the method the backtest chose, a decision
    /// rather than a fault of the network. Not published.
    public var fallbackChosenByBacktest = false
    /// The value at `timestamp`, which live accuracy compares the forecast with. Not published.
    public var originValue: Double = .nan

    /// Returns the JSON object sent as the second frame. Numbers use Swift's
    /// shortest round-trip form, so a reader gets back the exact doubles.
    public func json() -> String {
        var out = JSONWriter(capacity: 64 + 24 * (values.count * 6))
        out.raw("{\"series\":")
        out.string(series)
        out.raw(",\"ts\":")
        out.number(timestamp)
        out.raw(",\"interval\":")
        out.number(interval)
        out.raw(",\"values\":")
        out.numbers(values)
        out.raw(",\"timestamps\":")
        out.numbers(timestamps)
        out.raw(",\"model\":{\"version\":")
        out.integer(model.version)
        out.raw(",\"trained_at\":")
        out.string(RFC3339.format(model.trainedAt))
        out.raw(",\"points\":")
        out.integer(model.points)
        out.raw(",\"epochs\":")
        out.integer(model.epochs)
        out.raw(",\"train_loss\":")
        out.number(model.trainingLoss)
        out.raw(",\"val_loss\":")
        out.number(model.validationLoss)
        out.raw(",\"train_seconds\":")
        out.number(model.trainingSeconds)
        out.raw("}")
        if let fallback {
            out.raw(",\"fallback\":")
            out.string(fallback)
        }
        if let fallbackReason {
            out.raw(",\"fallback_reason\":")
            out.string(fallbackReason)
        }
        if let segmentStart {
            out.raw(",\"segment_start\":")
            out.number(segmentStart)
        }
        if let bounds {
            out.raw(",\"lower\":")
            out.numbers(bounds.lower)
            out.raw(",\"upper\":")
            out.numbers(bounds.upper)
            out.raw(",\"interval_coverage\":")
            out.number(bounds.coverage)
            out.raw(",\"interval_source\":")
            out.string(bounds.source)
        }
        if let accuracy {
            out.raw(",\"accuracy\":{\"scored\":")
            out.integer(accuracy.scored)
            out.raw(",\"skill\":")
            out.number(accuracy.skill)
            out.raw(",\"mae\":")
            out.numbers(accuracy.meanAbsoluteErrors)
            out.raw(",\"last_value_mae\":")
            out.numbers(accuracy.lastValueMeanAbsoluteErrors)
            out.raw("}")
        }
        out.raw("}")
        return out.text
    }
}

/// Builds JSON text in one growing string. A forecast carries a few hundred
/// numbers, and formatting each into a string of its own and joining them
/// cost more than computing the forecast.
struct JSONWriter {
    private(set) var text = ""

    init(capacity: Int) {
        text.reserveCapacity(capacity)
    }

    mutating func raw(_ fragment: String) {
        text += fragment
    }

    mutating func integer(_ value: Int) {
        text += String(value)
    }

    /// Writes a number; non-finite values, which JSON cannot carry, and nil become null.
    mutating func number(_ value: Double?) {
        guard let value, value.isFinite else {
            text += "null"
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            text += String(Int64(value))
        } else {
            value.write(to: &text)
        }
    }

    mutating func numbers(_ values: [Double]) {
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            number(value)
        }
        text += "]"
    }

    mutating func numbers(_ values: [Double?]) {
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            number(value)
        }
        text += "]"
    }

    mutating func string(_ value: String) {
        text += jsonString(value)
    }
}

/// Formats a JSON string literal with the escapes RFC 8259 requires.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
