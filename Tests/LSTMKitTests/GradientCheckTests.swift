import LSTMKit
import XCTest

/// Compares every analytic gradient with a central difference of the loss,
/// in float32 with a step of 1e-2, large enough that rounding stays far below the tolerance.
final class GradientCheckTests: XCTestCase {
    private func checkGradients(kind: ModelKind, hidden: [Int], inputSize: Int = 1) {
        let nStep = 5
        let batch = 3
        let architecture = ModelArchitecture(kind: kind, inputSize: inputSize, hidden: hidden)
        let model = LSTMModel(architecture: architecture, seed: 7)
        // Non-zero biases so every bias gradient is exercised away from the initial point.
        var generator = SeededGenerator(seed: 99)
        for index in 0..<model.parameters.count {
            model.parameters[index] += Float(generator.nextUnit() - 0.5) * 0.2
        }
        let workspace = ModelWorkspace(architecture: architecture, timeSteps: nStep, maximumBatch: batch)
        let x = FloatBuffer((0..<(nStep * batch * inputSize)).map { _ in Float(generator.nextNormal()) })
        let targetCount = model.outputCount(timeSteps: nStep, batch: batch)
        let y = FloatBuffer((0..<targetCount).map { _ in Float(generator.nextNormal()) })

        model.lossAndGradients(x.base, targets: y.base, batch: batch, workspace: workspace)
        let analytic = model.gradients.array

        let step: Float = 1e-2
        var worst: (index: Int, analytic: Float, numeric: Float, error: Float) = (-1, 0, 0, 0)
        for index in 0..<model.parameters.count {
            let original = model.parameters[index]
            model.parameters[index] = original + step
            let plus = model.lossAndGradients(x.base, targets: y.base, batch: batch, workspace: workspace)
            model.parameters[index] = original - step
            let minus = model.lossAndGradients(x.base, targets: y.base, batch: batch, workspace: workspace)
            model.parameters[index] = original
            let numeric = (plus - minus) / (2 * step)
            let error = abs(numeric - analytic[index]) / max(1e-2, abs(numeric) + abs(analytic[index]))
            if error > worst.error { worst = (index, analytic[index], numeric, error) }
        }
        XCTAssertLessThan(
            worst.error, 5e-3,
            "\(kind) \(hidden): parameter \(worst.index) analytic \(worst.analytic) numeric \(worst.numeric)")
    }

    func testManyToOneSingleLayerMatchesCentralDifference() {
        checkGradients(kind: .manyToOne, hidden: [4])
    }

    func testManyToManySingleLayerMatchesCentralDifference() {
        checkGradients(kind: .manyToMany, hidden: [4])
    }

    func testManyToOneStackedMatchesCentralDifference() {
        checkGradients(kind: .manyToOne, hidden: [3, 4])
    }

    func testManyToManyStackedMatchesCentralDifference() {
        checkGradients(kind: .manyToMany, hidden: [4, 3])
    }

    func testTwoInputFeaturesMatchCentralDifference() {
        checkGradients(kind: .manyToOne, hidden: [3], inputSize: 2)
    }
}
