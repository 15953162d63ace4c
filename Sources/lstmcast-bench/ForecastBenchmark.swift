import LSTMKit

/// Latency of one 100-step recursive forecast from the reference model.
enum ForecastBenchmark {
    /// Untimed calls first, so page faults and cold caches stay out of the samples.
    static let warmUpCalls = 20

    static func run(runs: Int, calls: Int) throws {
        BLASThreads.set(1)
        let series = ReferenceRecipe.series()
        let dataset = ReferenceRecipe.dataset(series: series)
        let (model, report, _) = try ReferenceRecipe.train(dataset: dataset, threads: 1)

        let forecaster = RecursiveForecaster(model: model, nStep: ReferenceRecipe.nStep)
        let window = Array(series.suffix(ReferenceRecipe.nStep))
        let horizon = ReferenceRecipe.forecastHorizon
        var lastForecast: [Float] = []
        for _ in 0..<warmUpCalls {
            lastForecast = forecaster.forecast(window: window, horizon: horizon)
        }

        for run in 1...runs {
            var milliseconds: [Double] = []
            milliseconds.reserveCapacity(calls)
            for _ in 0..<calls {
                let (forecast, seconds) = Stopwatch.measure {
                    forecaster.forecast(window: window, horizon: horizon)
                }
                lastForecast = forecast
                milliseconds.append(seconds * 1000)
            }

            var line = JSONLine(bench: "forecast")
            line.add("threads", 1)
            line.add("activations", ActivationKernel.active.rawValue)
            line.add("horizon", horizon)
            line.add("calls", calls)
            line.add("median_ms", Percentile.of(milliseconds, 0.5), decimals: 4)
            line.add("p90_ms", Percentile.of(milliseconds, 0.9), decimals: 4)
            // The final forecast value and the training loss show the model
            // is a real fit, not an untrained one that happens to be fast.
            line.add("final_loss", Double(report.trainingLoss), significantDigits: 6)
            line.add("last_value", Double(lastForecast.last ?? .nan), significantDigits: 6)
            line.add("run", run)
            line.emit()
        }
    }
}
