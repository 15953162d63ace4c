import Forecasting
import XCTest

/// Every rejected input, with the `RejectionReason` the daemon counts it under.
final class PointParserRejectTests: XCTestCase {
    private func reject(_ frames: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) -> PointRejection? {
        switch PointParser().parse(frames) {
        case .success(let point):
            XCTFail("accepted as \(point)", file: file, line: line)
            return nil
        case .failure(let rejection):
            return rejection
        }
    }

    private func reason(topic: String = "t", payload: String, file: StaticString = #filePath, line: UInt = #line) -> RejectionReason? {
        reject([bytes(topic), bytes(payload)], file: file, line: line)?.reason
    }

    func testTopicNotUTF8IsRejectedWithoutSeries() {
        let rejection = reject([[0x66, 0xFF, 0x6F], bytes("1")])
        XCTAssertEqual(rejection?.reason, .notUTF8)
        XCTAssertEqual(rejection?.detail, "topic frame is not UTF-8")
        XCTAssertEqual(rejection.map { $0.series == nil }, true)
    }

    func testPayloadNotUTF8IsRejectedWithSeries() {
        let rejection = reject([bytes("t"), [0x31, 0xC0, 0xAF]])
        XCTAssertEqual(rejection?.reason, .notUTF8)
        XCTAssertEqual(rejection?.series, "t")
    }

    func testEncodedSurrogateIsNotUTF8() {
        XCTAssertEqual(reject([bytes("t"), [0xED, 0xA0, 0x80]])?.reason, .notUTF8)
    }

    func testSingleFrameNotUTF8IsRejected() {
        XCTAssertEqual(reject([[0x74, 0x20, 0xFE]])?.reason, .notUTF8)
    }

    func testEmptyTopicIsRejected() {
        let rejection = reject([[], bytes("1")])
        XCTAssertEqual(rejection?.reason, .emptyTopic)
        XCTAssertEqual(rejection.map { $0.series == nil }, true)
    }

    func testTopicOverMaximumBytesIsRejected() {
        let topic = String(repeating: "a", count: PointParser.maximumTopicBytes + 1)
        let rejection = reject([bytes(topic), bytes("1")])
        XCTAssertEqual(rejection?.reason, .topicTooLong)
        XCTAssertEqual(
            rejection?.detail, "topic of 257 bytes exceeds 256: '\(String(repeating: "a", count: 60))…'")
    }

    func testTopicLimitCountsBytesNotCharacters() {
        let topic = String(repeating: "é", count: PointParser.maximumTopicBytes / 2 + 1)
        XCTAssertEqual(reason(topic: topic, payload: "1"), .topicTooLong)
    }

    func testSingleFrameTopicOverMaximumBytesIsRejected() {
        let topic = String(repeating: "b", count: 300)
        XCTAssertEqual(reject([bytes("\(topic) 1")])?.reason, .topicTooLong)
    }

    func testMalformedJSONIsInvalidJSON() {
        let payloads = [
            #"{"value": 1.5"#, #"{"value": 1,}"#, #"{"value": 01}"#, #"{"value": 1} x"#, "{'value': 1}",
            #"{value: 1}"#, #"{"value": .5}"#, #"{"value": 1.}"#, #"{"value": +1}"#, #"{"value": "1}"#,
            "{\"value\": 1, \"note\": \"a\nb\"}", #"{"value": 1, "note": "\x"}"#, #"{"value": [1, 2}"#,
            #"{"value": tru}"#, #"{"value": 1 "ts": 2}"#,
        ]
        for payload in payloads {
            XCTAssertEqual(reason(payload: payload), .invalidJSON, payload)
        }
    }

    func testDeeplyNestedJSONIsInvalidJSON() {
        let payload = #"{"value": 1, "x": "# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        XCTAssertEqual(reason(payload: payload), .invalidJSON)
    }

