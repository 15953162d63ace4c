// One tick of a wavefront over the overlapping windows of a recursive
// forecast (see RecursiveForecaster). Shapes, for one layer:
//   rows R = nStep, and row j contains the window that is at step j this tick
//   input  R×D (or one row shared by every window)   h, c  R×H   gates  R×G
// Row j's state continues row j−1's state of the previous tick, and row 0
// starts from the zero state, so one product per tick serves every window.

/// One layer's state for the windows in flight, double-buffered so a tick
/// reads the previous tick's rows while it writes its own.
final class WavefrontLayerState {
    private(set) var hidden: FloatBuffer
    private(set) var previousHidden: FloatBuffer
    private(set) var cell: FloatBuffer
    private(set) var previousCell: FloatBuffer
    let gates: FloatBuffer
    let tanhCell: FloatBuffer

    init(layout: LSTMLayerLayout, rows: Int) {
        hidden = FloatBuffer(count: rows * layout.units)
        previousHidden = FloatBuffer(count: rows * layout.units)
        cell = FloatBuffer(count: rows * layout.units)
        previousCell = FloatBuffer(count: rows * layout.units)
        gates = FloatBuffer(count: rows * layout.gateWidth)
        tanhCell = FloatBuffer(count: rows * layout.units)
    }

    /// Makes this tick's state the previous one for the next tick.
    func finishTick() {
        swap(&hidden, &previousHidden)
        swap(&cell, &previousCell)
    }
}

extension LSTMLayerLayout {
    /// Advances rows `first...last` of `state` by one time step.
    ///
    /// With `sharedInput` every row reads the single input row at `input`.
    /// That is the first layer, where all windows in flight see the same
    /// point. Otherwise row j reads `input + j·D`.
    func advance(
        parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, sharedInput: Bool,
        first: Int, last: Int, state: WavefrontLayerState
    ) {
        let H = units
        let G = gateWidth
        let D = inputSize
        let count = last - first + 1
        let gates = state.gates.base
        let kernel = parameters + kernelOffset
        let recurrent = parameters + recurrentOffset
        let bias = parameters + biasOffset

        if sharedInput {
            let top = gates + first * G
            gemm(m: 1, n: G, k: D, a: input, lda: D, b: kernel, ldb: G, beta: 0, c: top, ldc: G)
            for row in 1..<count { (top + row * G).update(from: top, count: G) }
        } else {
            gemm(
                m: count, n: G, k: D, a: input + first * D, lda: D, b: kernel, ldb: G,
                beta: 0, c: gates + first * G, ldc: G)
        }

        // Row 0 starts a window from the zero state, so only later rows add a recurrent term.
        let recurrentFirst = max(first, 1)
        if recurrentFirst <= last {
            let rows = last - recurrentFirst + 1
            let previous = UnsafePointer(state.previousHidden.base + (recurrentFirst - 1) * H)
            let target = gates + recurrentFirst * G
            if rows == 1 {
                gemvTransposed(rows: H, columns: G, a: recurrent, lda: G, x: previous, beta: 1, y: target)
            } else {
                gemm(m: rows, n: G, k: H, a: previous, lda: H, b: recurrent, ldb: G, beta: 1, c: target, ldc: G)
            }
        }

        let cell = state.cell.base
        let previousCell = state.previousCell.base
        for row in first...last {
            let z = gates + row * G
            for k in 0..<G { z[k] += bias[k] }
            sigmoidInPlace(z, count: 2 * H)
            tanhInPlace(z + 2 * H, count: H)
            sigmoidInPlace(z + 3 * H, count: H)

            let next = cell + row * H
            if row == 0 {
                for j in 0..<H { next[j] = z[j] * z[2 * H + j] }
            } else {
                let before = previousCell + (row - 1) * H
                for j in 0..<H { next[j] = z[H + j] * before[j] + z[j] * z[2 * H + j] }
            }
        }

        let tanhCell = state.tanhCell.base + first * H
        tanhCell.update(from: cell + first * H, count: count * H)
        tanhInPlace(tanhCell, count: count * H)
        let hidden = state.hidden.base
        for row in first...last {
            let o = gates + row * G + 3 * H
            let tanhRow = state.tanhCell.base + row * H
            let out = hidden + row * H
            for j in 0..<H { out[j] = o[j] * tanhRow[j] }
        }
    }
}
