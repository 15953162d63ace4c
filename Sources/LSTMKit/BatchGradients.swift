import Foundation

/// Computes one mini-batch's loss and gradient, on one thread or split
/// across several.
///
/// With `threads` > 1 each thread takes a contiguous share of the batch with
/// its own workspace and gradient buffer, and the shares' gradients are
/// combined weighted by their size, which equals the whole batch's mean-loss
/// gradient up to float summation order. One synchronisation per batch keeps
/// the overhead far below that of splitting each time step's small products.
final class BatchGradients {
    private struct Share {
        let workspace: ModelWorkspace
        let x: FloatBuffer
        let y: FloatBuffer
        let gradients: FloatBuffer
    }

    let threads: Int
    let maximumBatch: Int
    private let shares: [Share]
    private let model: LSTMModel
    private let dataset: WindowedDataset

    init(model: LSTMModel, dataset: WindowedDataset, maximumBatch: Int, threads: Int) {
        self.model = model
        self.dataset = dataset
        self.maximumBatch = maximumBatch
        self.threads = max(1, min(threads, maximumBatch))
        let shareBatch = (maximumBatch + self.threads - 1) / self.threads
        let T = dataset.nStep
        shares = (0..<self.threads).map { _ in
            Share(
                workspace: ModelWorkspace(architecture: model.architecture, timeSteps: T, maximumBatch: shareBatch),
                x: FloatBuffer(count: T * shareBatch * dataset.featureCount),
                y: FloatBuffer(count: T * shareBatch),
                gradients: FloatBuffer(count: model.parameters.count))
        }
    }

    /// Leaves the gradient of the mean loss over `indices` in `model.gradients` and returns that loss.
    func compute(_ indices: ArraySlice<Int>) -> Float {
        let kind = model.architecture.kind
        if threads == 1 || indices.count < threads {
            let share = shares[0]
            dataset.gather(indices, kind: kind, x: share.x.base, y: share.y.base)
            return model.lossAndGradients(
                share.x.base, targets: share.y.base, batch: indices.count, workspace: share.workspace,
                into: model.gradients)
        }

        let count = indices.count
        let bounds = (0...threads).map { indices.startIndex + count * $0 / threads }
        var losses = [Float](repeating: 0, count: threads)
        losses.withUnsafeMutableBufferPointer { lossSlots in
            let slots = lossSlots
            DispatchQueue.concurrentPerform(iterations: threads) { part in
                let share = shares[part]
                let slice = indices[bounds[part]..<bounds[part + 1]]
                dataset.gather(slice, kind: kind, x: share.x.base, y: share.y.base)
                slots[part] = model.lossAndGradients(
                    share.x.base, targets: share.y.base, batch: slice.count, workspace: share.workspace,
                    into: share.gradients)
            }
        }

        // Each share's gradient is of its own mean loss; weight by share size.
        let total = model.gradients.base
        let parameterCount = model.parameters.count
        total.update(repeating: 0, count: parameterCount)
        var loss: Float = 0
        for part in 0..<threads {
            let weight = Float(bounds[part + 1] - bounds[part]) / Float(count)
            let source = shares[part].gradients.base
            for index in 0..<parameterCount { total[index] += weight * source[index] }
            loss += weight * losses[part]
        }
        return loss
    }
}
