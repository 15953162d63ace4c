/// A mistake on the command line; main prints it with the usage and exits 64.
struct UsageError: Error {
    let message: String
}

/// A failure while benchmarking; main prints it and exits 1.
struct BenchFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One subcommand with its validated options.
enum BenchCommand {
    case train(threads: Int, runs: Int)
    case forecast(runs: Int, calls: Int)
    case memory(threads: Int)

    static let usage = """
        USAGE: lstmcast-bench COMMAND [options]

        Times the reference recipe (1,001-point series, n_step 20, LSTM(50) + Dense(1),
        100 epochs, batch 100, Adam lr 0.01) and prints one JSON object per figure.

        COMMANDS:
          train     --threads N (1-64, default 1) --runs R (1-100, default 1)
                    Trains R fresh models with N threads per mini-batch; prints
                    seconds and training windows per second for each run.
          forecast  --runs R (1-100, default 1) --calls C (10-100000, default 1000)
                    Trains one model, then times C 100-step recursive forecasts
                    per run; prints the median and 90th percentile in milliseconds.
          memory    --threads N (1-64, default 1)
                    Trains one model and prints the peak resident set size in MiB.
        """

    private static let allowedOptions: [String: Set<String>] = [
        "train": ["--threads", "--runs"],
        "forecast": ["--runs", "--calls"],
        "memory": ["--threads"],
    ]

    init(parsing arguments: [String]) throws {
        guard let name = arguments.first else { throw UsageError(message: "missing command") }
        guard let allowed = Self.allowedOptions[name] else {
            throw UsageError(message: "unknown command '\(name)'. Valid commands: train, forecast, memory")
        }
        let options = try Self.parseOptions(Array(arguments.dropFirst()), allowed: allowed)

        switch name {
        case "train":
            self = .train(
                threads: try Self.integer(options, "--threads", default: 1, range: 1...64),
                runs: try Self.integer(options, "--runs", default: 1, range: 1...100))
        case "forecast":
            self = .forecast(
                runs: try Self.integer(options, "--runs", default: 1, range: 1...100),
                calls: try Self.integer(options, "--calls", default: 1000, range: 10...100_000))
        default:
            self = .memory(threads: try Self.integer(options, "--threads", default: 1, range: 1...64))
        }
    }

    func run() throws {
        switch self {
        case .train(let threads, let runs):
            try TrainBenchmark.run(threads: threads, runs: runs)
        case .forecast(let runs, let calls):
            try ForecastBenchmark.run(runs: runs, calls: calls)
        case .memory(let threads):
            try MemoryBenchmark.run(threads: threads)
        }
    }

    private static func parseOptions(_ arguments: [String], allowed: Set<String>) throws -> [String: String] {
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard allowed.contains(name) else {
                throw UsageError(message: "unknown option '\(name)'. Valid options: \(allowed.sorted().joined(separator: ", "))")
            }
            guard index + 1 < arguments.count else { throw UsageError(message: "\(name) needs a value") }
            options[name] = arguments[index + 1]
            index += 2
        }
        return options
    }

    private static func integer(
        _ options: [String: String], _ name: String, default fallback: Int, range: ClosedRange<Int>
    ) throws -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(
                message: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }
}
