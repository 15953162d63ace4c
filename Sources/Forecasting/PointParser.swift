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
    /// Largest accepted message part, which the daemon also sets as ZMQ_MAXMSGSIZE.
    public let maximumMessageBytes: Int

    public init(maximumMessageBytes: Int = 65_536) {
        self.maximumMessageBytes = maximumMessageBytes
    }

    public func parse(_ frames: [[UInt8]]) -> Result<IncomingPoint, PointRejection> {
        if let largest = frames.map(\.count).max(), largest > maximumMessageBytes {
            return .failure(PointRejection(
                reason: .messageTooLarge, series: nil,
                detail: "a frame of \(largest) bytes exceeds limits.max_message_bytes (\(maximumMessageBytes))"))
        }
        switch frames.count {
        case 2:
            guard let topic = String(validatingUTF8Bytes: frames[0]) else {
                return .failure(PointRejection(reason: .notUTF8, series: nil, detail: "topic frame is not UTF-8"))
            }
            if let problem = checkTopic(topic) { return .failure(problem) }
            guard let payload = String(validatingUTF8Bytes: frames[1]) else {
                return .failure(PointRejection(reason: .notUTF8, series: topic, detail: "payload frame is not UTF-8"))
            }
            return parsePayload(payload, series: topic)
        case 1:
            guard let text = String(validatingUTF8Bytes: frames[0]) else {
                return .failure(PointRejection(reason: .notUTF8, series: nil, detail: "single frame is not UTF-8"))
            }
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2 || fields.count == 3 else {
                return .failure(PointRejection(
                    reason: .wrongFrameCount, series: nil,
                    detail: "a single frame must read 'topic value' or 'topic ts value', got '\(clip(text))'"))
            }
            let topic = String(fields[0])
            if let problem = checkTopic(topic) { return .failure(problem) }
            return parsePlain(fields.dropFirst().map(String.init), series: topic, original: text)
        default:
            return .failure(PointRejection(
                reason: .wrongFrameCount, series: nil,
                detail: "expected [topic, payload] or one 'topic value' frame, got \(frames.count) frames"))
        }
    }

    private func checkTopic(_ topic: String) -> PointRejection? {
        if topic.isEmpty {
            return PointRejection(reason: .emptyTopic, series: nil, detail: "the topic frame is empty")
        }
        if topic.utf8.count > Self.maximumTopicBytes {
            return PointRejection(
                reason: .topicTooLong, series: nil,
                detail: "topic of \(topic.utf8.count) bytes exceeds \(Self.maximumTopicBytes): '\(clip(topic))'")
        }
        return nil
    }

    func parsePayload(_ payload: String, series: String) -> Result<IncomingPoint, PointRejection> {
        let trimmed = trimmedASCIISpace(payload)
        if trimmed.hasPrefix("{") { return parseJSON(String(trimmed), series: series) }
        // Only spaces and tabs separate fields: a decimal comma ("1,5") must be rejected, not read as two numbers.
        let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 1 || fields.count == 2 else {
            return .failure(PointRejection(
                reason: .notANumber, series: series, detail: "expected 'value' or 'ts value', got '\(clip(payload))'"))
        }
        return parsePlain(fields, series: series, original: payload)
    }

    private func parsePlain(_ fields: [String], series: String, original: String) -> Result<IncomingPoint, PointRejection> {
        guard let value = Double(fields[fields.count - 1]) else {
            return .failure(PointRejection(
                reason: .notANumber, series: series, detail: "value '\(clip(fields[fields.count - 1]))' is not a number"))
        }
        guard value.isFinite else {
            return .failure(PointRejection(reason: .nonFinite, series: series, detail: "value '\(clip(fields.last!))' is not finite"))
        }
        var timestamp: Double?
        if fields.count == 2 {
            guard let parsed = parseTimestamp(text: fields[0]) else {
                return .failure(PointRejection(
                    reason: .invalidTimestamp, series: series,
                    detail: "timestamp '\(clip(fields[0]))' is neither epoch seconds nor RFC 3339"))
            }
            timestamp = parsed
        }
        return .success(IncomingPoint(series: series, timestamp: timestamp, value: value))
    }

    private func parseJSON(_ text: String, series: String) -> Result<IncomingPoint, PointRejection> {
        guard let object = FlatJSON.parseObject(text[...].utf8) else {
            return .failure(PointRejection(reason: .invalidJSON, series: series, detail: "payload is not a JSON object: '\(clip(text))'"))
        }
        let value: Double
        switch object["value"] {
        case nil, .null?:
            return .failure(PointRejection(reason: .missingValue, series: series, detail: "JSON payload has no 'value': '\(clip(text))'"))
        case .number(let number)?:
            value = number
        default:
            return .failure(PointRejection(
                reason: .notANumber, series: series, detail: "'value' is not a JSON number: '\(clip(text))'"))
        }
        guard value.isFinite else {
            return .failure(PointRejection(reason: .nonFinite, series: series, detail: "'value' is out of range: '\(clip(text))'"))
        }
        var timestamp: Double?
        switch object["ts"] {
        case nil, .null?:
            break
        case .number(let number)? where number.isFinite:
            timestamp = number
        case .string(let string)?:
            guard let parsed = RFC3339.parse(string) ?? Double(string).flatMap({ $0.isFinite ? $0 : nil }) else { fallthrough }
            timestamp = parsed
        default:
            return .failure(PointRejection(
                reason: .invalidTimestamp, series: series,
                detail: "'ts' is neither epoch seconds nor RFC 3339: '\(clip(text))'"))
        }
        return .success(IncomingPoint(series: series, timestamp: timestamp, value: value))
    }
}

/// Parses epoch seconds or an RFC 3339 date-time into epoch seconds.
public func parseTimestamp(text: String) -> Double? {
    if let seconds = Double(text) { return seconds.isFinite ? seconds : nil }
    return RFC3339.parse(text)
}

/// Drops leading and trailing ASCII spaces, tabs and line breaks by looking
/// at bytes, which is much cheaper than Foundation's character-set trimming.
func trimmedASCIISpace(_ text: String) -> Substring {
    let utf8 = text.utf8
    let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
        return text[text.endIndex...]
    }
    return text[first...last]
}

/// Shortens untrusted text for a log line.
func clip(_ text: String, limit: Int = 60) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
}

extension String {
    /// Decodes strict UTF-8, returning nil for any invalid byte sequence.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        guard let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        self = decoded
    }
}