    func testJSONWithoutValueIsMissingValue() {
        XCTAssertEqual(reason(payload: #"{"ts": 1700000000}"#), .missingValue)
        XCTAssertEqual(reason(payload: "{}"), .missingValue)
    }

    func testJSONNullValueIsMissingValue() {
        XCTAssertEqual(reason(payload: #"{"value": null}"#), .missingValue)
    }

    func testJSONBooleanValueIsNotANumber() {
        XCTAssertEqual(reason(payload: #"{"value": true}"#), .notANumber)
        XCTAssertEqual(reason(payload: #"{"value": false}"#), .notANumber)
    }

    func testJSONStringValueIsNotANumber() {
        XCTAssertEqual(reason(payload: #"{"value": "1.5"}"#), .notANumber)
    }

    func testJSONArrayOrObjectValueIsNotANumber() {
        XCTAssertEqual(reason(payload: #"{"value": [1.5]}"#), .notANumber)
        XCTAssertEqual(reason(payload: #"{"value": {"v": 1}}"#), .notANumber)
    }

    func testJSONNaNLiteralIsInvalidJSON() {
        XCTAssertEqual(reason(payload: #"{"value": NaN}"#), .invalidJSON)
        XCTAssertEqual(reason(payload: #"{"value": Infinity}"#), .invalidJSON)
    }

    func testJSONOverflowingNumberIsNonFinite() {
        XCTAssertEqual(reason(payload: #"{"value": 1e999}"#), .nonFinite)
        XCTAssertEqual(reason(payload: #"{"value": -1e999}"#), .nonFinite)
    }

    func testPlainNonFiniteValuesAreNonFinite() {
        for text in ["NaN", "nan", "inf", "-inf", "Infinity", "1e999", "-1e999"] {
            XCTAssertEqual(reason(payload: text), .nonFinite, text)
        }
    }

    func testPlainTimestampThenInfIsNonFinite() {
        XCTAssertEqual(reason(payload: "1700000000 inf"), .nonFinite)
    }

    func testSingleFrameNonFiniteValueIsNonFinite() {
        XCTAssertEqual(reject([bytes("t nan")])?.reason, .nonFinite)
    }

    func testPlainWordIsNotANumber() {
        let rejection = reject([bytes("t"), bytes("high")])
        XCTAssertEqual(rejection?.reason, .notANumber)
        XCTAssertEqual(rejection?.detail, "value 'high' is not a number")
    }

    func testPlainThreeFieldsAreNotANumber() {
        XCTAssertEqual(reason(payload: "1 2 3"), .notANumber)
    }

    func testEmptyPayloadIsNotANumber() {
        XCTAssertEqual(reason(payload: ""), .notANumber)
        XCTAssertEqual(reason(payload: "  \n"), .notANumber)
    }

    func testJSONTimestampWordIsInvalidTimestamp() {
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": "yesterday"}"#), .invalidTimestamp)
    }

    func testJSONTimestampOfWrongTypeIsInvalidTimestamp() {
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": true}"#), .invalidTimestamp)
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": [1]}"#), .invalidTimestamp)
    }

    func testTimestampBeyondYear9999IsInvalid() {
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": -1e300}"#), .invalidTimestamp)
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": "253402300800"}"#), .invalidTimestamp)
        XCTAssertEqual(reason(payload: "-1e300 1"), .invalidTimestamp)
        XCTAssertEqual(reason(payload: "253402300800 1"), .invalidTimestamp)
        let lastSecond = try? PointParser().parse([bytes("t"), bytes("253402300799 1")]).get()
        XCTAssertEqual(lastSecond?.timestamp, 253_402_300_799, "the last second of 9999 is accepted")
        let before1970 = try? PointParser().parse([bytes("t"), bytes(#"{"value": 1, "ts": -86400}"#)]).get()
        XCTAssertEqual(before1970?.timestamp, -86400, "1969 is accepted")
    }

    func testJSONNonFiniteTimestampIsInvalidTimestamp() {
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": 1e999}"#), .invalidTimestamp)
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": "inf"}"#), .invalidTimestamp)
    }

    func testJSONDateWithoutZoneIsInvalidTimestamp() {
        XCTAssertEqual(reason(payload: #"{"value": 1, "ts": "2024-01-01T00:00:00"}"#), .invalidTimestamp)
    }

    func testImpossibleDateIsInvalidTimestamp() {
        let rejection = reject([bytes("t"), bytes(#"{"value": 1, "ts": "2026-02-30T03:04:05Z"}"#)])
        XCTAssertEqual(rejection?.reason, .invalidTimestamp)
        XCTAssertEqual(
            rejection?.detail,
            "timestamp '2026-02-30T03:04:05Z' is neither epoch seconds nor an RFC 3339 date-time from the year 1 "
                + "to 9999 (YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or ±HH:MM, every field in range)")
        XCTAssertEqual(reason(payload: "2026-02-30T03:04:05Z 1"), .invalidTimestamp)
    }

    func testPlainTimestampWordIsInvalidTimestamp() {
        let rejection = reject([bytes("t"), bytes("yesterday 1")])
        XCTAssertEqual(rejection?.reason, .invalidTimestamp)
        XCTAssertEqual(
            rejection?.detail,
            "timestamp 'yesterday' is neither epoch seconds nor an RFC 3339 date-time from the year 1 to 9999 "
                + "(YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or ±HH:MM, every field in range)")
    }

    func testPlainNaNTimestampIsInvalidTimestamp() {
        XCTAssertEqual(reason(payload: "nan 1"), .invalidTimestamp)
    }

    func testSingleFrameBadTimestampIsInvalidTimestamp() {
        XCTAssertEqual(reject([bytes("t soon 1")])?.reason, .invalidTimestamp)
    }

    func testThreeFramesAreWrongFrameCount() {
        let rejection = reject([bytes("t"), bytes("1"), bytes("2")])
        XCTAssertEqual(rejection?.reason, .wrongFrameCount)
        XCTAssertEqual(rejection?.detail, "expected [topic, payload] or one 'topic value' frame, got 3 frames")
    }

    func testZeroFramesAreWrongFrameCount() {
        XCTAssertEqual(reject([])?.reason, .wrongFrameCount)
    }

    func testSingleWordFrameIsWrongFrameCount() {
        let rejection = reject([bytes("lonely")])
        XCTAssertEqual(rejection?.reason, .wrongFrameCount)
        XCTAssertEqual(rejection?.detail, "a single frame must read 'topic value' or 'topic ts value', got 'lonely'")
    }

    func testFourWordFrameIsWrongFrameCount() {
        XCTAssertEqual(reject([bytes("t 1 2 3")])?.reason, .wrongFrameCount)
    }

    func testEmptySingleFrameIsWrongFrameCount() {
        XCTAssertEqual(reject([[]])?.reason, .wrongFrameCount)
    }

    func testLongDetailIsClipped() {
        let word = String(repeating: "x", count: 500)
        XCTAssertEqual(reject([bytes("t"), bytes(word)])?.detail, "value '\(String(repeating: "x", count: 60))…' is not a number")
    }
}
