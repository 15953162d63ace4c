import Foundation

/// A point taken from the input socket, before it joins its series.
public struct IncomingPoint: Sendable, Equatable {
    public let series: String
    /// Epoch seconds, or nil when the payload carried no timestamp.
    public let timestamp: Double?
    public let value: Double
}

/// The reason an input message was not accepted as a point.
public enum RejectionReason: String, Sendable, CaseIterable, Comparable {
    case wrongFrameCount = "wrong_frame_count"
    case emptyTopic = "empty_topic"
    case topicTooLong = "topic_too_long"
    case notUTF8 = "not_utf8"
    case invalidJSON = "invalid_json"
    case missingValue = "missing_value"
    case notANumber = "not_a_number"
    case nonFinite = "non_finite"
    case invalidTimestamp = "invalid_timestamp"
    case outOfOrder = "out_of_order"
    case futureTimestamp = "future_timestamp"
    case messageTooLarge = "message_too_large"
    case tooManySeries = "too_many_series"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct PointRejection: Error, Sendable, Equatable {
    public let reason: RejectionReason
    /// The series name when the topic could be read, for per-series counts.
    public let series: String?
    /// A description of the problem, with the offending text cut to a readable length.
    public let detail: String
}

/// Parses input messages per the input contract. A message is multipart
/// `[topic, payload]`, where the payload is a JSON object with `value` and an
/// optional `ts` (epoch seconds or RFC 3339), or plain text `value` or
/// `ts value`. One frame `"topic value"` or `"topic ts value"` is accepted too.
public struct PointParser: Sendable {
    public static let maximumTopicBytes = 256
    /// Epoch seconds from 0001-01-01 to 9999-12-31 UTC, the years RFC 3339
    /// can write. A timestamp outside is a sender's bug, such as -1e300.
    public static let timestampRange = -62_135_596_800.0...253_402_300_799.0
    /// Largest accepted message part, which the daemon also sets as ZMQ_MAXMSGSIZE.
    public let maximumMessageBytes: Int

    public init(maximumMessageBytes: Int = 65_536) {
        self.maximumMessageBytes = maximumMessageBytes
    }

    public func parse(_ frames: [[UInt8]]) -> Result<IncomingPoint, PointRejection> {
        let largest = frames.map(\.count).max() ?? 0
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        switch frames.count {
        case 1:
            return frames[0].withUnsafeBytes {
                parse(frameCount: 1, largestFrame: largest, first: $0, second: none)
            }
        case 2:
            return frames[0].withUnsafeBytes { first in
                frames[1].withUnsafeBytes { second in
                    parse(frameCount: 2, largestFrame: largest, first: first, second: second)
                }
            }
        default:
            return parse(frameCount: frames.count, largestFrame: largest, first: none, second: none)
        }
    }

    /// Parses a message of `frameCount` frames, whose first two are `first`
    /// and `second` (empty when missing), reading the bytes in place.
    public func parse(
        frameCount: Int, largestFrame: Int, first: UnsafeRawBufferPointer, second: UnsafeRawBufferPointer
    ) -> Result<IncomingPoint, PointRejection> {
        if largestFrame > maximumMessageBytes {
            return .failure(PointRejection(
                reason: .messageTooLarge, series: nil,
                detail: "a frame of \(largestFrame) bytes exceeds limits.max_message_bytes (\(maximumMessageBytes))"))
        }
        switch frameCount {
        case 2:
            guard ByteText.isValidUTF8(first) else {
                return .failure(PointRejection(reason: .notUTF8, series: nil, detail: "topic frame is not UTF-8"))
            }
            let topic = ByteText.string(first, 0..<first.count)
            if let problem = checkTopic(topic, bytes: first.count) { return .failure(problem) }
            guard ByteText.isValidUTF8(second) else {
                return .failure(PointRejection(reason: .notUTF8, series: topic, detail: "payload frame is not UTF-8"))
            }
            return parsePayload(second, series: topic)
        case 1:
            guard ByteText.isValidUTF8(first) else {
                return .failure(PointRejection(reason: .notUTF8, series: nil, detail: "single frame is not UTF-8"))
            }
            let fields = ByteText.Fields(first, in: 0..<first.count)
            guard fields.count == 2 || fields.count == 3 else {
                return .failure(PointRejection(
                    reason: .wrongFrameCount, series: nil,
                    detail: "a single frame must read 'topic value' or 'topic ts value', got "
                        + "'\(clip(ByteText.string(first, 0..<first.count)))'"))
            }
            let topic = ByteText.string(first, fields[0])
            if let problem = checkTopic(topic, bytes: fields[0].count) { return .failure(problem) }
            let timestamp: Range<Int>? = fields.count == 3 ? fields[1] : nil
            return parsePlain(first, timestamp: timestamp, value: fields[fields.count - 1], series: topic)
        default:
            return .failure(PointRejection(
                reason: .wrongFrameCount, series: nil,
                detail: "expected [topic, payload] or one 'topic value' frame, got \(frameCount) frames"))
        }
    }

    private func checkTopic(_ topic: String, bytes: Int) -> PointRejection? {
        if bytes == 0 {
            return PointRejection(reason: .emptyTopic, series: nil, detail: "the topic frame is empty")
        }
        if bytes > Self.maximumTopicBytes {
            return PointRejection(
                reason: .topicTooLong, series: nil,
                detail: "topic of \(bytes) bytes exceeds \(Self.maximumTopicBytes): '\(clip(topic))'")
        }
        return nil
    }

