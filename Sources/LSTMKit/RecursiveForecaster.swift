/// Recursive multi-step forecasting: predict one step from the last `nStep`
/// inputs, append the prediction, and repeat.
///
/// Each prediction runs the network over its own window from the zero
/// state, as in training, so a horizon of N costs N·nStep LSTM steps. Those
/// windows overlap in time: window m's step j reads input row m+j, which
/// exists once window m+j−nStep has finished. Starting one window per tick
/// and advancing every window in flight by one step per tick therefore
/// respects that order, and turns nStep one-row products into one product of
/// up to nStep rows. Each window's arithmetic is the same as running it alone.
///
/// Each forecaster owns its workspace, so one instance must not be used from
/// two threads at once. The model's weights are only read.
public final class RecursiveForecaster {
    public let model: LSTMModel
    public let nStep: Int
    private let layers: [WavefrontLayerState]

    public init(model: LSTMModel, nStep: Int) {
        precondition(nStep > 0, "a forecaster needs at least one input step")
        self.model = model
        self.nStep = nStep
        layers = model.architecture.lstmLayouts.map { WavefrontLayerState(layout: $0, rows: nStep) }
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
        guard horizon > 0 else { return [] }
        var rows = window
        rows.reserveCapacity(window.count + horizon * D)
        var result: [Float] = []
        result.reserveCapacity(horizon)

        let weights = UnsafePointer(model.parameters.base)
        let layouts = model.architecture.lstmLayouts
        let dense = model.architecture.denseLayout
        var next: Float = 0
        for tick in 0..<(horizon + nStep - 1) {
            // Row j contains window tick−j. Windows before 0 or past the horizon are not in flight.
            let first = max(0, tick - horizon + 1)
            let last = min(nStep - 1, tick)
            rows.withUnsafeBufferPointer { points in
                var input = points.baseAddress! + tick * D
                for (index, layout) in layouts.enumerated() {
                    let state = layers[index]
                    layout.advance(
                        parameters: weights, input: input, sharedInput: index == 0,
                        first: first, last: last, state: state)
                    input = UnsafePointer(state.hidden.base)
                }
            }
            if last == nStep - 1 {
                // Window tick−nStep+1 took its last step: its output is the next point.
                let top = layers[layers.count - 1].hidden.base + (nStep - 1) * dense.inputSize
                dense.forward(parameters: weights, input: top, rows: 1, output: &next)
                let step = result.count
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
            for state in layers { state.finishTick() }
        }
        return result
    }
}
