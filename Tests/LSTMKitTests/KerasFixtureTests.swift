import Foundation
import LSTMKit
import XCTest

/// Checks LSTMKit against numbers that Keras 3 computed from the same weights.
///
/// `scripts/make-fixtures` writes the JSON files in `Fixtures/`. Each contains
/// the weights, inputs and targets of one model and the results Keras computed
/// from them. A value passes when |LSTMKit − Keras| ≤ 1e-6 + 1e-5·|Keras|.
final class KerasFixtureTests: XCTestCase {
    private static let manyToOne = "many_to_one_h4"
    private static let manyToMany = "many_to_many_h5"
    private static let stacked = "many_to_one_h3_h8"
    private static let defaultInitialisation = "default_init_h6"

    // MARK: many-to-one, LSTM(4)

    func testManyToOneOutputsMatchKeras() throws { try checkOutputs(Self.manyToOne) }
    func testManyToOneLossMatchesKeras() throws { try checkLoss(Self.manyToOne) }
    func testManyToOneGradientsMatchKeras() throws { try checkGradients(Self.manyToOne) }
    func testManyToOneAdamStepsMatchKeras() throws { try checkAdam(Self.manyToOne) }
    func testManyToOneRecursiveForecastMatchesKeras() throws { try checkForecast(Self.manyToOne) }

    // MARK: many-to-many, LSTM(5, return_sequences) + Dense(1) per step

    func testManyToManyOutputsMatchKeras() throws { try checkOutputs(Self.manyToMany) }
    func testManyToManyLossMatchesKeras() throws { try checkLoss(Self.manyToMany) }
    func testManyToManyGradientsMatchKeras() throws { try checkGradients(Self.manyToMany) }
    func testManyToManyAdamStepsMatchKeras() throws { try checkAdam(Self.manyToMany) }
    func testManyToManyRecursiveForecastMatchesKeras() throws { try checkForecast(Self.manyToMany) }

    // MARK: many-to-one, LSTM(3, return_sequences) → LSTM(8)

    func testStackedManyToOneOutputsMatchKeras() throws { try checkOutputs(Self.stacked) }
    func testStackedManyToOneLossMatchesKeras() throws { try checkLoss(Self.stacked) }
    func testStackedManyToOneGradientsMatchKeras() throws { try checkGradients(Self.stacked) }
    func testStackedManyToOneAdamStepsMatchKeras() throws { try checkAdam(Self.stacked) }
    func testStackedManyToOneRecursiveForecastMatchesKeras() throws { try checkForecast(Self.stacked) }

    // MARK: default initialisation, LSTM(6)

    // Keras draws from its own generator, so only the properties that hold
    // for any draw can be compared: the bias pattern, orthonormal recurrent
    // rows and the glorot bounds.
    func testSeededInitialisationMatchesKerasDefaults() throws {
        let fixture = try InitialisationFixture.load(Self.defaultInitialisation)
        let architecture = fixture.architecture
        let layout = architecture.lstmLayouts[0]
        let dense = architecture.denseLayout
        var kernelMagnitudes: [Float] = []
        var denseMagnitudes: [Float] = []
        for seed in UInt64(1)...32 {
            let parameters = LSTMModel(architecture: architecture, seed: seed).parameters.array
            let problems = fixture.problems(in: parameters)
            XCTAssertTrue(problems.isEmpty, "seed \(seed): " + problems.joined(separator: "; "))
            kernelMagnitudes += parameters[layout.kernelOffset..<layout.recurrentOffset].map(abs)
            denseMagnitudes += parameters[dense.kernelOffset..<dense.biasOffset].map(abs)
        }
        // The bound alone would let a too-narrow draw pass, so the spread is
        // checked too: a uniform draw on [-limit, limit] has mean magnitude limit / 2.
        for (name, magnitudes, limit) in [
            ("kernel", kernelMagnitudes, fixture.kernelGlorotLimit),
            ("dense kernel", denseMagnitudes, fixture.denseKernelGlorotLimit),
        ] {
            let meanRatio = magnitudes.reduce(0, +) / Float(magnitudes.count) / Float(limit)
            XCTAssertEqual(
                meanRatio, 0.5, accuracy: 0.1,
                "\(fixture.name): \(name) mean |w| is \(meanRatio) of the glorot limit \(limit), expected about 0.5")
        }
    }

