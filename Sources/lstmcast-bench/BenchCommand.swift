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
    case zmqRaw(messages: Int, transport: RawThroughputBenchmark.Transport)
    case ingest(format: PayloadFormat, series: Int, points: Int, endpoint: String, waitSeconds: Int, holdSeconds: Int)
    case latency(LatencyBenchmark.Options)

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

        Ingest figures for scripts/bench-ingest. Endpoints must be ipc:// paths or
        tcp:// on 127.0.0.1, [::1] or localhost.

          zmq-raw   --messages N (1000-100000000, default 1000000) --transport ipc|tcp (default ipc)
                    Sends N two-frame text points from an XPUB (no drop) to a SUB in
                    this process, the sender on its own thread; prints messages/s received.
          ingest    --endpoint ENDPOINT --format text|json (default text)
                    --series S (1-100000, default 1000) --points N (1-100000000, default 1000000)
                    --wait-seconds W (1-600, default 30) --hold-seconds H (0-3600, default 0)
                    Binds ENDPOINT as XPUB (no drop), waits up to W s for a subscriber,
                    sends N points round-robin over S series as fast as it can and
                    prints points/s sent, then keeps the socket open for H s (or until
                    killed) so a lagging daemon receives the tail.
          latency   --points-endpoint ENDPOINT --forecasts-endpoint ENDPOINT
                    --rate R (1-1000000, default 10000) --series S (1-100000, default 100)
                    --seconds T (1-600, default 10) --warm-up-seconds U (0-60, default 2)
                    --format text|json (default text) --wait-seconds W (1-600, default 30)
                    Sends R points/s for T s and times each forecast from the send of the
                    point it starts from; prints p50, p99 and max in milliseconds of the
                    points sent after the first U s.
        """

    private static let allowedOptions: [String: Set<String>] = [
        "train": ["--threads", "--runs"],
        "forecast": ["--runs", "--calls"],
        "memory": ["--threads"],
        "zmq-raw": ["--messages", "--transport"],
        "ingest": ["--format", "--series", "--points", "--endpoint", "--wait-seconds", "--hold-seconds"],
        "latency": [
            "--rate", "--series", "--seconds", "--warm-up-seconds", "--points-endpoint", "--forecasts-endpoint",
            "--format", "--wait-seconds",
        ],
    ]

    init(parsing arguments: [String]) throws {
        guard let name = arguments.first else { throw UsageError(message: "missing command") }
        guard let allowed = Self.allowedOptions[name] else {
            throw UsageError(message: "unknown command '\(name)'. Valid commands: \(Self.validCommands)")
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
        case "memory":
            self = .memory(threads: try Self.integer(options, "--threads", default: 1, range: 1...64))
        case "zmq-raw":
            self = .zmqRaw(
                messages: try Self.integer(options, "--messages", default: 1_000_000, range: 1000...100_000_000),
                transport: try Self.choice(options, "--transport", default: .ipc))
        case "ingest":
            self = .ingest(
                format: try Self.choice(options, "--format", default: .text),
                series: try Self.integer(options, "--series", default: 1000, range: 1...100_000),
                points: try Self.integer(options, "--points", default: 1_000_000, range: 1...100_000_000),
                endpoint: try Self.endpoint(options, "--endpoint"),
                waitSeconds: try Self.integer(options, "--wait-seconds", default: 30, range: 1...600),
                holdSeconds: try Self.integer(options, "--hold-seconds", default: 0, range: 0...3600))
        default:
            var latency = LatencyBenchmark.Options()
            latency.format = try Self.choice(options, "--format", default: .text)
            latency.rate = try Self.integer(options, "--rate", default: 10_000, range: 1...1_000_000)
            latency.series = try Self.integer(options, "--series", default: 100, range: 1...100_000)
            latency.seconds = try Self.integer(options, "--seconds", default: 10, range: 1...600)
            latency.warmUpSeconds = Double(try Self.integer(options, "--warm-up-seconds", default: 2, range: 0...60))
            latency.waitSeconds = Double(try Self.integer(options, "--wait-seconds", default: 30, range: 1...600))
            latency.pointsEndpoint = try Self.endpoint(options, "--points-endpoint")
            latency.forecastsEndpoint = try Self.endpoint(options, "--forecasts-endpoint")
            guard latency.warmUpSeconds < Double(latency.seconds) else {
                throw UsageError(message: "--warm-up-seconds must be less than --seconds")
            }
            self = .latency(latency)
        }
    }

    private static var validCommands: String {
        ["train", "forecast", "memory", "zmq-raw", "ingest", "latency"].joined(separator: ", ")
    }

    func run() throws {
        switch self {
        case .train(let threads, let runs):
            try TrainBenchmark.run(threads: threads, runs: runs)
        case .forecast(let runs, let calls):
            try ForecastBenchmark.run(runs: runs, calls: calls)
        case .memory(let threads):
            try MemoryBenchmark.run(threads: threads)
        case .zmqRaw(let messages, let transport):
            try RawThroughputBenchmark.run(messages: messages, transport: transport)
        case .ingest(let format, let series, let points, let endpoint, let waitSeconds, let holdSeconds):
            try IngestBenchmark.run(
                format: format, series: series, points: points, endpoint: endpoint, waitSeconds: Double(waitSeconds),
                holdSeconds: holdSeconds)
        case .latency(let options):
            try LatencyBenchmark.run(options)
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

    /// Returns the option's value from a fixed set, named by the enumeration's raw values.
    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ options: [String: String], _ name: String, default fallback: Choice
    ) throws -> Choice where Choice.RawValue == String {
        guard let text = options[name] else { return fallback }
        guard let value = Choice(rawValue: text) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: " or ")
            throw UsageError(message: "\(name) must be \(names), got '\(text)'")
        }
        return value
    }

    private static func endpoint(_ options: [String: String], _ name: String) throws -> String {
        guard let text = options[name] else { throw UsageError(message: "\(name) is required") }
        try LocalEndpoint.check(text, option: name)
        return text
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