    /// Parses a payload frame already checked to be UTF-8.
    func parsePayload(_ payload: UnsafeRawBufferPointer, series: String) -> Result<IncomingPoint, PointRejection> {
        let trimmed = ByteText.trimmed(payload)
        if !trimmed.isEmpty, payload[trimmed.lowerBound] == UInt8(ascii: "{") {
            return parseJSON(UnsafeRawBufferPointer(rebasing: payload[trimmed]), series: series)
        }
        // Only spaces and tabs separate fields: a decimal comma ("1,5") must be rejected, not read as two numbers.
        let fields = ByteText.Fields(payload, in: trimmed)
        guard fields.count == 1 || fields.count == 2 else {
            return .failure(PointRejection(
                reason: .notANumber, series: series,
                detail: "expected 'value' or 'ts value', got '\(clip(ByteText.string(payload, 0..<payload.count)))'"))
        }
        let timestamp: Range<Int>? = fields.count == 2 ? fields[0] : nil
        return parsePlain(payload, timestamp: timestamp, value: fields[fields.count - 1], series: series)
    }

    private func parsePlain(
        _ bytes: UnsafeRawBufferPointer, timestamp timestampRange: Range<Int>?, value valueRange: Range<Int>,
        series: String
    ) -> Result<IncomingPoint, PointRejection> {
        guard let value = ByteText.double(bytes, valueRange) else {
            return .failure(PointRejection(
                reason: .notANumber, series: series,
                detail: "value '\(clip(ByteText.string(bytes, valueRange)))' is not a number"))
        }
        guard value.isFinite else {
            return .failure(PointRejection(
                reason: .nonFinite, series: series, detail: "value '\(clip(ByteText.string(bytes, valueRange)))' is not finite"))
        }
        var timestamp: Double?
        if let timestampRange {
            let parsed = ByteText.double(bytes, timestampRange).map { $0.isFinite ? $0 : nil }
                ?? RFC3339.parse(UnsafeRawBufferPointer(rebasing: bytes[timestampRange]))
            guard let parsed, Self.timestampRange.contains(parsed) else {
                return .failure(PointRejection(
                    reason: .invalidTimestamp, series: series,
                    detail: invalidTimestampDetail("'\(clip(ByteText.string(bytes, timestampRange)))'")))
            }
            timestamp = parsed
        }
        return .success(IncomingPoint(series: series, timestamp: timestamp, value: value))
    }

    private func parseJSON(_ bytes: UnsafeRawBufferPointer, series: String) -> Result<IncomingPoint, PointRejection> {
        let text = { clip(ByteText.string(bytes, 0..<bytes.count)) }
        guard let object = FlatJSON.parsePoint(bytes) else {
            return .failure(PointRejection(reason: .invalidJSON, series: series, detail: "payload is not a JSON object: '\(text())'"))
        }
        let value: Double
        switch object.value {
        case nil, .null?:
            return .failure(PointRejection(reason: .missingValue, series: series, detail: "JSON payload has no 'value': '\(text())'"))
        case .number(let number)?:
            value = number
        default:
            return .failure(PointRejection(
                reason: .notANumber, series: series, detail: "'value' is not a JSON number: '\(text())'"))
        }
        guard value.isFinite else {
            return .failure(PointRejection(reason: .nonFinite, series: series, detail: "'value' is out of range: '\(text())'"))
        }
        var timestamp: Double?
        switch object.ts {
        case nil, .null?:
            break
        case .number(let number)? where Self.timestampRange.contains(number):
            timestamp = number
        case .string(let string)?:
            guard let parsed = RFC3339.parse(string) ?? Double(string).flatMap({ $0.isFinite ? $0 : nil }),
                Self.timestampRange.contains(parsed)
            else { fallthrough }
            timestamp = parsed
        default:
            return .failure(PointRejection(
                reason: .invalidTimestamp, series: series,
                detail: invalidTimestampDetail(describe(object.ts))))
        }
        return .success(IncomingPoint(series: series, timestamp: timestamp, value: value))
    }
}

/// Says why a timestamp was rejected; `quoted` is the value as the log shows it.
private func invalidTimestampDetail(_ quoted: String) -> String {
    "timestamp \(quoted) is neither epoch seconds nor an RFC 3339 date-time from the year 1 to 9999 "
        + "(YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or ±HH:MM, every field in range)"
}

/// Quotes a rejected `ts` member for a log line.
private func describe(_ value: FlatJSONValue?) -> String {
    switch value {
    case .number(let number)?: return "\(number)"
    case .string(let string)?: return "'\(clip(string))'"
    case .bool(let flag)?: return "\(flag)"
    case .nested?: return "an array or object"
    case .null?, nil: return "null"
    }
}

/// Parses epoch seconds or an RFC 3339 date-time into epoch seconds.
public func parseTimestamp(text: String) -> Double? {
    guard let seconds = Double(text).map({ $0.isFinite ? $0 : nil }) ?? RFC3339.parse(text) else { return nil }
    return PointParser.timestampRange.contains(seconds) ? seconds : nil
}

/// Shortens untrusted text for a log line.
func clip(_ text: String, limit: Int = 60) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
}
