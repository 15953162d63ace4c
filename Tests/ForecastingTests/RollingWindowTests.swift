import Forecasting
import XCTest

/// The ring buffer behind each series: order, wrap-around, corrections and spacing.
final class RollingWindowTests: XCTestCase {
    /// Returns a window after `count` appends of timestamp `10·i`, value `i`.
    private func filled(capacity: Int, count: Int) -> RollingWindow {
        var window = RollingWindow(capacity: capacity)
        for index in 0..<count {
            window.append(timestamp: Double(index * 10), value: Double(index))
        }
        return window
    }

    /// The values a window of `capacity` must hold after `count` appends, oldest first.
    private func expectedValues(capacity: Int, count: Int) -> [Double] {
        (max(0, count - capacity)..<count).map(Double.init)
    }

    func testNewWindowIsEmpty() {
        let window = RollingWindow(capacity: 3)
        XCTAssertEqual(window.capacity, 3)
        XCTAssertEqual(window.count, 0)
        XCTAssertNil(window.last)
        XCTAssertEqual(window.allValues, [])
        XCTAssertEqual(window.suffixValues(2), [])
        XCTAssertEqual(window.suffixTimestamps(2), [])
    }

    func testAppendBelowCapacityKeepsEveryPointInOrder() {
        let window = filled(capacity: 5, count: 3)
        XCTAssertEqual(window.count, 3)
        XCTAssertEqual(window.allValues, [0, 1, 2])
        XCTAssertEqual(window.suffixTimestamps(5), [0, 10, 20])
    }

    func testAppendToCapacityKeepsEveryPoint() {
        let window = filled(capacity: 4, count: 4)
        XCTAssertEqual(window.count, 4)
        XCTAssertEqual(window.allValues, [0, 1, 2, 3])
    }

    func testAppendPastCapacityDropsOldest() {
        let window = filled(capacity: 4, count: 5)
        XCTAssertEqual(window.count, 4)
        XCTAssertEqual(window.allValues, [1, 2, 3, 4])
        XCTAssertEqual(window.suffixTimestamps(4), [10, 20, 30, 40])
    }

    func testEveryWrapPositionKeepsNewestValuesInOrder() {
        for capacity in 1...5 {
            for count in 0...(3 * capacity + 1) {
                let window = filled(capacity: capacity, count: count)
                XCTAssertEqual(
                    window.allValues, expectedValues(capacity: capacity, count: count),
                    "capacity \(capacity) after \(count) appends")
            }
        }
    }

    func testEveryWrapPositionKeepsTimestampsWithTheirValues() {
        for capacity in 1...5 {
            for count in 1...(3 * capacity + 1) {
                let window = filled(capacity: capacity, count: count)
                let expected = expectedValues(capacity: capacity, count: count).map { $0 * 10 }
                XCTAssertEqual(window.suffixTimestamps(capacity), expected, "capacity \(capacity) after \(count) appends")
            }
        }
    }

    func testEveryWrapPositionReportsNewestAsLast() {
        for capacity in 1...5 {
            for count in 1...(3 * capacity + 1) {
                let last = filled(capacity: capacity, count: count).last
                XCTAssertEqual(last?.value, Double(count - 1), "capacity \(capacity) after \(count) appends")
                XCTAssertEqual(last?.timestamp, Double((count - 1) * 10), "capacity \(capacity) after \(count) appends")
            }
        }
    }

    func testEveryWrapPositionCountStopsAtCapacity() {
        for capacity in 1...5 {
            for count in 0...(3 * capacity + 1) {
                let window = filled(capacity: capacity, count: count)
                XCTAssertEqual(window.count, min(count, capacity), "capacity \(capacity) after \(count) appends")
            }
        }
    }

    func testReplaceLastChangesOnlyNewestValue() {
        for capacity in 1...5 {
            for count in 1...(3 * capacity + 1) {
                var window = filled(capacity: capacity, count: count)
                window.replaceLast(value: -1)
                var expected = expectedValues(capacity: capacity, count: count)
                expected[expected.count - 1] = -1
                XCTAssertEqual(window.allValues, expected, "capacity \(capacity) after \(count) appends")
            }
        }
    }

    func testReplaceLastKeepsTimestampAndCount() {
        var window = filled(capacity: 3, count: 5)
        window.replaceLast(value: 99)
        XCTAssertEqual(window.count, 3)
        XCTAssertEqual(window.last?.timestamp, 40)
        XCTAssertEqual(window.last?.value, 99)
    }

    func testAppendAfterReplaceLastContinuesRing() {
        var window = filled(capacity: 3, count: 4)
        window.replaceLast(value: 30)
        window.append(timestamp: 100, value: 4)
        XCTAssertEqual(window.allValues, [2, 30, 4])
    }

    func testSuffixValuesTakesNewestOldestFirst() {
        let window = filled(capacity: 5, count: 8)
        XCTAssertEqual(window.suffixValues(2), [6, 7])
        XCTAssertEqual(window.suffixValues(5), [3, 4, 5, 6, 7])
    }

    func testSuffixValuesBeyondCountReturnsAll() {
        XCTAssertEqual(filled(capacity: 5, count: 3).suffixValues(10), [0, 1, 2])
    }

    func testSuffixValuesOfZeroIsEmpty() {
        XCTAssertEqual(filled(capacity: 5, count: 3).suffixValues(0), [])
    }

    func testMedianIntervalNeedsTwoPoints() {
        XCTAssertNil(RollingWindow(capacity: 4).medianInterval())
        XCTAssertNil(filled(capacity: 4, count: 1).medianInterval())
    }

    func testMedianIntervalOfTwoPointsIsTheirGap() {
        XCTAssertEqual(filled(capacity: 4, count: 2).medianInterval(), 10)
    }

    func testMedianOfOddGapsIsMiddleGap() {
        var window = RollingWindow(capacity: 10)
        for timestamp in [0.0, 1, 3, 10] { window.append(timestamp: timestamp, value: 0) }
        XCTAssertEqual(window.medianInterval(), 2)
    }

    func testMedianOfEvenGapsAveragesMiddle() {
        var window = RollingWindow(capacity: 10)
        for timestamp in [0.0, 10, 20, 21, 22] { window.append(timestamp: timestamp, value: 0) }
        XCTAssertEqual(window.medianInterval(), 5.5)
    }

    func testMedianIntervalIgnoresOneOutlierGap() {
        var window = RollingWindow(capacity: 10)
        for timestamp in [0.0, 60, 120, 3720, 3780] { window.append(timestamp: timestamp, value: 0) }
        XCTAssertEqual(window.medianInterval(), 60)
    }

    func testMedianIntervalSampleLimitsToNewestGaps() {
        var window = RollingWindow(capacity: 10)
        for timestamp in [0.0, 10, 20, 21, 22] { window.append(timestamp: timestamp, value: 0) }
        XCTAssertEqual(window.medianInterval(sample: 2), 1)
    }

    func testMedianIntervalUsesOnlyPointsStillInWindow() {
        var window = RollingWindow(capacity: 3)
        for timestamp in [0.0, 100, 101, 102] { window.append(timestamp: timestamp, value: 0) }
        XCTAssertEqual(window.medianInterval(), 1)
    }

    func testMedianIntervalOfRepeatedTimestampsIsZero() {
        var window = RollingWindow(capacity: 3)
        window.append(timestamp: 5, value: 0)
        window.append(timestamp: 5, value: 1)
        XCTAssertEqual(window.medianInterval(), 0)
    }
}
