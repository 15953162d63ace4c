/// Adam as Keras 3 defines it (`keras.optimizers.Adam`):
///
///     m ← β1·m + (1−β1)·g         v ← β2·v + (1−β2)·g²
///     α ← lr·√(1−β2ᵗ) / (1−β1ᵗ)   w ← w − α·m / (√v + ε)
///
/// ε sits outside the bias correction, unlike PyTorch's `torch.optim.Adam`,
/// so the two frameworks take slightly different steps from the same state.
public struct AdamOptions: Sendable, Equatable, Codable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

public final class AdamOptimizer {
    public let options: AdamOptions
    public private(set) var step = 0
    private let firstMoment: FloatBuffer
    private let secondMoment: FloatBuffer

    public init(parameterCount: Int, options: AdamOptions) {
        self.options = options
        firstMoment = FloatBuffer(count: parameterCount)
        secondMoment = FloatBuffer(count: parameterCount)
    }

    /// Applies one update to `model.parameters` from `model.gradients`.
    public func update(_ model: LSTMModel) {
        precondition(model.parameters.count == firstMoment.count, "optimizer and model sizes differ")
        step += 1
        let beta1 = options.beta1
        let beta2 = options.beta2
        let epsilon = options.epsilon
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        let alpha = options.learningRate * correction2.squareRoot() / correction1

        let w = model.parameters.base
        let g = model.gradients.base
        let m = firstMoment.base
        let v = secondMoment.base
        for index in 0..<model.parameters.count {
            let gradient = g[index]
            m[index] += (gradient - m[index]) * (1 - beta1)
            v[index] += (gradient * gradient - v[index]) * (1 - beta2)
            w[index] -= alpha * m[index] / (v[index].squareRoot() + epsilon)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
