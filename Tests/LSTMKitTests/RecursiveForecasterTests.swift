import LSTMKit
import XCTest

/// The wavefront forecaster against the plain recursion it replaces: run the
/// model over each window alone from the zero state, append its output, and
/// repeat. Both do the same arithmetic per window, so they agree to float
/// rounding in the order of the products.
final class RecursiveForecasterTests: XCTestCase {
    func testMatchesWindowByWindowRecursionForEveryShape() {
        let shapes: [(kind: ModelKind, hidden: [Int], nStep: Int)] = [
            (.manyToOne, [50], 20), (.manyToMany, [6], 5), (.manyToOne, [3, 8], 5), (.manyToOne, [4], 1),
        ]
        for shape in shapes {
            let architecture = ModelArchitecture(kind: shape.kind, hidden: shape.hidden)
            let model = LSTMModel(architecture: architecture, seed: 7)
            let window = (0..<shape.nStep).map { Float(sin(Double($0) * 0.4 + 1)) }
            for horizon in [1, shape.nStep - 1, shape.nStep, 3 * shape.nStep + 2] where horizon > 0 {
                let label = "\(shape.kind) \(shape.hidden) nStep \(shape.nStep) horizon \(horizon)"
                let expected = plainRecursion(model: model, nStep: shape.nStep, window: window, horizon: horizon)
                let actual = RecursiveForecaster(model: model, nStep: shape.nStep).forecast(
                    window: window, horizon: horizon)
                assertClose(actual, expected, label)
            }
        }
    }

    func testCovariatesReachEachWindowAtTheRightStep() {
        // Two features: the value and a covariate that differs per forecast
        // step, so feeding a step's covariate to the wrong window shows.
        let architecture = ModelArchitecture(inputSize: 2, hidden: [5])
        let model = LSTMModel(architecture: architecture, seed: 3)
        let nStep = 4
        var window: [Float] = []
        for index in 0..<nStep { window += [Float(index) * 0.1, Float(index % 2)] }
        let covariate: (Int) -> Float = { Float($0 * $0 % 7) * 0.3 }
        let horizon = 11

        let expected = plainRecursion(model: model, nStep: nStep, window: window, horizon: horizon) { step in
            [covariate(step)]
        }
        var steps: [Int] = []
        let actual = RecursiveForecaster(model: model, nStep: nStep).forecast(window: window, horizon: horizon) {
            step, rows in
            steps.append(step)
            rows.append(covariate(step))
        }
        assertClose(actual, expected, "two features")
        XCTAssertEqual(steps, Array(0..<horizon), "covariates are asked for once per step, in order")
    }

    func testZeroHorizonIsEmpty() {
        let model = LSTMModel(architecture: ModelArchitecture(hidden: [8]), seed: 11)
        let forecaster = RecursiveForecaster(model: model, nStep: 6)
        XCTAssertEqual(forecaster.forecast(window: [0.1, 0.3, -0.2, 0.5, 0.0, 0.4], horizon: 0), [])
    }

    func testReuseGivesSameForecast() {
        let model = LSTMModel(architecture: ModelArchitecture(hidden: [8]), seed: 11)
        let forecaster = RecursiveForecaster(model: model, nStep: 6)
        let window: [Float] = [0.1, 0.3, -0.2, 0.5, 0.0, 0.4]
        let first = forecaster.forecast(window: window, horizon: 13)
        let second = forecaster.forecast(window: window, horizon: 13)
        XCTAssertEqual(first, second, "state left over from one forecast must not leak into the next")
    }

    /// Runs the model over one window at a time, each from the zero state, which is the definition.
    private func plainRecursion(
        model: LSTMModel, nStep: Int, window: [Float], horizon: Int, covariates: (Int) -> [Float] = { _ in [] }
    ) -> [Float] {
        let D = model.architecture.inputSize
        let workspace = ModelWorkspace(architecture: model.architecture, timeSteps: nStep, maximumBatch: 1)
        var rows = window
        var result: [Float] = []
        for step in 0..<horizon {
            let input = Array(rows.suffix(nStep * D))
            let output = input.withUnsafeBufferPointer { model.forward($0.baseAddress!, batch: 1, workspace: workspace) }
            let next = model.architecture.kind == .manyToOne ? output[0] : output[nStep - 1]
            result.append(next)
            rows.append(next)
            rows += covariates(step)
        }
        return result
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], _ label: String) {
        XCTAssertEqual(actual.count, expected.count, label)
        var worst = (index: 0, difference: Float(0))
        for (index, pair) in zip(actual, expected).enumerated() {
            let difference = abs(pair.0 - pair.1)
            XCTAssertLessThanOrEqual(
                difference, 1e-6 + 1e-5 * abs(pair.1), "\(label): step \(index) gave \(pair.0), expected \(pair.1)")
            if difference > worst.difference { worst = (index, difference) }
        }
        XCTAssertTrue(actual.allSatisfy(\.isFinite), "\(label): non-finite output")
        XCTAssertFalse(Set(actual).count == 1 && actual.count > 2, "\(label): a constant forecast tells nothing")
    }
}
