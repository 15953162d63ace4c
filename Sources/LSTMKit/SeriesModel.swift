import Foundation

/// The parts of a series model: the network's shape, its window and the
/// transform between raw values and the network's inputs.
public struct ModelSpecification: Sendable, Equatable, Codable {
    public var kind: ModelKind
    public var nStep: Int
    public var hidden: [Int]
    public var transform: TransformKind
    /// Calendar covariates beside the value; they need every point's timestamp.
    public var features: [CalendarFeature]

    public init(
        kind: ModelKind = .manyToOne, nStep: Int = 20, hidden: [Int] = [50], transform: TransformKind = .detrend,
        features: [CalendarFeature] = []
    ) {
        self.kind = kind
        self.nStep = nStep
        self.hidden = hidden
        self.transform = transform
        self.features = features
    }

    /// Input features per step: the value and two per calendar feature.
    public var inputSize: Int { 1 + 2 * features.count }

    private enum CodingKeys: String, CodingKey { case kind, nStep, hidden, transform, features }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(ModelKind.self, forKey: .kind)
        nStep = try container.decode(Int.self, forKey: .nStep)
        hidden = try container.decode([Int].self, forKey: .hidden)
        transform = try container.decode(TransformKind.self, forKey: .transform)
        // Checkpoints written before calendar features existed have none.
        features = try container.decodeIfPresent([CalendarFeature].self, forKey: .features) ?? []
    }

    /// The minimum number of raw values that yield one training window.
    public var minimumPoints: Int { nStep + 1 + (transform == .difference ? 1 : 0) }
}

/// A trained network with its scaler: raw values in, raw forecasts out.
///
/// The daemon and `lstmcast train` both go through this type, so the offline
/// experiment and the live service compute the same numbers.
public final class SeriesModel: @unchecked Sendable {
    public let specification: ModelSpecification
    public let scaler: SeriesScaler
    public let network: LSTMModel
    public let report: TrainingReport
    public let trainedAt: Date
    public let pointCount: Int
    /// Signed errors (actual − forecast) per lead time of recursive forecasts
    /// made inside the held-out validation part of the training window.
    /// Empty without a validation split.
    public internal(set) var calibrationErrors: [[Double]] = [] {
        didSet { chosenMethod = chooseMethod() }
    }
    /// The same origins' errors of repeating the origin's value.
    public internal(set) var lastValueCalibrationErrors: [[Double]] = [] {
        didSet { chosenMethod = chooseMethod() }
    }
    /// The same origins' errors of seasonal naive forecasts, by period in points.
    public internal(set) var seasonalCalibrationErrors: [Int: [[Double]]] = [:] {
        didSet { chosenMethod = chooseMethod() }
    }
    /// Errors of seasonal naive moved to the current level at the same origins, by period in points.
    public internal(set) var seasonalLevelCalibrationErrors: [Int: [[Double]]] = [:] {
        didSet { chosenMethod = chooseMethod() }
    }
    /// The simple method that scored best across the whole training window;
    /// the network must beat it on the held-out points to be used.
    public internal(set) var simpleMethodFromWindow: ForecastMethod? {
        didSet { chosenMethod = chooseMethod() }
    }
    /// The method the backtest chose (see `chooseMethod`), stored because every forecast reads it.
    public private(set) var chosenMethod: (method: ForecastMethod, error: Double, networkError: Double) =
        (.network, .nan, .nan)

    /// Mean absolute errors of the backtest, model then last value, once at
    /// least 10 forecasts were backtested; nil before that.
    public var backtestMeanAbsoluteErrors: (model: Double, lastValue: Double)? {
        guard let origins = calibrationErrors.first?.count, origins >= 10 else { return nil }
        let model = calibrationErrors.joined().map(abs)
        let naive = lastValueCalibrationErrors.joined().map(abs)
        guard !model.isEmpty, model.count == naive.count else { return nil }
        return (model.reduce(0, +) / Double(model.count), naive.reduce(0, +) / Double(naive.count))
    }

    /// True when the backtest chose repeating the last value over the network.
    public var prefersLastValue: Bool { chosenMethod.method == .lastValue }
    private let forecaster: RecursiveForecaster

    public init(
        specification: ModelSpecification, scaler: SeriesScaler, network: LSTMModel,
        report: TrainingReport, trainedAt: Date, pointCount: Int
    ) {
        self.specification = specification
        self.scaler = scaler
        self.network = network
        self.report = report
        self.trainedAt = trainedAt
        self.pointCount = pointCount
        forecaster = RecursiveForecaster(model: network, nStep: specification.nStep)
    }

