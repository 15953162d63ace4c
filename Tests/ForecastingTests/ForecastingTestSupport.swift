import Configuration
import Forecasting
import Foundation
import XCTest

/// Settings small enough that a real training takes milliseconds:
/// n_step 3, one hidden layer of 2 units, 2 epochs, a window of 40.
func tinySettings(
    minPoints: Int = 5, retrainEvery: Int = 10, forecastEvery: Int = 1, horizon: Int = 4
) -> Settings {
    var settings = Settings()
    settings.defaults.model.nStep = 3
    settings.defaults.model.hidden = [2]
    settings.defaults.training.epochs = 2
    settings.defaults.training.window = 40
    settings.defaults.retrain.minPoints = minPoints
    settings.defaults.retrain.everyPoints = retrainEvery
    settings.defaults.forecast.everyPoints = forecastEvery
    settings.defaults.forecast.horizon = horizon
    // Engine tests run on fixed clocks far from their timestamps, so the future check stays out of the way.
    settings.defaults.sampling.maxFutureSeconds = 1e12
    return settings
}

/// Epoch seconds of the first point in the engine tests.
let startTime = 1_700_000_000.0

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Builds a point the way the daemon does, through the parser, from a
/// `[topic, "ts value"]` message.
func makePoint(_ series: String, at timestamp: Double, _ value: Double) throws -> IncomingPoint {
    try PointParser().parse([bytes(series), bytes("\(timestamp) \(value)")]).get()
}

/// Ingests a point that must be accepted and returns the actions it caused.
func ingestAccepted(
    _ engine: ForecastEngine, _ series: String, at timestamp: Double, _ value: Double,
    file: StaticString = #filePath, line: UInt = #line
) throws -> [EngineAction] {
    let point = try makePoint(series, at: timestamp, value)
    switch engine.ingest(point) {
    case .success(let actions):
        return actions
    case .failure(let rejection):
        XCTFail("point at \(timestamp) was rejected: \(rejection)", file: file, line: line)
        return []
    }
}

/// Ingests `count` points spaced `step` seconds apart after `first`, and returns every action they caused.
func ingestSeries(
    _ engine: ForecastEngine, _ series: String, count: Int, from first: Double = startTime, step: Double = 60,
    file: StaticString = #filePath, line: UInt = #line
) throws -> [EngineAction] {
    var actions: [EngineAction] = []
    for index in 0..<count {
        let value = sin(Double(index) / 3) * 10 + 50
        actions += try ingestAccepted(engine, series, at: first + Double(index) * step, value, file: file, line: line)
    }
    return actions
}

func trainingJobs(_ actions: [EngineAction]) -> [TrainingJob] {
    actions.compactMap { action in
        if case .train(let job) = action { return job }
        return nil
    }
}

func forecasts(_ actions: [EngineAction]) -> [Forecast] {
    actions.compactMap { action in
        if case .publish(let forecast) = action { return forecast }
        return nil
    }
}
