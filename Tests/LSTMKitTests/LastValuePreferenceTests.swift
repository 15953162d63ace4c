import LSTMKit
import XCTest

/// The backtest's choice between the network and repeating the last value.
final class LastValuePreferenceTests: XCTestCase {
    private func fit(_ values: [Double], epochs: Int) throws -> SeriesModel {
        try SeriesModel.fit(
            values: values, specification: ModelSpecification(nStep: 5, hidden: [4], features: []),
            options: TrainingOptions(epochs: epochs, batchSize: 32, validationFraction: 0.2), calibrationHorizon: 5)
    }

    func testRandomWalkPrefersLastValue() throws {
        var generator = SeededGenerator(seed: 11)
        var level = 100.0
        let walk = (0..<400).map { _ -> Double in
            level += generator.nextNormal()
            return level
        }
        let model = try fit(walk, epochs: 3)
        let errors = try XCTUnwrap(model.backtestMeanAbsoluteErrors)
        XCTAssertTrue(model.prefersLastValue, "model MAE \(errors.model), last value \(errors.lastValue)")
    }

    func testSmoothCyclePrefersNetwork() throws {
        let cycle = (0..<400).map { sin(Double($0) / 4) * 10 }
        let model = try fit(cycle, epochs: 40)
        let errors = try XCTUnwrap(model.backtestMeanAbsoluteErrors)
        XCTAssertFalse(model.prefersLastValue, "model MAE \(errors.model), last value \(errors.lastValue)")
    }

    func testNoValidationSplitMeansNoPreference() throws {
        let model = try SeriesModel.fit(
            values: (0..<100).map(Double.init), specification: ModelSpecification(nStep: 5, hidden: [2], features: []),
            options: TrainingOptions(epochs: 1, validationFraction: 0), calibrationHorizon: 5)
        XCTAssertNil(model.backtestMeanAbsoluteErrors)
        XCTAssertFalse(model.prefersLastValue)
    }
}