    /// Fits the scaler on `values`, builds Keras-initialised weights from the
    /// seed and trains on every window of the transformed series.
    ///
    /// With a validation split and `calibrationHorizon` > 0 it then backtests
    /// forecasts of that length from origins in the held-out part, which
    /// seeds the prediction intervals before live errors exist.
    public static func fit(
        values: [Double], timestamps: [Double]? = nil, specification: ModelSpecification, options: TrainingOptions,
        calibrationHorizon: Int = 0, initialParameters: [Float]? = nil,
        progress: (EpochReport) -> Bool = { _ in true }
    ) throws -> SeriesModel {
        guard values.count >= specification.minimumPoints else {
            throw TrainingError.notEnoughWindows(points: values.count, nStep: specification.nStep)
        }
        let scaler = SeriesScaler.fit(specification.transform, on: values)
        let series = scaler.transform(values)
        let dataset: WindowedDataset
        if specification.features.isEmpty {
            dataset = WindowedDataset(series: series, nStep: specification.nStep)
        } else {
            guard let timestamps, timestamps.count == values.count else {
                throw TrainingError.missingTimestamps(points: values.count, timestamps: timestamps?.count ?? 0)
            }
            // Model-space point i stands for raw point i + lag.
            var inputs: [Float] = []
            inputs.reserveCapacity(series.count * specification.inputSize)
            for (index, value) in series.enumerated() {
                inputs.append(value)
                specification.features.encode(timestamps[index + scaler.lag], into: &inputs)
            }
            dataset = WindowedDataset(
                inputs: inputs, featureCount: specification.inputSize, targets: series, nStep: specification.nStep)
        }
        let architecture = ModelArchitecture(
            kind: specification.kind, inputSize: specification.inputSize, hidden: specification.hidden)
        // Warm starts continue from given weights; otherwise Keras's initialisers draw them from the seed.
        let network: LSTMModel
        if let initialParameters, initialParameters.count == architecture.parameterCount {
            network = LSTMModel(architecture: architecture, parameters: initialParameters)
        } else {
            network = LSTMModel(architecture: architecture, seed: options.seed)
        }
        let report = try Trainer.train(network, on: dataset, options: options, progress: progress)
        let model = SeriesModel(
            specification: specification, scaler: scaler, network: network, report: report,
            trainedAt: Date(), pointCount: values.count)
        if calibrationHorizon > 0, !report.cancelled, let firstOrigin = model.firstHeldOutOrigin() {
            let periods = seasonalPeriods(timestamps: timestamps, count: values.count)
            let backtest = model.backtest(
                values: values, timestamps: timestamps, seasonalPeriods: periods, firstOrigin: firstOrigin,
                horizon: calibrationHorizon)
            model.calibrationErrors = backtest.model
            model.lastValueCalibrationErrors = backtest.lastValue
            model.seasonalCalibrationErrors = backtest.seasonal
            model.seasonalLevelCalibrationErrors = backtest.seasonalLevel
            model.simpleMethodFromWindow = model.bestSimpleMethod(
                values: values, periods: periods, horizon: calibrationHorizon)
        }
        return model
    }

    /// Returns the first origin whose next value was held out of training, or nil without a validation split.
    public func firstHeldOutOrigin() -> Int? {
        guard report.validationWindows > 0 else { return nil }
        return max(requiredHistory - 1, report.trainingWindows + specification.nStep + scaler.lag - 1)
    }

    /// Returns the root mean squared error of one-step forecasts from every
    /// origin in `firstOrigin ..< values.count - 1`, in the series' own units.
    /// It uses a forecaster of its own, so it may run on another thread while
    /// this model keeps forecasting.
    public func oneStepError(values: [Double], timestamps: [Double]? = nil, firstOrigin: Int) -> Double? {
        let first = max(firstOrigin, requiredHistory - 1)
        guard first <= values.count - 2 else { return nil }
        let ownForecaster = RecursiveForecaster(model: network, nStep: specification.nStep)
        var total = 0.0
        for origin in first...(values.count - 2) {
            let predicted = forecast(
                recent: Array(values[0...origin]), timestamps: timestamps.map { Array($0[0...origin]) }, interval: nil,
                horizon: 1, using: ownForecaster)
            let error = values[origin + 1] - predicted[0]
            total += error * error
        }
        return (total / Double(values.count - 1 - first)).squareRoot()
    }

