import Forecasting
import XCTest

final class AccuracyTrackerTests: XCTestCase {
    func testObservedPointsScoreEachLead() {
        var tracker = AccuracyTracker()
        tracker.record(origin: 100, interval: 10, originValue: 5, values: [6, 7, 8])
        tracker.observe(timestamp: 110, value: 6.5)
        tracker.observe(timestamp: 120, value: 6)
        let mae = tracker.meanAbsoluteErrors(horizon: 3)
        XCTAssertEqual(mae[0], 0.5)
        XCTAssertEqual(mae[1], 1)
        XCTAssertNil(mae[2])
        let naive = tracker.lastValueMeanAbsoluteErrors(horizon: 3)
        XCTAssertEqual(naive[0], 1.5)
        XCTAssertEqual(naive[1], 1)
        XCTAssertEqual(tracker.errors(lead: 1), [0.5])
        XCTAssertEqual(tracker.errors(lead: 2), [-1])
        XCTAssertEqual(tracker.skill!, 1 - 1.5 / 2.5, accuracy: 1e-12)
    }

    func testPointOffTheGridScoresNothing() {
        var tracker = AccuracyTracker()
        tracker.record(origin: 100, interval: 10, originValue: 5, values: [6, 7])
        tracker.observe(timestamp: 105, value: 1)
        XCTAssertEqual(tracker.scoredForecasts, 0)
        XCTAssertNil(tracker.skill)
    }

    func testDropPendingForgetsOpenForecasts() {
        var tracker = AccuracyTracker()
        tracker.record(origin: 100, interval: 10, originValue: 5, values: [6, 7])
        tracker.dropPending()
        tracker.observe(timestamp: 110, value: 6)
        XCTAssertEqual(tracker.scoredForecasts, 0)
    }

    func testErrorsPerLeadAreBounded() {
        var tracker = AccuracyTracker()
        for step in 0..<(AccuracyTracker.errorsKept + 50) {
            let origin = Double(step)
            tracker.record(origin: origin, interval: 1, originValue: 0, values: [0])
            tracker.observe(timestamp: origin + 1, value: Double(step))
        }
        XCTAssertEqual(tracker.errors(lead: 1).count, AccuracyTracker.errorsKept)
        XCTAssertEqual(tracker.errors(lead: 1).last, Double(AccuracyTracker.errorsKept + 49))
    }

    func testConformalOffsetsUseOrderStatistics() {
        let errors = (1...99).map(Double.init)
        let offsets = conformalOffsets(errors: errors, coverage: 0.9)
        // n = 99: ranks ⌊0.05·100⌋ = 5 and ⌈0.95·100⌉ = 95.
        XCTAssertEqual(offsets?.lower, 5)
        XCTAssertEqual(offsets?.upper, 95)
    }

    func testConformalOffsetsNeedEnoughErrors() {
        XCTAssertNil(conformalOffsets(errors: Array(repeating: 1, count: 18), coverage: 0.9))
        XCTAssertNotNil(conformalOffsets(errors: Array(repeating: 1, count: 19), coverage: 0.9))
        XCTAssertNil(conformalOffsets(errors: [], coverage: 0.9))
    }
}

final class AccuracyTrackerLateRecordTests: XCTestCase {
    func testLaterPointsScoreOnlyTheNewForecast() {
        var tracker = AccuracyTracker()
        tracker.record(origin: 100, interval: 10, originValue: 5, values: [6, 7])
        tracker.observe(timestamp: 110, value: 6)
        tracker.record(origin: 110, interval: 10, originValue: 6, values: [9, 9], laterPoints: [(120, 8)])
        XCTAssertEqual(tracker.errors(lead: 1), [0, -1], "the older forecast is not scored twice")
        XCTAssertEqual(tracker.errors(lead: 2), [])
        tracker.observe(timestamp: 120, value: 8)
        XCTAssertEqual(tracker.errors(lead: 2), [1], "a later observe scores the older forecast only once")
    }

    func testFinishedLateForecastIsNotKept() {
        var tracker = AccuracyTracker()
        tracker.record(origin: 0, interval: 1, originValue: 0, values: [1, 2], laterPoints: [(1, 1), (2, 2)])
        tracker.observe(timestamp: 3, value: 3)
        XCTAssertEqual(tracker.errors(lead: 1), [0])
        XCTAssertEqual(tracker.errors(lead: 2), [0])
    }

    func testSortedErrorsFollowEviction() {
        var tracker = AccuracyTracker()
        let total = AccuracyTracker.errorsKept + 20
        for index in 0..<total {
            let origin = Double(index * 10)
            tracker.record(origin: origin, interval: 1, originValue: 0, values: [0])
            tracker.observe(timestamp: origin + 1, value: Double((index * 37) % 101))
        }
        let retained = tracker.errors(lead: 1)
        XCTAssertEqual(retained.count, AccuracyTracker.errorsKept)
        XCTAssertEqual(tracker.sortedErrors(lead: 1), retained.sorted())
    }
}
