#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// Shapes (row-major, time-major activations):
//   T  time steps, B  batch, D  input features, H  units, G = 4H gate columns
//   kernel     W  D×G      recurrent kernel U  H×G      bias b  G
//   gate order along G: input i, forget f, candidate c (g here), output o,
//   the layout of Keras's LSTM weights (keras.layers.LSTM, Keras 3).
//   x  T×B×D    h, c  (T+1)×B×H with slot 0 the zero initial state
//   gates  T×B×G contains activated i, f, g, o after the forward pass

/// The position of one LSTM layer's weights inside the model's flat parameter buffer.
public struct LSTMLayerLayout: Sendable, Equatable {
    public let inputSize: Int
    public let units: Int
    public let offset: Int

    public var gateWidth: Int { 4 * units }
    public var kernelOffset: Int { offset }
    public var recurrentOffset: Int { offset + inputSize * gateWidth }
    public var biasOffset: Int { recurrentOffset + units * gateWidth }
    public var parameterCount: Int { (inputSize + units + 1) * gateWidth }
}

/// Activations and gradient scratch for one LSTM layer, sized once for the
/// largest batch so the training loop allocates nothing.
final class LSTMLayerWorkspace {
    let gates: FloatBuffer
    let hidden: FloatBuffer
    let cell: FloatBuffer
    let tanhCell: FloatBuffer
    let gateGradient: FloatBuffer
    let outputGradient: FloatBuffer
    let inputGradient: FloatBuffer
    let hiddenCarry: FloatBuffer
    let cellCarry: FloatBuffer

    init(layout: LSTMLayerLayout, timeSteps: Int, batch: Int) {
        let rows = timeSteps * batch
        gates = FloatBuffer(count: rows * layout.gateWidth)
        hidden = FloatBuffer(count: (timeSteps + 1) * batch * layout.units)
        cell = FloatBuffer(count: (timeSteps + 1) * batch * layout.units)
        tanhCell = FloatBuffer(count: rows * layout.units)
        gateGradient = FloatBuffer(count: rows * layout.gateWidth)
        outputGradient = FloatBuffer(count: rows * layout.units)
        inputGradient = FloatBuffer(count: rows * layout.inputSize)
        hiddenCarry = FloatBuffer(count: batch * layout.units)
        cellCarry = FloatBuffer(count: batch * layout.units)
    }

    /// Returns the layer's outputs h_1…h_T, `T×B×H`.
    func outputs(batch: Int, units: Int) -> UnsafeMutablePointer<Float> {
        hidden.base + batch * units
    }
}

extension LSTMLayerLayout {
    /// Runs the layer over `x` (`T×B×D`) and leaves every step's state in `workspace`.
    func forward(
        parameters: UnsafePointer<Float>, x: UnsafePointer<Float>,
        timeSteps: Int, batch: Int, workspace: LSTMLayerWorkspace
    ) {
        let H = units
        let G = gateWidth
        let gates = workspace.gates.base
        let hidden = workspace.hidden.base
        let cell = workspace.cell.base
        let tanhCell = workspace.tanhCell.base
        let bias = parameters + biasOffset

        // The input projection of every step is one product: (T·B)×D times D×G.
        gemm(
            m: timeSteps * batch, n: G, k: inputSize,
            a: x, lda: inputSize, b: parameters + kernelOffset, ldb: G,
            beta: 0, c: gates, ldc: G)
        hidden.update(repeating: 0, count: batch * H)
        cell.update(repeating: 0, count: batch * H)

        for t in 0..<timeSteps {
            let z = gates + t * batch * G
            // The state starts at zero, so the first step's recurrent product adds nothing.
            if t > 0 && batch == 1 {
                // One-row batches (single windows) are several times faster through sgemv.
                gemvTransposed(
                    rows: H, columns: G, a: parameters + recurrentOffset, lda: G, x: hidden + t * H, beta: 1, y: z)
            } else if t > 0 {
                gemm(
                    m: batch, n: G, k: H,
                    a: hidden + t * batch * H, lda: H, b: parameters + recurrentOffset, ldb: G,
                    beta: 1, c: z, ldc: G)
            }

            // Gate activations: i and f are contiguous, then g, then o.
            for row in 0..<batch {
                let zRow = z + row * G
                for k in 0..<G { zRow[k] += bias[k] }
                sigmoidInPlace(zRow, count: 2 * H)
                tanhInPlace(zRow + 2 * H, count: H)
                sigmoidInPlace(zRow + 3 * H, count: H)
            }

            let previousCell = cell + t * batch * H
            let nextCell = cell + (t + 1) * batch * H
            for row in 0..<batch {
                let zRow = z + row * G
                let offset = row * H
                for j in 0..<H {
                    nextCell[offset + j] = zRow[H + j] * previousCell[offset + j] + zRow[j] * zRow[2 * H + j]
                }
            }

            // tanh(c) of the whole step at once, then h = o · tanh(c).
            let tanhStep = tanhCell + t * batch * H
            tanhStep.update(from: nextCell, count: batch * H)
            tanhInPlace(tanhStep, count: batch * H)
            let nextHidden = hidden + (t + 1) * batch * H
            for row in 0..<batch {
                let zRow = z + row * G
                let offset = row * H
                for j in 0..<H { nextHidden[offset + j] = zRow[3 * H + j] * tanhStep[offset + j] }
            }
        }
    }

