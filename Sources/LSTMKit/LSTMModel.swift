/// A stacked LSTM + Dense(1) model whose weights live in one flat buffer.
///
/// The buffer's layout follows `ModelArchitecture`: per LSTM layer the
/// kernel, the recurrent kernel and the bias, then the Dense kernel and
/// bias, each row-major in Keras's shapes. The optimizer is one loop over it
/// and a checkpoint is one write of it.
public final class LSTMModel: @unchecked Sendable {
    public let architecture: ModelArchitecture
    public let parameters: FloatBuffer
    public let gradients: FloatBuffer

    public init(architecture: ModelArchitecture, parameters: [Float]) {
        precondition(
            parameters.count == architecture.parameterCount,
            "expected \(architecture.parameterCount) parameters, got \(parameters.count)")
        self.architecture = architecture
        self.parameters = FloatBuffer(parameters)
        self.gradients = FloatBuffer(count: parameters.count)
    }

    public convenience init(architecture: ModelArchitecture, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.init(architecture: architecture, parameters: architecture.initialParameters(generator: &generator))
    }

    public func copy() -> LSTMModel {
        LSTMModel(architecture: architecture, parameters: parameters.array)
    }
}

/// Every activation and gradient buffer a model needs for one batch shape.
public final class ModelWorkspace {
    public let timeSteps: Int
    public let maximumBatch: Int
    let layers: [LSTMLayerWorkspace]
    let output: FloatBuffer
    let outputGradient: FloatBuffer
    let denseInputGradient: FloatBuffer

    public init(architecture: ModelArchitecture, timeSteps: Int, maximumBatch: Int) {
        precondition(timeSteps > 0 && maximumBatch > 0, "a workspace needs at least one step and one row")
        self.timeSteps = timeSteps
        self.maximumBatch = maximumBatch
        layers = architecture.lstmLayouts.map {
            LSTMLayerWorkspace(layout: $0, timeSteps: timeSteps, batch: maximumBatch)
        }
        let rows = timeSteps * maximumBatch
        output = FloatBuffer(count: rows)
        outputGradient = FloatBuffer(count: rows)
        denseInputGradient = FloatBuffer(count: rows * architecture.hidden.last!)
    }
}

extension LSTMModel {
    /// The number of model outputs per batch: one per window in many-to-one
    /// mode, one per window and step (time-major) in many-to-many mode.
    public func outputCount(timeSteps: Int, batch: Int) -> Int {
        architecture.kind == .manyToOne ? batch : timeSteps * batch
    }

    /// Runs the model on `x` (`T×B×D`, time-major) and returns a pointer to
    /// its outputs inside `workspace`, valid until the next call.
    @discardableResult
    public func forward(
        _ x: UnsafePointer<Float>, batch: Int, workspace: ModelWorkspace
    ) -> UnsafeMutablePointer<Float> {
        precondition(batch > 0 && batch <= workspace.maximumBatch, "batch \(batch) exceeds the workspace")
        let T = workspace.timeSteps
        let weights = UnsafePointer(parameters.base)
        var input = x
        let layouts = architecture.lstmLayouts
        for (index, layout) in layouts.enumerated() {
            let layerSpace = workspace.layers[index]
            layout.forward(parameters: weights, x: input, timeSteps: T, batch: batch, workspace: layerSpace)
            input = UnsafePointer(layerSpace.outputs(batch: batch, units: layout.units))
        }

        let dense = architecture.denseLayout
        let top = input
        switch architecture.kind {
        case .manyToOne:
            let lastStep = top + (T - 1) * batch * dense.inputSize
            dense.forward(parameters: weights, input: lastStep, rows: batch, output: workspace.output.base)
        case .manyToMany:
            dense.forward(parameters: weights, input: top, rows: T * batch, output: workspace.output.base)
        }
        return workspace.output.base
    }

    /// Computes the mean squared error against `targets` (laid out like the
    /// outputs), writes its gradient into `into` (the model's own `gradients`
    /// unless given) and returns the loss. Only reads the weights, so threads
    /// with their own workspace and gradient buffer may run it at once.
    @discardableResult
    public func lossAndGradients(
        _ x: UnsafePointer<Float>, targets: UnsafePointer<Float>, batch: Int, workspace: ModelWorkspace,
        into destination: FloatBuffer? = nil
    ) -> Float {
        let gradients = destination ?? self.gradients
        let T = workspace.timeSteps
        let output = forward(x, batch: batch, workspace: workspace)
        let count = outputCount(timeSteps: T, batch: batch)

        // Keras's mean_squared_error averages over every output element.
        var loss: Float = 0
        let dOutput = workspace.outputGradient.base
        let scale = 2 / Float(count)
        for index in 0..<count {
            let difference = output[index] - targets[index]
            loss += difference * difference
            dOutput[index] = scale * difference
        }
        loss /= Float(count)

        gradients.zero()
        let weights = UnsafePointer(parameters.base)
        let dWeights = gradients.base
        let layouts = architecture.lstmLayouts
        let dense = architecture.denseLayout
        let topSpace = workspace.layers[layouts.count - 1]
        let topOutputs = UnsafePointer(topSpace.outputs(batch: batch, units: dense.inputSize))
        let dTop = topSpace.outputGradient.base

        switch architecture.kind {
        case .manyToOne:
            dTop.update(repeating: 0, count: T * batch * dense.inputSize)
            dense.backward(
                parameters: weights, gradients: dWeights,
                input: topOutputs + (T - 1) * batch * dense.inputSize,
                outputGradient: dOutput, rows: batch,
                inputGradient: dTop + (T - 1) * batch * dense.inputSize)
        case .manyToMany:
            dense.backward(
                parameters: weights, gradients: dWeights, input: topOutputs,
                outputGradient: dOutput, rows: T * batch, inputGradient: dTop)
        }

        for index in stride(from: layouts.count - 1, through: 0, by: -1) {
            let layout = layouts[index]
            let layerSpace = workspace.layers[index]
            let layerInput: UnsafePointer<Float> =
                index == 0
                ? x
                : UnsafePointer(workspace.layers[index - 1].outputs(batch: batch, units: layouts[index - 1].units))
            layout.backward(
                parameters: weights, gradients: dWeights, x: layerInput, timeSteps: T, batch: batch,
                workspace: layerSpace, needsInputGradient: index > 0)
            if index > 0 {
                let below = workspace.layers[index - 1].outputGradient.base
                below.update(from: layerSpace.inputGradient.base, count: T * batch * layout.inputSize)
            }
        }
        return loss
    }
}
