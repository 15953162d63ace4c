import Foundation
import LSTMKit
import XCTest

/// Calendar covariates: a series driven only by the hour of day is learned
/// from timestamps, and a featured model needs them.
final class CalendarFeatureTests: XCTestCase {
    private let hourly = (0..<400).map { Double($0) * 3600 }

    private func dailyShape(_ timestamp: Double) -> Double {
        sin(2 * Double.pi * timestamp / 86_400) * 5 + 20
    }

    func testTimeOfDayFeatureForecastsDailyCycle() throws {
        let values = hourly.map(dailyShape)
        let specification = ModelSpecification(nStep: 4, hidden: [8], transform: .zscore, features: [.timeOfDay])
        let model = try SeriesModel.fit(
            values: values, timestamps: hourly, specification: specification,
            options: TrainingOptions(epochs: 60, batchSize: 32, learningRate: 0.01))
        let forecast = model.forecast(recent: values, timestamps: hourly, interval: 3600, horizon: 24)
        let expected = (1...24).map { dailyShape(hourly.last! + Double($0) * 3600) }
        let worst = zip(forecast, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 1.0, "largest error over 24 hours of a ±5 cycle")
    }

    func testFeaturedModelWithoutTimestampsFailsToTrain() {
        let specification = ModelSpecification(nStep: 4, hidden: [2], features: [.dayOfWeek])
        XCTAssertThrowsError(
            try SeriesModel.fit(
                values: Array(repeating: 1, count: 50), specification: specification,
                options: TrainingOptions(epochs: 1))
        ) { error in
            XCTAssertEqual(error as? TrainingError, .missingTimestamps(points: 50, timestamps: 0))
        }
    }

    func testFeaturesWidenTheInput() {
        XCTAssertEqual(ModelSpecification(features: []).inputSize, 1)
        XCTAssertEqual(ModelSpecification(features: [.timeOfDay, .dayOfWeek]).inputSize, 5)
    }
}
