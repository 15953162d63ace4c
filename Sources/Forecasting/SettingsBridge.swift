import Configuration
import LSTMKit

extension SeriesSettings {
    /// The network and transform these settings describe.
    public var modelSpecification: ModelSpecification {
        ModelSpecification(
            kind: model.kind == .manyToOne ? .manyToOne : .manyToMany,
            nStep: model.nStep, hidden: model.hidden,
            transform: TransformKind(rawValue: training.transform.rawValue)!,
            features: model.features.map { CalendarFeature(rawValue: $0.rawValue)! })
    }

    public var trainingOptions: TrainingOptions {
        TrainingOptions(
            epochs: training.epochs, batchSize: training.batchSize, learningRate: Float(training.learningRate),
            shuffle: training.shuffle, seed: training.seed, validationFraction: training.validationFraction,
            patience: training.patience, threads: training.threads)
    }
}
