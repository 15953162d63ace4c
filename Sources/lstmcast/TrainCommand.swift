import Configuration
import Forecasting
import Foundation
import LSTMKit

/// `lstmcast train`: the offline experiment through the daemon's own code.
enum TrainCommand {
    static let help = """
        USAGE: lstmcast train (FILE.csv | --sine N) [options]

        Trains one model on the whole series with the daemon's code and settings,
        prints the loss per epoch, then forecasts recursively from the series' end.

        ARGUMENTS:
          FILE.csv              A CSV file with the header 'timestamp,value' and increasing
                                timestamps. Its rows are used as they are: unlike the daemon,
                                train fills no gaps and does not split the series at long ones.
        OPTIONS:
          --sine N              Train on N points of 0.01·t + sin(2π·0.03·t) + U[0,1).
          --seed N              Seed of the sine series' noise. Default: 42. The model's
                                own seed is training.seed from the configuration.
          --config FILE         YAML configuration; its model and training keys apply,
                                including a 'series' entry matching --series.
          --series NAME         Series name for 'series' overrides. Default: the file name
                                without extension, or 'sine'.
          --horizon N           Forecast length. Default: forecast.horizon (50).
          --forecast-out FILE   Write the forecast as CSV 'step,value,lower,upper' (step 1 is the
                                point after the series' end). lower and upper bound the
                                forecast.interval_coverage interval from the backtest, empty
                                where it has too few errors.
          --threads N           Threads sharing each mini-batch. Default: training.threads (1).
          --plot-data DIR       Write loss.csv (epoch,loss,val_loss), history.csv (step,value)
                                and forecast.csv (step,value, steps continuing the history) to
                                DIR, created if missing, for scripts/plot-train.py.
          --quiet               Print only the summary, not every epoch.
          -h, --help            Show this help.
        """

