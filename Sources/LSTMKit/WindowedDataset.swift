/// Sliding windows over a series, as the Keras recipe builds them:
/// `X[i] = inputs[i ..< i+nStep]`, label `targets[i+nStep]` (many-to-one) or
/// `targets[i+1 ... i+nStep]` (many-to-many).
///
/// `inputs` is `N×D` row-major: the value first, then any covariates.
public struct WindowedDataset: Sendable {
    public let nStep: Int
    public let featureCount: Int
    public let inputs: [Float]
    public let targets: [Float]

    public init(inputs: [Float], featureCount: Int, targets: [Float], nStep: Int) {
        precondition(featureCount > 0, "a dataset needs at least one feature")
        precondition(inputs.count == targets.count * featureCount, "inputs and targets differ in length")
        precondition(nStep > 0, "nStep must be positive")
        self.nStep = nStep
        self.featureCount = featureCount
        self.inputs = inputs
        self.targets = targets
    }

    /// A dataset whose only input feature is the target itself.
    public init(series: [Float], nStep: Int) {
        self.init(inputs: series, featureCount: 1, targets: series, nStep: nStep)
    }

    public var pointCount: Int { targets.count }
    public var windowCount: Int { max(0, pointCount - nStep) }

    /// Copies the windows `indices` into `x` (`T×B×D`) and their labels into
    /// `y` (`B`, or `T×B` for many-to-many), both time-major.
    public func gather(
        _ indices: ArraySlice<Int>, kind: ModelKind,
        x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        let batch = indices.count
        let D = featureCount
        inputs.withUnsafeBufferPointer { source in
            targets.withUnsafeBufferPointer { labels in
                for (row, start) in indices.enumerated() {
                    for t in 0..<nStep {
                        let from = (start + t) * D
                        let to = (t * batch + row) * D
                        for d in 0..<D { x[to + d] = source[from + d] }
                        if kind == .manyToMany { y[t * batch + row] = labels[start + t + 1] }
                    }
                    if kind == .manyToOne { y[row] = labels[start + nStep] }
                }
            }
        }
    }
}
