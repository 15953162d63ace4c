// Shapes: input N×H, kernel H×O, bias O, output N×O (keras.layers.Dense).
// In many-to-many mode N = T·B and the same kernel serves every step, which
// is what Keras's TimeDistributed(Dense) computes.

/// The position of the Dense layer's weights inside the model's flat parameter buffer.
public struct DenseLayerLayout: Sendable, Equatable {
    public let inputSize: Int
    public let outputSize: Int
    public let offset: Int

    public var kernelOffset: Int { offset }
    public var biasOffset: Int { offset + inputSize * outputSize }
    public var parameterCount: Int { (inputSize + 1) * outputSize }

    func forward(
        parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        gemm(
            m: rows, n: outputSize, k: inputSize,
            a: input, lda: inputSize, b: parameters + kernelOffset, ldb: outputSize,
            beta: 0, c: output, ldc: outputSize)
        let bias = parameters + biasOffset
        for r in 0..<rows {
            for k in 0..<outputSize { output[r * outputSize + k] += bias[k] }
        }
    }

    /// Adds dL/dkernel and dL/dbias into `gradients` and writes dL/dinput.
    func backward(
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>,
        input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, rows: Int,
        inputGradient: UnsafeMutablePointer<Float>
    ) {
        gemm(
            transposeA: true, m: inputSize, n: outputSize, k: rows,
            a: input, lda: inputSize, b: outputGradient, ldb: outputSize,
            beta: 1, c: gradients + kernelOffset, ldc: outputSize)
        let dBias = gradients + biasOffset
        for r in 0..<rows {
            for k in 0..<outputSize { dBias[k] += outputGradient[r * outputSize + k] }
        }
        gemm(
            transposeB: true, m: rows, n: inputSize, k: outputSize,
            a: outputGradient, lda: outputSize, b: parameters + kernelOffset, ldb: outputSize,
            beta: 0, c: inputGradient, ldc: inputSize)
    }
}
