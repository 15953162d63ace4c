import Forecasting
import XCTest

/// The parser reads numbers from the message bytes with a fast path of its
/// own, so these tests check it accepts and returns exactly what `Double(String)` does.
final class PointParserNumberTests: XCTestCase {
    private func parsedValue(_ text: String) -> Double? {
        try? PointParser().parse([Array("s".utf8), Array(text.utf8)]).get().value
    }

    private func assertMatchesDouble(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = Double(text).flatMap { $0.isFinite ? $0 : nil }
        let parsed = parsedValue(text)
        if let expected, let parsed {
            XCTAssertEqual(
                parsed.bitPattern, expected.bitPattern, "'\(text)': parsed \(parsed), Double(String) gives \(expected)",
                file: file, line: line)
        } else {
            XCTAssertEqual(parsed == nil, expected == nil, "'\(text)': parsed \(String(describing: parsed)), "
                + "Double(String) gives \(String(describing: expected))", file: file, line: line)
        }
    }

    func testEdgeFormsMatchDoubleParsing() {
        let forms = [
            "0", "-0", "+0", "00", "007", "1.", ".5", "-.5", "+.5", ".", "-", "+", "1..2", "1.2.3", "--1", "+-1",
            "0.1", "0.3", "-0.0", "123456789012345", "1234567890123456", "12345678901234567890",
            "0.000000000000000000001", "0.0000000000000000000001", "0.00000000000000000000001",
            "9007199254740993", "999999999999999.9", "1e5", "1E-3", "1e400", "inf", "-infinity", "nan", "0x1p3",
            "1_000", "1.5x", "x1.5", "21.4", "1796420330.25", "3.14159265358979",
        ]
        for form in forms { assertMatchesDouble(form) }
    }

    func testRandomDecimalsMatchDoubleParsing() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let integerDigits = Int.random(in: 0...12, using: &generator)
            let fractionDigits = Int.random(in: 0...12, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String((0..<integerDigits).map { _ in "0123456789".randomElement(using: &generator)! })
            if fractionDigits > 0 || Bool.random(using: &generator) {
                text += "." + String((0..<fractionDigits).map { _ in "0123456789".randomElement(using: &generator)! })
            }
            assertMatchesDouble(text)
        }
    }

    func testJSONNumbersMatchDoubleParsing() throws {
        for text in ["0.1", "-12.75", "1796420330.5", "1e-7", "123456789.123456789", "5E+2"] {
            let point = try PointParser().parse([Array("s".utf8), Array("{\"value\":\(text)}".utf8)]).get()
            XCTAssertEqual(point.value.bitPattern, Double(text)!.bitPattern, "JSON value \(text)")
        }
    }

    func testEscapedKeysStillNameTheValue() throws {
        let point = try PointParser().parse([Array("s".utf8), Array(#"{"\u0076alue": 2.5, "t\u0073": 10}"#.utf8)]).get()
        XCTAssertEqual(point.value, 2.5)
        XCTAssertEqual(point.timestamp, 10)
    }

    func testUnicodeEscapeNeedsFourHexDigits() {
        let result = PointParser().parse([Array("s".utf8), Array(#"{"value": 1, "note": "\u+041"}"#.utf8)])
        guard case .failure(let rejection) = result else { return XCTFail("accepted \\u+041") }
        XCTAssertEqual(rejection.reason, .invalidJSON)
    }
}
