/// Keras's default initialisers for LSTM and Dense (Keras 3): kernels
/// `glorot_uniform`, recurrent kernels `orthogonal`, biases zero except the
/// forget gate's, which starts at one (`unit_forget_bias=True`).
extension ModelArchitecture {
    public func initialParameters(generator: inout SeededGenerator) -> [Float] {
        var parameters = [Float](repeating: 0, count: parameterCount)
        for layout in lstmLayouts {
            let G = layout.gateWidth
            fillGlorotUniform(
                &parameters, offset: layout.kernelOffset, fanIn: layout.inputSize, fanOut: G,
                generator: &generator)
            let recurrent = orthogonalRows(rows: layout.units, columns: G, generator: &generator)
            for (index, value) in recurrent.enumerated() {
                parameters[layout.recurrentOffset + index] = value
            }
            for j in 0..<layout.units {
                parameters[layout.biasOffset + layout.units + j] = 1
            }
        }
        let dense = denseLayout
        fillGlorotUniform(
            &parameters, offset: dense.kernelOffset, fanIn: dense.inputSize, fanOut: dense.outputSize,
            generator: &generator)
        return parameters
    }
}

/// Fills a `fanIn×fanOut` block with U(-limit, limit), limit = √(6 / (fanIn + fanOut)).
private func fillGlorotUniform(
    _ parameters: inout [Float], offset: Int, fanIn: Int, fanOut: Int, generator: inout SeededGenerator
) {
    let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
    for index in 0..<(fanIn * fanOut) {
        parameters[offset + index] = Float((generator.nextUnit() * 2 - 1) * limit)
    }
}

/// Returns a `rows×columns` row-major matrix with orthonormal rows (rows ≤ columns)
/// or orthonormal columns (rows > columns), as Keras's `Orthogonal` does: the Q
/// factor of a normal matrix, signs fixed so R has a positive diagonal.
func orthogonalRows(rows: Int, columns: Int, generator: inout SeededGenerator) -> [Float] {
    let tall = max(rows, columns)
    let narrow = min(rows, columns)

    // Modified Gram-Schmidt on the columns of a tall×narrow normal matrix
    // yields Q with R's diagonal positive, the sign convention Keras applies.
    var q = [Double](repeating: 0, count: tall * narrow)
    for index in q.indices { q[index] = generator.nextNormal() }
    for j in 0..<narrow {
        for previous in 0..<j {
            var dot = 0.0
            for r in 0..<tall { dot += q[r * narrow + previous] * q[r * narrow + j] }
            for r in 0..<tall { q[r * narrow + j] -= dot * q[r * narrow + previous] }
        }
        var norm = 0.0
        for r in 0..<tall { norm += q[r * narrow + j] * q[r * narrow + j] }
        norm = norm.squareRoot()
        for r in 0..<tall { q[r * narrow + j] /= norm }
    }

    var result = [Float](repeating: 0, count: rows * columns)
    for r in 0..<rows {
        for c in 0..<columns {
            // A wide matrix is the transpose of the tall Q.
            let value = rows >= columns ? q[r * narrow + c] : q[c * narrow + r]
            result[r * columns + c] = Float(value)
        }
    }
    return result
}