    /// Returns the signed errors per lead of forecasts from up to
    /// `maximumOrigins` origins between `firstOrigin` and the second-last value.
    func backtest(
        values: [Double], timestamps: [Double]?, seasonalPeriods: [Int] = [], firstOrigin: Int, horizon: Int,
        maximumOrigins: Int = 50
    ) -> (model: [[Double]], lastValue: [[Double]], seasonal: [Int: [[Double]]], seasonalLevel: [Int: [[Double]]]) {
        var errors = [[Double]](repeating: [], count: horizon)
        var naive = [[Double]](repeating: [], count: horizon)
        var seasonal: [Int: [[Double]]] = [:]
        for period in seasonalPeriods { seasonal[period] = [[Double]](repeating: [], count: horizon) }
        var level = seasonal
        let lastOrigin = values.count - 2
        guard firstOrigin <= lastOrigin else { return (errors, naive, seasonal, level) }
        let span = lastOrigin - firstOrigin + 1
        let stride = max(1, span / maximumOrigins)
        for origin in Swift.stride(from: firstOrigin, through: lastOrigin, by: stride) {
            let history = Array(values[0...origin])
            let steps = min(horizon, values.count - 1 - origin)
            let predicted = forecast(
                recent: history, timestamps: timestamps.map { Array($0[0...origin]) }, interval: nil, horizon: steps,
                using: forecaster)
            for lead in 0..<steps {
                let actual = values[origin + 1 + lead]
                errors[lead].append(actual - predicted[lead])
                naive[lead].append(actual - values[origin])
                for period in seasonalPeriods {
                    if let value = simpleValue(.seasonalNaive(period: period), values: values, origin: origin, lead: lead) {
                        seasonal[period]![lead].append(actual - value)
                    }
                    if let value = simpleValue(.seasonalLevel(period: period), values: values, origin: origin, lead: lead) {
                        level[period]![lead].append(actual - value)
                    }
                }
            }
        }
        return (errors, naive, seasonal, level)
    }

    /// The raw values the next forecast needs: the window plus the lag of the transform.
    public var requiredHistory: Int { specification.nStep + scaler.lag }

    /// Forecasts `horizon` values after `recent`, the series' newest values.
    /// The network reads the last `requiredHistory` of them. `detrend` also
    /// refits its line on the last `pointCount`, as many as training saw, so a
    /// model trained a while ago follows the current level and slope instead of
    /// extending an old line. Not thread-safe: each model has one scratch workspace.
    /// With calendar features, `timestamps` holds the times of `recent`, and
    /// `interval` (else their median spacing) dates the forecast points.
    public func forecast(recent: [Double], timestamps: [Double]? = nil, interval: Double? = nil, horizon: Int) -> [Double] {
        forecast(recent: recent, timestamps: timestamps, interval: interval, horizon: horizon, using: forecaster)
    }

    private func forecast(
        recent: [Double], timestamps: [Double]?, interval: Double?, horizon: Int, using forecaster: RecursiveForecaster
    ) -> [Double] {
        precondition(recent.count >= requiredHistory, "forecast needs \(requiredHistory) values, got \(recent.count)")
        let trailing = Array(recent.suffix(pointCount))
        let current = scaler.kind == .detrend ? scaler.refittingLine(to: trailing) : scaler
        let history = Array(trailing.suffix(requiredHistory))
        let scaled = current.transform(history, firstPosition: trailing.count - history.count)
        let features = specification.features
        guard !features.isEmpty else {
            return current.invert(
                forecaster.forecast(window: scaled, horizon: horizon), lastValue: history.last!,
                firstPosition: trailing.count)
        }

        // NOTE: without timestamps a featured model has nothing to encode. The
        // engine always passes them, and a caller that does not gets times
        // counted in steps of one second, which is only right for such data.
        let times = Array((timestamps ?? recent.indices.map(Double.init)).suffix(scaled.count))
        let spacing = interval ?? medianSpacing(times) ?? 1
        var window: [Float] = []
        for (index, value) in scaled.enumerated() {
            window.append(value)
            features.encode(times[index], into: &window)
        }
        let last = times.last ?? 0
        let outputs = forecaster.forecast(window: window, horizon: horizon) { index, rows in
            features.encode(last + Double(index + 1) * spacing, into: &rows)
        }
        return current.invert(outputs, lastValue: history.last!, firstPosition: trailing.count)
    }
}

/// Returns the median gap between consecutive timestamps, or nil with fewer than two.
func medianSpacing(_ times: [Double]) -> Double? {
    guard times.count >= 2 else { return nil }
    let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.sorted()
    return gaps[gaps.count / 2]
}
