import Configuration

/// lstmcastd's command line.
struct DaemonOptions {
    var configPath: String?
    var logLevel: LogLevel?
    var checkOnly = false

    static let usage = """
        USAGE: lstmcastd [--config FILE] [--log-level LEVEL] [--check]

        Subscribes to time-series points over ZeroMQ, retrains an LSTM per series
        in the background and publishes recursive forecasts.

        OPTIONS:
          --config FILE       YAML configuration to run on (see config/lstmcast.yaml). Without
                              it the daemon uses the built-in defaults: points from
                              tcp://127.0.0.1:5556 (SUB connects), forecasts on
                              tcp://127.0.0.1:5557 (XPUB binds), the control socket
                              ipc:///run/lstmcast/control and checkpoints in /var/lib/lstmcast.
          --log-level LEVEL   Lowest level logged: debug, info, warning or error. Overrides
                              log.level from the file. Default: info.
          --check             Validate the configuration, print the result and exit.
          --version           Print the version and exit.
          -h, --help          Show this help and exit.

        SIGNALS:
          SIGINT, SIGTERM     Stop: cancel training (5 s at most), write every checkpoint
                              (10 s at most), close the sockets (1 s linger) and exit 0.
          SIGHUP              Reload the configuration file; an invalid file is logged and the
                              daemon keeps its current configuration.

        ENVIRONMENT:
          LSTMCAST_ACTIVATIONS
                              baseline runs the portable build of the gate activations;
                              avx2 (the default where the CPU has AVX2) the faster one.
                              Case does not matter. Any other value is logged as a
                              warning and the default is used.

        EXIT STATUS:
          0 on a clean stop; 1 when the configuration is invalid, a socket cannot be
          bound, or another lstmcastd holds the same state_dir or control socket;
          64 on a command-line usage error.
        """

    enum ParseOutcome {
        case run(DaemonOptions)
        case exit(code: Int32, message: String, toStandardError: Bool)
    }

    static func parse(_ arguments: [String]) -> ParseOutcome {
        var options = DaemonOptions()
        var index = 0
        func value(for flag: String) -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "-h", "--help":
                return .exit(code: 0, message: usage, toStandardError: false)
            case "--version":
                return .exit(code: 0, message: "lstmcastd \(lstmcastVersion)", toStandardError: false)
            case "--config":
                guard let path = value(for: argument) else {
                    return .exit(code: 64, message: "error: --config needs a file path\n\n\(usage)", toStandardError: true)
                }
                options.configPath = path
            case "--log-level":
                guard let text = value(for: argument), let level = LogLevel(rawValue: text) else {
                    return .exit(
                        code: 64, message: "error: --log-level takes debug, info, warning or error\n\n\(usage)",
                        toStandardError: true)
                }
                options.logLevel = level
            case "--check":
                options.checkOnly = true
            default:
                return .exit(code: 64, message: "error: unknown argument '\(argument)'\n\n\(usage)", toStandardError: true)
            }
            index += 1
        }
        return .run(options)
    }
}

let lstmcastVersion = "0.1.0"