    static func run(_ arguments: [String]) throws {
        let args = try Arguments(
            arguments, valueOptions: ["--sine", "--seed", "--config", "--series", "--horizon", "--forecast-out", "--threads", "--plot-data"],
            booleanFlags: ["--quiet"])
        let settings: Settings
        if let path = args.string("--config") {
            do {
                settings = try ConfigurationLoader.load(path: path)
            } catch let error as ConfigurationError {
                throw CommandFailure(message: "\(error)")
            }
        } else {
            settings = Settings()
        }

        let values: [Double]
        let timestamps: [Double]
        let name: String
        if let countText = args.string("--sine") {
            guard args.positional.isEmpty else {
                throw UsageError(message: "give either a CSV file or --sine N, not both")
            }
            guard let count = Int(countText), count > 0 else {
                throw UsageError(message: "--sine needs a positive point count, got '\(countText)'")
            }
            let seed = try args.integer("--seed", default: 42, range: 0...Int.max)
            values = ReferenceSeries.generate(count: count, seed: UInt64(seed))
            timestamps = (0..<count).map(Double.init)
            name = args.string("--series") ?? "sine"
        } else {
            guard args.positional.count == 1 else { throw UsageError(message: "give one CSV file or --sine N") }
            let path = args.positional[0]
            let series = try CSVSeries.read(path: path)
            try series.checkIncreasing(path: path)
            values = series.values
            timestamps = series.timestamps
            name = args.string("--series") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        }

        let seriesSettings = settings.settings(forSeries: name)
        let horizon = try args.integer("--horizon", default: seriesSettings.forecast.horizon, range: 1...1_000_000)
        let specification = seriesSettings.modelSpecification
        var options = seriesSettings.trainingOptions
        options.threads = try args.integer("--threads", default: options.threads, range: 1...64)
        let quiet = args.has("--quiet")
        print(
            "training series=\(name) points=\(values.count) kind=\(specification.kind.rawValue) n_step=\(specification.nStep) "
                + "hidden=\(specification.hidden.map(String.init).joined(separator: ",")) transform=\(specification.transform.rawValue) "
                + "epochs=\(options.epochs) batch_size=\(options.batchSize) learning_rate=\(options.adam.learningRate) seed=\(options.seed) threads=\(options.threads)")

        BLASThreads.set(1)
        let model: SeriesModel
        var epochs: [EpochReport] = []
        do {
            model = try SeriesModel.fit(
                values: values, timestamps: timestamps, specification: specification, options: options,
                calibrationHorizon: horizon
            ) { epoch in
                epochs.append(epoch)
                if !quiet {
                    let validation = epoch.validationLoss.map { String(format: " val_loss=%.6f", $0) } ?? ""
                    print(String(format: "epoch %d/%d loss=%.6f", epoch.epoch, options.epochs, epoch.trainingLoss) + validation)
                }
                return true
            }
        } catch {
            throw CommandFailure(message: "training failed: \(error)")
        }
        let report = model.report
        let validation = report.validationLoss.map { String(format: " val_loss=%.6f", $0) } ?? ""
        print(
            String(
                format: "trained epochs=%d windows=%d seconds=%.3f loss=%.6f", report.epochsRun, report.trainingWindows,
                report.seconds, report.trainingLoss) + validation)

        let interval = seriesSettings.sampling.interval ?? medianGap(timestamps)
        var forecast = model.forecast(recent: values, timestamps: timestamps, interval: interval, horizon: horizon)
        let choice = model.chosenMethod
        if choice.method != .network, let simple = model.simpleForecast(choice.method, recent: values, horizon: horizon) {
            // The daemon makes the same choice, so the offline experiment matches what it would publish.
            forecast = simple
            print(String(
                format: "forecast is %@: the validation backtest did not find the network at least 5%% more accurate "
                    + "(MAE %.6g against the network's %.6g)", choice.method.name, choice.error, choice.networkError))
        }
        if let folder = args.string("--plot-data") {
            try writePlotData(folder: folder, epochs: epochs, history: values, forecast: forecast)
            print("plot data written folder=\(folder)")
        }
        if let path = args.string("--forecast-out") {
            // The interval comes from the backtest, as the daemon's first forecasts do.
            let coverage = seriesSettings.forecast.intervalCoverage
            let calibration = model.intervalErrors(for: choice.method, values: values, horizon: horizon)
            var csv = "step,value,lower,upper\n"
            for (index, value) in forecast.enumerated() {
                let offsets = index < calibration.count && coverage > 0
                    ? conformalOffsets(errors: calibration[index], coverage: coverage) : nil
                let lower = offsets.map { "\(value + $0.lower)" } ?? ""
                let upper = offsets.map { "\(value + $0.upper)" } ?? ""
                csv += "\(index + 1),\(value),\(lower),\(upper)\n"
            }
            do {
                try csv.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure(message: "cannot write the forecast to \(path): \(error.localizedDescription)")
            }
            print("forecast written horizon=\(horizon) file=\(path)")
        } else {
            let head = forecast.prefix(10).map { String(format: "%.4f", $0) }.joined(separator: " ")
            print("forecast horizon=\(horizon): \(head)\(horizon > 10 ? " …" : "")")
        }
    }

    /// Writes the CSV files that scripts/plot-train.py draws.
    private static func writePlotData(folder: String, epochs: [EpochReport], history: [Double], forecast: [Double]) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var loss = "epoch,loss,val_loss\n"
            for epoch in epochs {
                loss += "\(epoch.epoch),\(epoch.trainingLoss),\(epoch.validationLoss.map { "\($0)" } ?? "")\n"
            }
            try loss.write(toFile: folder + "/loss.csv", atomically: true, encoding: .utf8)
            var historyCSV = "step,value\n"
            for (index, value) in history.enumerated() { historyCSV += "\(index),\(value)\n" }
            try historyCSV.write(toFile: folder + "/history.csv", atomically: true, encoding: .utf8)
            var forecastCSV = "step,value\n"
            for (index, value) in forecast.enumerated() { forecastCSV += "\(history.count + index),\(value)\n" }
            try forecastCSV.write(toFile: folder + "/forecast.csv", atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure(message: "cannot write plot data to \(folder): \(error.localizedDescription)")
        }
    }
}

/// The median spacing of the timestamps, or 1 with fewer than two.
private func medianGap(_ timestamps: [Double]) -> Double {
    let gaps = zip(timestamps.dropFirst(), timestamps).map { $0 - $1 }.sorted()
    return gaps.isEmpty ? 1 : gaps[gaps.count / 2]
}
