import Configuration
import Foundation
import LSTMKit

setvbuf(stdout, nil, _IOLBF, 0)

var options: DaemonOptions
switch DaemonOptions.parse(Array(CommandLine.arguments.dropFirst())) {
case .run(let parsed):
    options = parsed
case .exit(let code, let message, let toStandardError):
    FileHandle(fileDescriptor: toStandardError ? 2 : 1).write(Data((message + "\n").utf8))
    exit(code)
}

let settings: Settings
do {
    settings = try options.configPath.map { try ConfigurationLoader.load(path: $0) } ?? Settings()
} catch let error as ConfigurationError {
    let outcome = options.checkOnly ? "configuration is invalid; fix it and check again" : "not started; fix the configuration and start again"
    FileHandle.standardError.write(Data("\(error)\nlstmcastd: \(outcome)\n".utf8))
    exit(1)
}

if options.checkOnly {
    print("\(options.configPath ?? "built-in defaults"): configuration is valid")
    exit(0)
}

let logger = Logger(level: options.logLevel ?? settings.log.level)
BLASThreads.set(1)

// Signal sources exist before any socket is bound, so a SIGTERM during start-up still stops cleanly.
let stop = SignalMonitor()
do {
    let daemon = try Daemon(settings: settings, configPath: options.configPath, logger: logger, signals: stop)
    daemon.logLevelFromCommandLine = options.logLevel
    try daemon.run()
} catch {
    logger.error(
        "lstmcastd failed; check that the endpoints are free and reachable",
        ["error": "\(error)", "config": options.configPath ?? "built-in defaults"])
    exit(1)
}
exit(0)
