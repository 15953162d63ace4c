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

    /// Returns the JSON object sent as the second frame. Numbers use Swift's
    /// shortest round-trip form, so a reader gets back the exact doubles.
    public func json() -> String {
        var out = "{\"series\":\(jsonString(series)),\"ts\":\(jsonNumber(timestamp)),\"interval\":\(jsonNumber(interval))"
        out += ",\"values\":[" + values.map(jsonNumber).joined(separator: ",") + "]"
        out += ",\"timestamps\":[" + timestamps.map(jsonNumber).joined(separator: ",") + "]"
        out += ",\"model\":{\"version\":\(model.version),\"trained_at\":\(jsonString(RFC3339.format(model.trainedAt)))"
        out += ",\"points\":\(model.points),\"epochs\":\(model.epochs)"
        out += ",\"train_loss\":\(jsonNumber(model.trainingLoss))"
        out += ",\"val_loss\":\(model.validationLoss.map(jsonNumber) ?? "null")"
        out += ",\"train_seconds\":\(jsonNumber(model.trainingSeconds))}"
        if let fallback { out += ",\"fallback\":\(jsonString(fallback))" }
        if let fallbackReason { out += ",\"fallback_reason\":\(jsonString(fallbackReason))" }
        if let segmentStart { out += ",\"segment_start\":\(jsonNumber(segmentStart))" }
        if let bounds {
            out += ",\"lower\":[" + bounds.lower.map { $0.map(jsonNumber) ?? "null" }.joined(separator: ",") + "]"
            out += ",\"upper\":[" + bounds.upper.map { $0.map(jsonNumber) ?? "null" }.joined(separator: ",") + "]"
            out += ",\"interval_coverage\":\(jsonNumber(bounds.coverage)),\"interval_source\":\(jsonString(bounds.source))"
        }
        if let accuracy {
            out += ",\"accuracy\":{\"scored\":\(accuracy.scored),\"skill\":\(accuracy.skill.map(jsonNumber) ?? "null")"
            out += ",\"mae\":[" + accuracy.meanAbsoluteErrors.map { $0.map(jsonNumber) ?? "null" }.joined(separator: ",") + "]"
            out += ",\"last_value_mae\":["
                + accuracy.lastValueMeanAbsoluteErrors.map { $0.map(jsonNumber) ?? "null" }.joined(separator: ",") + "]}"
        }
        out += "}"
        return out
    }
}

/// Formats a JSON number. Non-finite values, which JSON cannot carry, become null.
func jsonNumber(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
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
