/// Recursive multi-step forecasting: predict one step from the last `nStep`
/// inputs, append the prediction, and repeat.
///
/// Each forecaster owns a one-row workspace, so one instance must not be
/// used from two threads at once; the model's weights are only read.
public final class RecursiveForecaster {
    public let model: LSTMModel
    public let nStep: Int
    private let workspace: ModelWorkspace
    private let input: FloatBuffer

    public init(model: LSTMModel, nStep: Int) {
        self.model = model
        self.nStep = nStep
        workspace = ModelWorkspace(architecture: model.architecture, timeSteps: nStep, maximumBatch: 1)
        input = FloatBuffer(count: nStep * model.architecture.inputSize)
    }

    /// Forecasts `horizon` model-space values after `window`, the newest
    /// `nStep` rows of inputs (`nStep×D` row-major). `covariates(step, rows)`
    /// appends the extra features of the step-th forecast point (D−1 values)
    /// to `rows`; with one feature it is never called.
    public func forecast(
        window: [Float], horizon: Int, covariates: (Int, inout [Float]) -> Void = { _, _ in }
    ) -> [Float] {
        let D = model.architecture.inputSize
        precondition(window.count == nStep * D, "forecast window has \(window.count) values, expected \(nStep * D)")
        var rows = window
        rows.reserveCapacity(window.count + horizon * D)
        var result: [Float] = []
        result.reserveCapacity(horizon)
        for step in 0..<horizon {
            rows.withUnsafeBufferPointer { source in
                input.base.update(from: source.baseAddress! + (rows.count - nStep * D), count: nStep * D)
            }
            let output = model.forward(input.base, batch: 1, workspace: workspace)
            let next = model.architecture.kind == .manyToOne ? output[0] : output[nStep - 1]
            result.append(next)
            rows.append(next)
            if D > 1 {
                let before = rows.count
                covariates(step, &rows)
                precondition(
                    rows.count - before == D - 1,
                    "covariates for step \(step) added \(rows.count - before) values, expected \(D - 1)")
            }
        }
        return result
    }
}
