import LSTMKit
import XCTest

/// Simple methods the backtest can choose over the network.
final class ForecastMethodTests: XCTestCase {
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
        var generator = SeededGenerator(seed: 5)
        let day = (0..<24).map { _ in generator.nextUnit() * 10 }
        let timestamps = (0..<600).map { Double($0) * 3600 }
        let values = (0..<600).map { day[$0 % 24] }
        let model = try SeriesModel.fit(
            values: values, timestamps: timestamps,
            specification: ModelSpecification(nStep: 4, hidden: [3], transform: .zscore, features: []),
            options: TrainingOptions(epochs: 2, batchSize: 64, validationFraction: 0.2), calibrationHorizon: 12)
        XCTAssertEqual(model.chosenMethod.method, .seasonalNaive(period: 24))
        XCTAssertEqual(model.chosenMethod.error, 0, accuracy: 1e-12)
        XCTAssertEqual(model.simpleForecast(.seasonalNaive(period: 24), recent: values, horizon: 3), [day[0], day[1], day[2]])
    }

    func testMethodNamesArePublished() {
        XCTAssertEqual(ForecastMethod.lastValue.name, "last_value")
        XCTAssertEqual(ForecastMethod.seasonalNaive(period: 48).name, "seasonal_naive_48")
    }
}