    func testInitialisationCheckRejectsWrongGateOrder() throws {
        let fixture = try InitialisationFixture.load(Self.defaultInitialisation)
        var parameters = LSTMModel(architecture: fixture.architecture, seed: 1).parameters.array
        let layout = fixture.architecture.lstmLayouts[0]
        // Gate order i, c, f, o would put the ones in the third quarter.
        let units = layout.units
        for j in 0..<units {
            parameters[layout.biasOffset + units + j] = 0
            parameters[layout.biasOffset + 2 * units + j] = 1
        }
        let problems = fixture.problems(in: parameters)
        XCTAssertTrue(problems.contains { $0.hasPrefix("bias[") }, "swapped gate order went unnoticed: \(problems)")
    }

    func testInitialisationCheckRejectsMissingForgetBias() throws {
        let fixture = try InitialisationFixture.load(Self.defaultInitialisation)
        var parameters = LSTMModel(architecture: fixture.architecture, seed: 1).parameters.array
        let layout = fixture.architecture.lstmLayouts[0]
        for index in layout.biasOffset..<(layout.biasOffset + layout.gateWidth) { parameters[index] = 0 }
        let problems = fixture.problems(in: parameters)
        XCTAssertTrue(problems.contains { $0.hasPrefix("bias[") }, "an all-zero bias went unnoticed: \(problems)")
    }

    func testInitialisationCheckRejectsNonOrthonormalRows() throws {
        let fixture = try InitialisationFixture.load(Self.defaultInitialisation)
        var parameters = LSTMModel(architecture: fixture.architecture, seed: 1).parameters.array
        let layout = fixture.architecture.lstmLayouts[0]
        // Scaling the first row keeps the rows orthogonal but makes that row longer than one.
        for index in layout.recurrentOffset..<(layout.recurrentOffset + layout.gateWidth) {
            parameters[index] *= 1.01
        }
        let problems = fixture.problems(in: parameters)
        XCTAssertTrue(
            problems.contains { $0.hasPrefix("recurrent kernel") }, "a non-orthonormal recurrent kernel went unnoticed: \(problems)")
    }

    func testInitialisationCheckRejectsKernelPastLimit() throws {
        let fixture = try InitialisationFixture.load(Self.defaultInitialisation)
        var parameters = LSTMModel(architecture: fixture.architecture, seed: 1).parameters.array
        let layout = fixture.architecture.lstmLayouts[0]
        parameters[layout.kernelOffset] = Float(fixture.kernelGlorotLimit) * 1.001
        let problems = fixture.problems(in: parameters)
        XCTAssertTrue(problems.contains { $0.hasPrefix("kernel[0]") }, "a kernel past the limit went unnoticed: \(problems)")
    }

    // MARK: checks shared by the trained cases

    private func checkOutputs(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TrainedFixture.load(name)
        let model = fixture.makeModel()
        let workspace = fixture.makeWorkspace()
        let x = FloatBuffer(fixture.timeMajorInputs)
        let output = model.forward(x.base, batch: fixture.batch, workspace: workspace)
        let count = model.outputCount(timeSteps: fixture.nStep, batch: fixture.batch)
        let outputs = fixture.batchMajor(Array(UnsafeBufferPointer(start: output, count: count)))
        assertClose(outputs, fixture.outputs.floats, "\(name): outputs", file: file, line: line)
    }

    private func checkLoss(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TrainedFixture.load(name)
        let model = fixture.makeModel()
        let loss = fixture.lossAndGradients(of: model, workspace: fixture.makeWorkspace())
        assertClose([loss], [Float(fixture.loss)], "\(name): MSE loss", file: file, line: line)
    }

    private func checkGradients(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TrainedFixture.load(name)
        let model = fixture.makeModel()
        fixture.lossAndGradients(of: model, workspace: fixture.makeWorkspace())
        let gradients = model.gradients.array
        for tensor in fixture.namedTensors(fixture.gradients) {
            assertClose(
                Array(gradients[tensor.range]), tensor.values, "\(name): \(tensor.name) gradient", file: file,
                line: line)
        }
    }

    private func checkAdam(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TrainedFixture.load(name)
        let model = fixture.makeModel()
        let workspace = fixture.makeWorkspace()
        let settings = fixture.adam
        let optimizer = AdamOptimizer(
            parameterCount: model.parameters.count,
            options: AdamOptions(
                learningRate: Float(settings.learningRate), beta1: Float(settings.beta1),
                beta2: Float(settings.beta2), epsilon: Float(settings.epsilon)))
        for _ in 0..<settings.steps {
            fixture.lossAndGradients(of: model, workspace: workspace)
            optimizer.update(model)
        }
        let parameters = model.parameters.array
        for tensor in fixture.namedTensors(fixture.weightsAfterAdam) {
            assertClose(
                Array(parameters[tensor.range]), tensor.values,
                "\(name): \(tensor.name) after \(settings.steps) Adam steps", file: file, line: line)
        }
    }

