import LSTMKit
import XCTest

/// Simple methods the backtest can choose over the network.
final class ForecastMethodTests: XCTestCase {
    /// Returns a random daily shape of 24 values from `seed` and 600 hourly timestamps.
    private func dailyShape(seed: UInt64) -> (day: [Double], timestamps: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let day = (0..<24).map { _ in generator.nextUnit() * 10 }
        return (day, (0..<600).map { Double($0) * 3600 })
    }

    /// Fits a small model with a 12-step backtest, as the daemon would on an hourly series.
    private func fitHourly(_ values: [Double], _ timestamps: [Double], validationFraction: Double) throws -> SeriesModel {
        try SeriesModel.fit(
            values: values, timestamps: timestamps,
            specification: ModelSpecification(nStep: 4, hidden: [3], transform: .zscore, features: []),
            options: TrainingOptions(epochs: 2, batchSize: 64, validationFraction: validationFraction),
            calibrationHorizon: 12)
    }

    func testSeasonalNaiveRepeatsOnePeriodBack() throws {
        let model = try SeriesModel.fit(
            values: (0..<60).map(Double.init), specification: ModelSpecification(nStep: 3, hidden: [2], features: []),
            options: TrainingOptions(epochs: 1))
        let recent = [10.0, 11, 12, 13, 14, 15]
        XCTAssertEqual(model.simpleForecast(.seasonalNaive(period: 3), recent: recent, horizon: 7), [13, 14, 15, 13, 14, 15, 13])
        XCTAssertEqual(model.simpleForecast(.lastValue, recent: recent, horizon: 2), [15, 15])
        XCTAssertNil(model.simpleForecast(.seasonalNaive(period: 7), recent: recent, horizon: 2))
        XCTAssertNil(model.simpleForecast(.network, recent: recent, horizon: 2))
    }

    func testRepeatingDailyShapeChoosesSeasonalNaive() throws {
        // An hourly series that repeats the same irregular day exactly: one day back is a perfect forecast.
        let (day, timestamps) = dailyShape(seed: 5)
        let values = (0..<600).map { index in day[index % 24] }
        let model = try fitHourly(values, timestamps, validationFraction: 0.2)
        XCTAssertEqual(model.chosenMethod.method, .seasonalNaive(period: 24))
        XCTAssertEqual(model.chosenMethod.error, 0, accuracy: 1e-12)
        XCTAssertEqual(model.simpleForecast(.seasonalNaive(period: 24), recent: values, horizon: 3), [day[0], day[1], day[2]])
    }

    func testMethodNamesArePublished() {
        XCTAssertEqual(ForecastMethod.lastValue.name, "last_value")
        XCTAssertEqual(ForecastMethod.seasonalNaive(period: 48).name, "seasonal_naive_48")
        XCTAssertEqual(ForecastMethod.seasonalLevel(period: 336).name, "seasonal_naive_level_336")
    }

    func testSeasonalLevelAddsNewestSeasonalChange() throws {
        let model = try SeriesModel.fit(
            values: (0..<60).map(Double.init), specification: ModelSpecification(nStep: 3, hidden: [2], features: []),
            options: TrainingOptions(epochs: 1))
        // Period 3: the last value 20 is 5 above the one a period earlier (15), so each repeated step moves up by 5.
        let recent = [10.0, 11, 15, 12, 13, 20]
        XCTAssertEqual(model.simpleForecast(.seasonalLevel(period: 3), recent: recent, horizon: 4), [17, 18, 25, 17])
        XCTAssertNil(model.simpleForecast(.seasonalLevel(period: 6), recent: recent, horizon: 1), "needs a point before the period")
    }

    func testLevelShiftChoosesSeasonalLevel() throws {
        // An hourly daily shape whose level steps every three days: repeating yesterday misses each step for a day.
        let (day, timestamps) = dailyShape(seed: 9)
        let values = (0..<600).map { index in day[index % 24] + Double(index / 72) * 7 }
        let model = try fitHourly(values, timestamps, validationFraction: 0.2)
        XCTAssertEqual(model.chosenMethod.method, .seasonalLevel(period: 24))
        let plain = model.calibration(for: .seasonalNaive(period: 24)).joined().map(abs).reduce(0, +)
        let level = model.calibration(for: .seasonalLevel(period: 24)).joined().map(abs).reduce(0, +)
        XCTAssertLessThan(level, plain)
    }

