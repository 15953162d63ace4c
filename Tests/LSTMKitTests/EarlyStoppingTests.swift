import LSTMKit
import XCTest

/// Early stopping on the held-out newest windows.
final class EarlyStoppingTests: XCTestCase {
    private let series = ReferenceSeries.generate(count: 300, seed: 3).map { Float($0 / 5) }

    func testPatienceStopsAndRestoresBestWeights() throws {
        let dataset = WindowedDataset(series: series, nStep: 10)
        let model = LSTMModel(architecture: ModelArchitecture(hidden: [8]), seed: 1)
        var history: [Float] = []
        // A large learning rate makes the validation loss bounce, so a better epoch is followed by worse ones.
        let report = try Trainer.train(
            model, on: dataset,
            options: TrainingOptions(epochs: 200, batchSize: 32, learningRate: 0.05, validationFraction: 0.2, patience: 3)
        ) { epoch in
            history.append(epoch.validationLoss!)
            return true
        }
        XCTAssertLessThan(report.epochsRun, 200, "patience 3 never stopped training")
        let best = history.min()!
        XCTAssertEqual(report.validationLoss, best, "the report must carry the best validation loss")

        // The restored weights reproduce the best epoch's validation loss.
        let workspace = ModelWorkspace(architecture: model.architecture, timeSteps: 10, maximumBatch: 32)
        let x = FloatBuffer(count: 10 * 32)
        let y = FloatBuffer(count: 10 * 32)
        let validation = Array(report.trainingWindows..<dataset.windowCount)
        let reloaded = Trainer.meanLoss(model, dataset: dataset, indices: validation, workspace: workspace, x: x, y: y)
        XCTAssertEqual(reloaded, best, accuracy: best * 1e-4)
    }

    func testZeroPatienceTrainsEveryEpoch() throws {
        let dataset = WindowedDataset(series: series, nStep: 10)
        let model = LSTMModel(architecture: ModelArchitecture(hidden: [4]), seed: 1)
        let report = try Trainer.train(
            model, on: dataset, options: TrainingOptions(epochs: 7, batchSize: 32, validationFraction: 0.2, patience: 0))
        XCTAssertEqual(report.epochsRun, 7)
        XCTAssertEqual(report.lossHistory.count, 7)
    }
}
