import Foundation

/// Settings of one training run; the defaults are the reference experiment's.
public struct TrainingOptions: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var adam: AdamOptions
    public var shuffle: Bool
    public var seed: UInt64
    /// The newest fraction of windows held out to measure validation loss.
    public var validationFraction: Double
    /// Epochs without a better validation loss before training stops and the
    /// best weights return; 0 trains every epoch and keeps the last weights.
    public var patience: Int
    /// Threads that share each mini-batch; the result differs from one
    /// thread's only in float summation order.
    public var threads: Int

    public init(
        epochs: Int = 100, batchSize: Int = 100, learningRate: Float = 0.01, shuffle: Bool = true,
        seed: UInt64 = 42, validationFraction: Double = 0, patience: Int = 0, threads: Int = 1
    ) {
        self.threads = threads
        self.epochs = epochs
        self.batchSize = batchSize
        self.adam = AdamOptions(learningRate: learningRate)
        self.shuffle = shuffle
        self.seed = seed
        self.validationFraction = validationFraction
        self.patience = patience
    }
}

/// One epoch's result, passed to the progress callback.
public struct EpochReport: Sendable {
    public let epoch: Int
    public let trainingLoss: Float
    public let validationLoss: Float?
}

/// The result of a training run.
public struct TrainingReport: Sendable, Codable {
    public let epochsRun: Int
    public let trainingLoss: Float
    public let validationLoss: Float?
    public let trainingWindows: Int
    public let validationWindows: Int
    public let seconds: Double
    public let lossHistory: [Float]
    public let cancelled: Bool
}

public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case notEnoughWindows(points: Int, nStep: Int)
    case nonFiniteLoss(epoch: Int)
    case missingTimestamps(points: Int, timestamps: Int)

    public var description: String {
        switch self {
        case .notEnoughWindows(let points, let nStep):
            return "\(points) points give no training window of length \(nStep); need at least \(nStep + 1)"
        case .missingTimestamps(let points, let timestamps):
            return "calendar features need a timestamp per point; got \(timestamps) for \(points) points"
        case .nonFiniteLoss(let epoch):
            return "training loss became non-finite in epoch \(epoch); lower the learning rate or scale the series"
        }
    }
}

/// Mini-batch training with MSE and Adam, in Keras's order: shuffle the
/// windows each epoch, walk them in batches (the last one may be short), and
/// report the epoch loss as the batch-size-weighted mean of batch losses.
public enum Trainer {
    /// Trains `model` in place. `progress` runs after every epoch; returning
    /// `false` from it stops training early and marks the report cancelled.
    public static func train(
        _ model: LSTMModel, on dataset: WindowedDataset, options: TrainingOptions,
        progress: (EpochReport) -> Bool = { _ in true }
    ) throws -> TrainingReport {
        let started = Date()
        let windows = dataset.windowCount
        let validationCount = min(
            windows - 1, Int((Double(windows) * options.validationFraction).rounded()))
        let trainingCount = windows - max(0, validationCount)
        guard trainingCount >= 1 else {
            throw TrainingError.notEnoughWindows(points: dataset.pointCount, nStep: dataset.nStep)
        }

        let T = dataset.nStep
        let D = dataset.featureCount
        let batchSize = max(1, min(options.batchSize, trainingCount))
        let batches = BatchGradients(model: model, dataset: dataset, maximumBatch: batchSize, threads: options.threads)
        let optimizer = AdamOptimizer(parameterCount: model.parameters.count, options: options.adam)
        var generator = SeededGenerator(seed: options.seed &+ 0x5EED)
        var order = Array(0..<trainingCount)
        let validationIndices = Array(trainingCount..<windows)
        // Validation buffers exist only when there is a validation set, which keeps peak memory down.
        let validation = validationIndices.isEmpty
            ? nil
            : (
                workspace: ModelWorkspace(architecture: model.architecture, timeSteps: T, maximumBatch: batchSize),
                x: FloatBuffer(count: T * batchSize * D), y: FloatBuffer(count: T * batchSize)
            )

        var history: [Float] = []
        var best: (loss: Float, parameters: [Float], epoch: Int)?
        var lastTraining: Float = .nan
        var lastValidation: Float?
        var cancelled = false
        var epochsRun = 0

        for epoch in 1...max(1, options.epochs) {
            if options.shuffle { order.shuffle(using: &generator) }
            var weightedLoss: Float = 0
            var start = 0
            while start < trainingCount {
                let end = min(start + batchSize, trainingCount)
                let loss = batches.compute(order[start..<end])
                optimizer.update(model)
                weightedLoss += loss * Float(end - start)
                start = end
            }
            lastTraining = weightedLoss / Float(trainingCount)
            epochsRun = epoch
            guard lastTraining.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch) }
            history.append(lastTraining)

            if let validation {
                lastValidation = meanLoss(
                    model, dataset: dataset, indices: validationIndices, workspace: validation.workspace,
                    x: validation.x, y: validation.y)
            }
            if options.patience > 0, let validation = lastValidation {
                if best == nil || validation < best!.loss {
                    best = (validation, model.parameters.array, epoch)
                } else if epoch - best!.epoch >= options.patience {
                    break
                }
            }
            if !progress(EpochReport(epoch: epoch, trainingLoss: lastTraining, validationLoss: lastValidation)) {
                cancelled = true
                break
            }
        }

        if let best, options.patience > 0 {
            model.parameters.copy(from: FloatBuffer(best.parameters))
            lastValidation = best.loss
        }
        return TrainingReport(
            epochsRun: epochsRun, trainingLoss: lastTraining, validationLoss: lastValidation,
            trainingWindows: trainingCount, validationWindows: validationIndices.count,
            seconds: Date().timeIntervalSince(started), lossHistory: history, cancelled: cancelled)
    }

    /// Returns the mean squared error of `model` over the windows `indices`.
    public static func meanLoss(
        _ model: LSTMModel, dataset: WindowedDataset, indices: [Int],
        workspace: ModelWorkspace, x: FloatBuffer, y: FloatBuffer
    ) -> Float {
        let T = dataset.nStep
        var total: Float = 0
        var count = 0
        var start = 0
        while start < indices.count {
            let end = min(start + workspace.maximumBatch, indices.count)
            let batch = end - start
            dataset.gather(indices[start..<end], kind: model.architecture.kind, x: x.base, y: y.base)
            let output = model.forward(x.base, batch: batch, workspace: workspace)
            let outputs = model.outputCount(timeSteps: T, batch: batch)
            for index in 0..<outputs {
                let difference = output[index] - y.base[index]
                total += difference * difference
            }
            count += outputs
            start = end
        }
        return count > 0 ? total / Float(count) : .nan
    }
}