    private func checkForecast(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TrainedFixture.load(name)
        let forecaster = RecursiveForecaster(model: fixture.makeModel(), nStep: fixture.nStep)
        let forecast = forecaster.forecast(window: fixture.forecast.window.map(Float.init), horizon: fixture.forecast.horizon)
        assertClose(
            forecast, fixture.forecast.values.map(Float.init), "\(name): \(fixture.forecast.horizon)-step recursive forecast",
            file: file, line: line)
    }
}

// MARK: - Comparison

/// Fails when any value lies outside 1e-6 + 1e-5·|expected|, naming the flat
/// index (in Keras's C order) of the worst offender and the largest difference.
private func assertClose(
    _ actual: [Float], _ expected: [Float], _ what: String, file: StaticString, line: UInt
) {
    guard actual.count == expected.count else {
        XCTFail("\(what): LSTMKit has \(actual.count) values, Keras \(expected.count)", file: file, line: line)
        return
    }
    var failures = 0
    var worst: (index: Int, excess: Double) = (-1, 0)
    var largest: (index: Int, difference: Double) = (-1, 0)
    for index in expected.indices {
        let a = Double(actual[index])
        let b = Double(expected[index])
        let difference = abs(a - b)
        let allowed = 1e-6 + 1e-5 * abs(b)
        // NaN compares false with everything, so test for passing rather than failing.
        if !(difference <= allowed) {
            failures += 1
            let excess = difference.isNaN ? .infinity : difference / allowed
            if worst.index < 0 || excess > worst.excess { worst = (index, excess) }
        }
        if largest.index < 0 || !(difference <= largest.difference) { largest = (index, difference) }
    }
    guard failures > 0 else { return }
    XCTFail(
        "\(what): \(failures) of \(expected.count) values differ from Keras; worst at flat index \(worst.index) "
            + "(LSTMKit \(actual[worst.index]), Keras \(expected[worst.index])); largest difference "
            + "\(largest.difference) at flat index \(largest.index); tolerance 1e-6 + 1e-5·|Keras|",
        file: file, line: line)
}

// MARK: - Fixtures

private let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

private struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

private func decodeFixture<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    let url = fixtureDirectory.appendingPathComponent("\(name).json")
    guard let data = FileManager.default.contents(atPath: url.path) else {
        throw FixtureError(description: "\(url.path) not found: run scripts/make-fixtures to write it")
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(T.self, from: data)
}

/// A Keras array: its shape and its values in C order.
private struct Tensor: Decodable {
    let shape: [Int]
    // Read as Double: every number is the exact value of a float32, so the
    // conversion to Float below loses nothing.
    let values: [Double]

    var floats: [Float] { values.map(Float.init) }
}

private struct LSTMWeights: Decodable {
    let kernel: Tensor
    let recurrentKernel: Tensor
    let bias: Tensor
}

private struct DenseWeights: Decodable {
    let kernel: Tensor
    let bias: Tensor
}

/// Every weight of a model, or a gradient of each, as Keras lists them.
private struct WeightSet: Decodable {
    let lstm: [LSTMWeights]
    let dense: DenseWeights
}

private struct AdamSettings: Decodable {
    let learningRate: Double
    let beta1: Double
    let beta2: Double
    let epsilon: Double
    let steps: Int
}

private struct ForecastRecord: Decodable {
    let window: [Double]
    let horizon: Int
    let values: [Double]
}

/// One slice of the flat parameter buffer and Keras's values for it.
private struct NamedTensor {
    let name: String
    let range: Range<Int>
    let values: [Float]
}

private struct TrainedFixture: Decodable {
    let `case`: String
    let kerasVersion: String
    let tensorflowVersion: String
    let kind: ModelKind
    let inputSize: Int
    let hidden: [Int]
    let nStep: Int
    let batch: Int
    let weights: WeightSet
    let x: Tensor
    let y: Tensor
    let outputs: Tensor
    let loss: Double
    let gradients: WeightSet
    let adam: AdamSettings
    let weightsAfterAdam: WeightSet
    let forecast: ForecastRecord

    static func load(_ name: String) throws -> TrainedFixture {
        let fixture = try decodeFixture(TrainedFixture.self, name)
        try fixture.validate(name)
        return fixture
    }

