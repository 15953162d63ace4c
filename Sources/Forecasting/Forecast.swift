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
        out.key("ts")
        out.number(timestamp)
        out.key("interval")
        out.number(interval)
        out.key("values")
        out.numbers(values)
        out.key("timestamps")
        out.numbers(timestamps)
        out.raw(",\"model\":{\"version\":")
        out.integer(model.version)
        out.key("trained_at")
        out.string(RFC3339.format(model.trainedAt))
        out.key("points")
        out.integer(model.points)
        out.key("epochs")
        out.integer(model.epochs)
        out.key("train_loss")
        out.number(model.trainingLoss)
        out.key("val_loss")
        out.number(model.validationLoss)
        out.key("train_seconds")
        out.number(model.trainingSeconds)
        out.raw("}")
        if let fallback {
            out.key("fallback")
            out.string(fallback)
        }
        if let fallbackReason {
            out.key("fallback_reason")
            out.string(fallbackReason)
        }
        if let segmentStart {
            out.key("segment_start")
            out.number(segmentStart)
        }
        if let bounds {
            out.key("lower")
            out.numbers(bounds.lower)
            out.key("upper")
            out.numbers(bounds.upper)
            out.key("interval_coverage")
            out.number(bounds.coverage)
            out.key("interval_source")
            out.string(bounds.source)
        }
        if let accuracy {
            out.raw(",\"accuracy\":{\"scored\":")
            out.integer(accuracy.scored)
            out.key("skill")
            out.number(accuracy.skill)
            out.key("mae")
            out.numbers(accuracy.meanAbsoluteErrors)
            out.key("last_value_mae")
            out.numbers(accuracy.lastValueMeanAbsoluteErrors)
            out.raw("}")
        }
        out.raw("}")
        return out.text
    }
}

/// Builds JSON text in one growing string. A forecast carries a few hundred
/// numbers, and formatting each into a string of its own and joining them
/// cost more than computing the forecast. The daemon's control replies use it too.
public struct JSONWriter {
    public private(set) var text = ""

    public init(capacity: Int) {
        text.reserveCapacity(capacity)
    }

    /// Appends text that is already JSON, such as punctuation.
    public mutating func raw(_ fragment: String) {
        text += fragment
    }

    /// Writes `,"name":`, the start of every member after the first.
    public mutating func key(_ name: String) {
        text += ",\""
        text += name
        text += "\":"
    }

    public mutating func integer(_ value: Int) {
        text += String(value)
    }

    /// Writes a number in Swift's shortest round-trip form, whole numbers
    /// without a decimal point. Non-finite values, which JSON cannot carry,
    /// and nil become null.
    public mutating func number(_ value: Double?) {
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

    public mutating func numbers(_ values: [Double]) {
        numbers(values.lazy.map { Optional($0) })
    }

    public mutating func numbers<Values: Sequence>(_ values: Values) where Values.Element == Double? {
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            number(value)
        }
        text += "]"
    }

    /// Writes a string literal with the escapes RFC 8259 requires.
    public mutating func string(_ value: String) {
        text += "\""
        // Most strings need no escape and are appended whole.
        guard value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