    func testSimpleMethodIntervalsUseWholeWindow() throws {
        let values = (0..<200).map { Double($0 % 10) }
        let model = try SeriesModel.fit(
            values: values, specification: ModelSpecification(nStep: 3, hidden: [2], features: []),
            options: TrainingOptions(epochs: 1, validationFraction: 0.1), calibrationHorizon: 5)
        let errors = model.intervalErrors(for: .lastValue, values: values, horizon: 5)
        XCTAssertEqual(errors.count, 5)
        XCTAssertEqual(errors[0].count, 199, "every origin with a next value, not only the held-out ones")
        XCTAssertEqual(errors[4].count, 195)
        XCTAssertEqual(errors[0].filter { $0 == -9 }.count, 19, "each drop from 9 to 0")
        XCTAssertEqual(model.intervalErrors(for: .network, values: values, horizon: 5), model.calibrationErrors)
        let spread = model.intervalErrors(for: .lastValue, values: values, horizon: 1, maximumOrigins: 50)
        XCTAssertLessThanOrEqual(spread[0].count, 50)
        XCTAssertGreaterThanOrEqual(spread[0].count, 40)
    }

    func testPositiveSeriesErrorsScaleWithLevel() throws {
        let model = try SeriesModel.fit(
            values: (0..<60).map(Double.init), specification: ModelSpecification(nStep: 3, hidden: [2], features: []),
            options: TrainingOptions(epochs: 1))
        // Each step doubles, so every relative error is 1, which the newest value 8 turns into 8.
        XCTAssertEqual(model.intervalErrors(for: .lastValue, values: [1, 2, 4, 8], horizon: 1), [[8, 8, 8]])
        XCTAssertEqual(
            model.intervalErrors(for: .lastValue, values: [1, 2, 4, 8, 16], horizon: 1), [[8, 4, 2, 1]],
            "a range wider than tenfold keeps plain errors, newest origin first")
        XCTAssertEqual(model.intervalErrors(for: .lastValue, values: [0, 2, 4], horizon: 1), [[2, 2]], "a zero keeps plain errors")
    }

    func testWholeWindowChoiceSeesTheWeek() throws {
        // Hourly values with a daily shape and raised weekends. The held-out
        // newest 60 points are weekdays, where repeating yesterday is as good
        // as repeating last week. Across the whole window only the week is exact.
        let (day, timestamps) = dailyShape(seed: 3)
        let values = (0..<600).map { index in day[index % 24] + (((index / 24) % 7) >= 5 ? 20 : 0) }
        let model = try fitHourly(values, timestamps, validationFraction: 0.1)
        XCTAssertEqual(model.heldOutError(of: .seasonalNaive(period: 24)), 0, "the held-out part alone cannot tell")
        XCTAssertEqual(model.simpleMethodFromWindow, .seasonalNaive(period: 168))
        XCTAssertEqual(model.chosenMethod.method, .seasonalNaive(period: 168))
    }

    func testMethodNamesReadBack() {
        for method in [ForecastMethod.network, .lastValue, .seasonalNaive(period: 48), .seasonalLevel(period: 336)] {
            XCTAssertEqual(ForecastMethod(name: method.name), method)
        }
        XCTAssertNil(ForecastMethod(name: "seasonal_naive_x"))
        XCTAssertNil(ForecastMethod(name: "holt_winters"))
    }

    func testCheckpointKeepsTheChosenMethod() throws {
        let (day, timestamps) = dailyShape(seed: 9)
        let values = (0..<600).map { index in day[index % 24] + Double(index / 72) * 7 }
        let model = try fitHourly(values, timestamps, validationFraction: 0.2)
        let checkpoint = Checkpoint(
            series: "s", timestamps: timestamps, values: values, pointsAppended: 600, model: model, modelVersion: 1)
        let restored = try XCTUnwrap(Checkpoint.decode(try checkpoint.encoded()).restoreModel())
        XCTAssertEqual(restored.simpleMethodFromWindow, model.simpleMethodFromWindow)
        XCTAssertEqual(restored.seasonalLevelCalibrationErrors, model.seasonalLevelCalibrationErrors)
        XCTAssertEqual(restored.chosenMethod.method, model.chosenMethod.method)
    }
}
