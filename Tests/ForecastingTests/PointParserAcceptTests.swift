import Forecasting
import XCTest

/// Every accepted form of the input contract, with the point it yields.
final class PointParserAcceptTests: XCTestCase {
    private func accept(_ frames: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) -> IncomingPoint? {
        switch PointParser().parse(frames) {
        case .success(let point):
            return point
        case .failure(let rejection):
            XCTFail("rejected: \(rejection.reason) \(rejection.detail)", file: file, line: line)
            return nil
        }
    }

    private func accept(topic: String, payload: String, file: StaticString = #filePath, line: UInt = #line) -> IncomingPoint? {
        accept([bytes(topic), bytes(payload)], file: file, line: line)
    }

    func testJSONValueWithoutTimestamp() {
        let point = accept(topic: "price.btc", payload: #"{"value": 1.5}"#)
        XCTAssertEqual(point?.series, "price.btc")
        XCTAssertEqual(point?.value, 1.5)
        XCTAssertEqual(point.map { $0.timestamp == nil }, true)
    }

    func testJSONValueWithEpochTimestamp() {
        let point = accept(topic: "t", payload: #"{"value": 1.5, "ts": 1700000000}"#)
        XCTAssertEqual(point?.value, 1.5)
        XCTAssertEqual(point?.timestamp, 1_700_000_000)
    }

    func testJSONValueWithRFC3339Timestamp() {
        let point = accept(topic: "t", payload: #"{"value": 2, "ts": "2024-01-01T00:00:00Z"}"#)
        XCTAssertEqual(point?.value, 2)
        XCTAssertEqual(point?.timestamp, 1_704_067_200)
    }

    func testJSONTimestampWithFractionAndOffset() {
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1, "ts": "2024-01-01T00:00:00.250Z"}"#)?.timestamp, 1_704_067_200.25)
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1, "ts": "2024-01-01T01:00:00+01:00"}"#)?.timestamp, 1_704_067_200)
    }

    func testJSONTimestampAsNumericString() {
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1, "ts": "1700000000.5"}"#)?.timestamp, 1_700_000_000.5)
    }

    func testJSONNullTimestampMeansNone() {
        let point = accept(topic: "t", payload: #"{"value": 1, "ts": null}"#)
        XCTAssertEqual(point.map { $0.timestamp == nil }, true)
    }

    func testJSONNumberForms() {
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": -0.5e2}"#)?.value, -50)
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 0}"#)?.value, 0)
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1E+3}"#)?.value, 1000)
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1.7976931348623157e308}"#)?.value, .greatestFiniteMagnitude)
    }

    func testJSONWithSurroundingWhitespace() {
        XCTAssertEqual(accept(topic: "t", payload: " \t\n{ \"value\" :\r\n 3 }\n ")?.value, 3)
    }

    func testJSONIgnoresOtherMembersIncludingNestedOnes() {
        let payload = #"{"unit": "\u00b0C \"x\"", "tags": {"site": [1, {"a": null}]}, "value": 4.25, "ok": true}"#
        XCTAssertEqual(accept(topic: "t", payload: payload)?.value, 4.25)
    }

    func testJSONRepeatedValueKeepsLast() {
        XCTAssertEqual(accept(topic: "t", payload: #"{"value": 1, "value": 2}"#)?.value, 2)
    }

    func testPlainValue() {
        let point = accept(topic: "t", payload: "1.5")
        XCTAssertEqual(point?.value, 1.5)
        XCTAssertEqual(point.map { $0.timestamp == nil }, true)
    }

    func testPlainEpochAndValue() {
        let point = accept(topic: "t", payload: "1700000000 1.5")
        XCTAssertEqual(point?.timestamp, 1_700_000_000)
        XCTAssertEqual(point?.value, 1.5)
    }

    func testPlainRFC3339AndValue() {
        let point = accept(topic: "t", payload: "2024-01-01T00:00:00Z 1.5")
        XCTAssertEqual(point?.timestamp, 1_704_067_200)
        XCTAssertEqual(point?.value, 1.5)
    }

    func testPlainTabSeparatorAndNewlineAccepted() {
        let point = accept(topic: "t", payload: "1700000000\t-2.5\n")
        XCTAssertEqual(point?.timestamp, 1_700_000_000)
        XCTAssertEqual(point?.value, -2.5)
    }

    func testPlainNegativeAndExponentValues() {
        XCTAssertEqual(accept(topic: "t", payload: "-3")?.value, -3)
        XCTAssertEqual(accept(topic: "t", payload: "2.5e-3")?.value, 0.0025)
    }

    func testSingleFrameTopicAndValue() {
        let point = accept([bytes("price.btc 1.5")])
        XCTAssertEqual(point?.series, "price.btc")
        XCTAssertEqual(point?.value, 1.5)
        XCTAssertEqual(point.map { $0.timestamp == nil }, true)
    }

    func testSingleFrameTopicTimestampAndValue() {
        let point = accept([bytes("price.btc 1700000000 1.5")])
        XCTAssertEqual(point?.series, "price.btc")
        XCTAssertEqual(point?.timestamp, 1_700_000_000)
        XCTAssertEqual(point?.value, 1.5)
    }

    func testSingleFrameWithRFC3339AndRepeatedSpaces() {
        let point = accept([bytes("t  2024-01-01T00:00:00Z\t7")])
        XCTAssertEqual(point?.timestamp, 1_704_067_200)
        XCTAssertEqual(point?.value, 7)
    }

    func testTopicOfExactlyMaximumBytesIsAccepted() {
        let topic = String(repeating: "a", count: PointParser.maximumTopicBytes)
        XCTAssertEqual(accept(topic: topic, payload: "1")?.series, topic)
    }

    func testMultibyteTopicAtMaximumBytesIsAccepted() {
        let topic = String(repeating: "é", count: PointParser.maximumTopicBytes / 2)
        XCTAssertEqual(accept(topic: topic, payload: "1")?.series, topic)
    }

    func testTopicKeepsSpacesQuotesAndNewlines() {
        XCTAssertEqual(accept(topic: "a \"b\"\nc", payload: "1")?.series, "a \"b\"\nc")
    }

    func testUnicodeTopicIsKept() {
        XCTAssertEqual(accept(topic: "données.température", payload: "21.5")?.series, "données.température")
    }
}