    /// Back-propagates `workspace.outputGradient` (dL/dh_t, `T×B×H`) through
    /// time, adds the weight gradients into `gradients`, and, when asked,
    /// writes dL/dx into `workspace.inputGradient`.
    func backward(
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, timeSteps: Int, batch: Int,
        workspace: LSTMLayerWorkspace, needsInputGradient: Bool
    ) {
        let H = units
        let G = gateWidth
        let gates = workspace.gates.base
        let cell = workspace.cell.base
        let tanhCell = workspace.tanhCell.base
        let dOutput = workspace.outputGradient.base
        let dGates = workspace.gateGradient.base
        let dHiddenCarry = workspace.hiddenCarry.base
        let dCellCarry = workspace.cellCarry.base
        dHiddenCarry.update(repeating: 0, count: batch * H)
        dCellCarry.update(repeating: 0, count: batch * H)

        for t in stride(from: timeSteps - 1, through: 0, by: -1) {
            let zStep = gates + t * batch * G
            let dzStep = dGates + t * batch * G
            for row in 0..<batch {
                let z = zStep + row * G
                let dz = dzStep + row * G
                let cellIndex = (t * batch + row) * H
                let previousCell = cell + cellIndex
                let tanhRow = tanhCell + cellIndex
                let dOut = dOutput + cellIndex
                let dhCarry = dHiddenCarry + row * H
                let dcCarry = dCellCarry + row * H
                for j in 0..<H {
                    let i = z[j]
                    let f = z[H + j]
                    let g = z[2 * H + j]
                    let o = z[3 * H + j]
                    let tc = tanhRow[j]
                    let dh = dOut[j] + dhCarry[j]
                    let dc = dcCarry[j] + dh * o * (1 - tc * tc)
                    dz[j] = dc * g * i * (1 - i)
                    dz[H + j] = dc * previousCell[j] * f * (1 - f)
                    dz[2 * H + j] = dc * i * (1 - g * g)
                    dz[3 * H + j] = dh * tc * o * (1 - o)
                    dcCarry[j] = dc * f
                }
            }
            if t > 0 {
                // dh_{t-1} = dz_t · Uᵀ, a B×G by G×H product.
                gemm(
                    transposeB: true, m: batch, n: H, k: G,
                    a: dzStep, lda: G, b: parameters + recurrentOffset, ldb: G,
                    beta: 0, c: dHiddenCarry, ldc: H)
            }
        }

        // Weight gradients over all steps at once: h_1…h_{T-1} are contiguous,
        // and h_0 is zero, so the first step adds nothing to dU.
        let rows = timeSteps * batch
        if timeSteps > 1 {
            gemm(
                transposeA: true, m: H, n: G, k: rows - batch,
                a: workspace.hidden.base + batch * H, lda: H, b: dGates + batch * G, ldb: G,
                beta: 1, c: gradients + recurrentOffset, ldc: G)
        }
        gemm(
            transposeA: true, m: inputSize, n: G, k: rows,
            a: x, lda: inputSize, b: dGates, ldb: G,
            beta: 1, c: gradients + kernelOffset, ldc: G)
        let dBias = gradients + biasOffset
        for r in 0..<rows {
            let dz = dGates + r * G
            for k in 0..<G { dBias[k] += dz[k] }
        }
        if needsInputGradient {
            gemm(
                transposeB: true, m: rows, n: inputSize, k: G,
                a: dGates, lda: G, b: parameters + kernelOffset, ldb: G,
                beta: 0, c: workspace.inputGradient.base, ldc: inputSize)
        }
    }
}