    var architecture: ModelArchitecture {
        ModelArchitecture(kind: kind, inputSize: inputSize, hidden: hidden)
    }

    /// Catches a fixture that no longer fits the model before any number is
    /// compared, so a shape mistake is not reported as a numeric mismatch.
    private func validate(_ name: String) throws {
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw FixtureError(description: "\(name).json: \(message())") }
        }
        try require(self.case == name, "records case \(self.case)")
        try require(!kerasVersion.isEmpty && !tensorflowVersion.isEmpty, "lacks the Keras or TensorFlow version")
        try require(x.shape == [batch, nStep, inputSize], "x has shape \(x.shape)")
        let outputShape = kind == .manyToOne ? [batch, 1] : [batch, nStep, 1]
        try require(y.shape == outputShape, "y has shape \(y.shape), expected \(outputShape)")
        try require(outputs.shape == outputShape, "outputs have shape \(outputs.shape), expected \(outputShape)")
        try require(forecast.window.count == nStep * inputSize, "forecast window has \(forecast.window.count) values")
        try require(forecast.values.count == forecast.horizon, "forecast has \(forecast.values.count) values")
        for (label, set) in [("weights", weights), ("gradients", gradients), ("weights_after_adam", weightsAfterAdam)] {
            try require(set.lstm.count == hidden.count, "\(label) has \(set.lstm.count) LSTM layers")
            for tensor in namedTensors(set) {
                try require(tensor.values.count == tensor.range.count, "\(label) \(tensor.name) has the wrong size")
            }
        }
        for (index, (layer, layout)) in zip(weights.lstm, architecture.lstmLayouts).enumerated() {
            try require(layer.kernel.shape == [layout.inputSize, layout.gateWidth], "layer \(index) kernel shape")
            try require(layer.recurrentKernel.shape == [layout.units, layout.gateWidth], "layer \(index) recurrent shape")
            try require(layer.bias.shape == [layout.gateWidth], "layer \(index) bias shape")
        }
        try require(weights.dense.kernel.shape == [hidden.last!, 1], "dense kernel shape \(weights.dense.kernel.shape)")
        try require(weights.dense.bias.shape == [1], "dense bias shape \(weights.dense.bias.shape)")
    }

    /// Pairs each Keras tensor with the slice of LSTMKit's flat buffer that
    /// the architecture's public layout assigns to it.
    func namedTensors(_ set: WeightSet) -> [NamedTensor] {
        var result: [NamedTensor] = []
        for (index, (layer, layout)) in zip(set.lstm, architecture.lstmLayouts).enumerated() {
            result.append(
                NamedTensor(
                    name: "layer \(index) kernel", range: layout.kernelOffset..<layout.recurrentOffset,
                    values: layer.kernel.floats))
            result.append(
                NamedTensor(
                    name: "layer \(index) recurrent_kernel", range: layout.recurrentOffset..<layout.biasOffset,
                    values: layer.recurrentKernel.floats))
            result.append(
                NamedTensor(
                    name: "layer \(index) bias", range: layout.biasOffset..<(layout.biasOffset + layout.gateWidth),
                    values: layer.bias.floats))
        }
        let dense = architecture.denseLayout
        result.append(
            NamedTensor(name: "dense kernel", range: dense.kernelOffset..<dense.biasOffset, values: set.dense.kernel.floats))
        result.append(
            NamedTensor(
                name: "dense bias", range: dense.biasOffset..<(dense.offset + dense.parameterCount),
                values: set.dense.bias.floats))
        return result
    }

    func makeModel() -> LSTMModel {
        var parameters = [Float](repeating: .nan, count: architecture.parameterCount)
        for tensor in namedTensors(weights) {
            parameters.replaceSubrange(tensor.range, with: tensor.values)
        }
        return LSTMModel(architecture: architecture, parameters: parameters)
    }

    func makeWorkspace() -> ModelWorkspace {
        ModelWorkspace(architecture: architecture, timeSteps: nStep, maximumBatch: batch)
    }

    /// Keras's x is (batch, step, feature); LSTMKit reads (step, batch, feature).
    var timeMajorInputs: [Float] {
        let values = x.floats
        var result = [Float](repeating: 0, count: values.count)
        for b in 0..<batch {
            for t in 0..<nStep {
                for d in 0..<inputSize {
                    result[(t * batch + b) * inputSize + d] = values[(b * nStep + t) * inputSize + d]
                }
            }
        }
        return result
    }

    /// Targets in LSTMKit's output layout: B values, or T×B for many-to-many.
    var timeMajorTargets: [Float] {
        let values = y.floats
        guard kind == .manyToMany else { return values }
        var result = [Float](repeating: 0, count: values.count)
        for b in 0..<batch {
            for t in 0..<nStep { result[t * batch + b] = values[b * nStep + t] }
        }
        return result
    }

    /// LSTMKit's outputs reordered as Keras's, so a flat index means the same in both.
    func batchMajor(_ outputs: [Float]) -> [Float] {
        guard kind == .manyToMany else { return outputs }
        var result = [Float](repeating: 0, count: outputs.count)
        for b in 0..<batch {
            for t in 0..<nStep { result[b * nStep + t] = outputs[t * batch + b] }
        }
        return result
    }

    @discardableResult
    func lossAndGradients(of model: LSTMModel, workspace: ModelWorkspace) -> Float {
        let x = FloatBuffer(timeMajorInputs)
        let targets = FloatBuffer(timeMajorTargets)
        return model.lossAndGradients(x.base, targets: targets.base, batch: batch, workspace: workspace)
    }
}

