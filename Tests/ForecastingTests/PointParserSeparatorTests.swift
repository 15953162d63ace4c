import Forecasting
import XCTest

final class PointParserSeparatorTests: XCTestCase {
    func testDecimalCommaIsRejectedNotSplit() {
        let result = PointParser().parse([Array("s".utf8), Array("1,5".utf8)])
        guard case .failure(let rejection) = result else { return XCTFail("'1,5' was accepted as \(result)") }
        XCTAssertEqual(rejection.reason, .notANumber)
    }

    func testSurroundingWhitespaceIsIgnored() throws {
        let point = try PointParser().parse([Array("s".utf8), Array(" \t12 3.5\r\n".utf8)]).get()
        XCTAssertEqual(point.timestamp, 12)
        XCTAssertEqual(point.value, 3.5)
    }

    func testWhitespaceOnlyPayloadIsRejected() {
        guard case .failure = PointParser().parse([Array("s".utf8), Array(" \n ".utf8)]) else {
            return XCTFail("a blank payload was accepted")
        }
    }
}
