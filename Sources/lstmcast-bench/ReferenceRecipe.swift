import LSTMKit

/// The reference experiment that every benchmark trains. It windows the raw,
/// unscaled values as the Keras recipe that lstmcast reproduces does, and
/// scripts/bench-torch.py repeats it in PyTorch.
enum ReferenceRecipe {
    static let pointCount = 1001
    static let seed: UInt64 = 42
    static let nStep = 20
    static let hidden = [50]
    static let epochs = 100
    static let batchSize = 100
    static let learningRate: Float = 0.01
    static let forecastHorizon = 100

    static func series() -> [Float] {
        ReferenceSeries.generate(count: pointCount, seed: seed).map { Float($0) }
    }

    static func dataset(series: [Float]) -> WindowedDataset {
        WindowedDataset(series: series, nStep: nStep)
    }

    static func makeModel() -> LSTMModel {
        LSTMModel(architecture: ModelArchitecture(kind: .manyToOne, inputSize: 1, hidden: hidden), seed: seed)
    }

    static func options(threads: Int) -> TrainingOptions {
        TrainingOptions(
            epochs: epochs, batchSize: batchSize, learningRate: learningRate, shuffle: true, seed: seed,
            validationFraction: 0, patience: 0, threads: threads)
    }

    /// Trains a fresh model and returns it with the run's report and wall-clock seconds.
    static func train(dataset: WindowedDataset, threads: Int) throws -> (LSTMModel, TrainingReport, Double) {
        let model = makeModel()
        let options = options(threads: threads)
        let (report, seconds) = try Stopwatch.measure {
            try Trainer.train(model, on: dataset, options: options)
        }
        return (model, report, seconds)
    }
}