/// What Keras's default initialisers produced for a fresh LSTM(units) + Dense(1).
private struct InitialisationFixture: Decodable {
    let `case`: String
    let kerasVersion: String
    let tensorflowVersion: String
    let kind: ModelKind
    let inputSize: Int
    let hidden: [Int]
    let bias: [Double]
    let forgetSlice: [Int]
    let denseBias: [Double]
    let recurrentRowsOrthonormal: Bool
    let orthonormalTolerance: Double
    let kernelGlorotLimit: Double
    let denseKernelGlorotLimit: Double

    var name: String { self.case }

    static func load(_ name: String) throws -> InitialisationFixture {
        let fixture = try decodeFixture(InitialisationFixture.self, name)
        guard fixture.hidden.count == 1, fixture.bias.count == 4 * fixture.hidden[0], fixture.forgetSlice.count == 2
        else { throw FixtureError(description: "\(name).json does not describe one LSTM layer") }
        // The check below trusts the recorded bias, so confirm it is the
        // unit_forget_bias pattern that Keras documents.
        let units = fixture.hidden[0]
        let expected = (0..<(4 * units)).map { (units..<(2 * units)).contains($0) ? 1.0 : 0.0 }
        guard fixture.bias == expected, fixture.forgetSlice == [units, 2 * units] else {
            throw FixtureError(description: "\(name).json: Keras's bias \(fixture.bias) is not unit_forget_bias")
        }
        return fixture
    }

    var architecture: ModelArchitecture {
        ModelArchitecture(kind: kind, inputSize: inputSize, hidden: hidden)
    }

    /// Lists every way `parameters` differ from Keras's default initialisation.
    func problems(in parameters: [Float]) -> [String] {
        var problems: [String] = []
        let layout = architecture.lstmLayouts[0]
        let dense = architecture.denseLayout

        for (j, expected) in bias.enumerated() where Double(parameters[layout.biasOffset + j]) != expected {
            problems.append("bias[\(j)] is \(parameters[layout.biasOffset + j]), Keras starts it at \(expected)")
        }
        for (j, expected) in denseBias.enumerated() where Double(parameters[dense.biasOffset + j]) != expected {
            problems.append("dense bias[\(j)] is \(parameters[dense.biasOffset + j]), Keras starts it at \(expected)")
        }

        if recurrentRowsOrthonormal {
            let rows = layout.units
            let columns = layout.gateWidth
            var deviation = 0.0
            for r in 0..<rows {
                for s in 0..<rows {
                    var dot = 0.0
                    for c in 0..<columns {
                        dot += Double(parameters[layout.recurrentOffset + r * columns + c])
                            * Double(parameters[layout.recurrentOffset + s * columns + c])
                    }
                    deviation = max(deviation, abs(dot - (r == s ? 1 : 0)))
                }
            }
            if !(deviation <= orthonormalTolerance) {
                problems.append("recurrent kernel R·Rᵀ is \(deviation) from the identity")
            }
        }

        let blocks = [
            ("kernel", layout.kernelOffset..<layout.recurrentOffset, kernelGlorotLimit),
            ("dense kernel", dense.kernelOffset..<dense.biasOffset, denseKernelGlorotLimit),
        ]
        for (label, range, limit) in blocks {
            for index in range where !(abs(Double(parameters[index])) <= limit) {
                problems.append("\(label)[\(index - range.lowerBound)] is \(parameters[index]), beyond the glorot limit \(limit)")
            }
        }
        return problems
    }
}
