import Foundation
import ZeroMQ

let rootHelp = """
    USAGE: lstmcast COMMAND [options]

    Companion tool of the lstmcastd forecasting daemon.

    COMMANDS:
      feed          Publish a CSV series or the reference sine series to the daemon.
      tap           Subscribe to forecasts and print one line each.
      train         Train one model offline on a CSV file and forecast from its end.
      check-config  Validate a configuration file.
      status        Show a running daemon's series, models and counters.
      reload        Make a running daemon reload its configuration file.
      retrain       Make a running daemon retrain one series or all of them.

    Run 'lstmcast COMMAND --help' for a command's options.
    """

let commands: [String: (help: String, run: ([String]) throws -> Void)] = [
    "feed": (FeedCommand.help, FeedCommand.run),
    "tap": (TapCommand.help, TapCommand.run),
    "train": (TrainCommand.help, TrainCommand.run),
    "check-config": (CheckConfigCommand.help, CheckConfigCommand.run),
    "status": (ControlCommands.statusHelp, ControlCommands.status),
    "reload": (ControlCommands.reloadHelp, ControlCommands.reload),
    "retrain": (ControlCommands.retrainHelp, ControlCommands.retrain),
]

setvbuf(stdout, nil, _IOLBF, 0)
let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, name != "-h", name != "--help" else {
    print(rootHelp)
    exit(arguments.isEmpty ? 64 : 0)
}
if name == "--version" {
    print("lstmcast 0.1.0")
    exit(0)
}
guard let command = commands[name] else {
    FileHandle.standardError.write(Data("lstmcast: unknown command '\(name)'\n\n\(rootHelp)\n".utf8))
    exit(64)
}
let rest = Array(arguments.dropFirst())
if rest.contains("-h") || rest.contains("--help") {
    print(command.help)
    exit(0)
}
do {
    try command.run(rest)
} catch let error as UsageError {
    FileHandle.standardError.write(Data("lstmcast \(name): \(error.message)\n\n\(command.help)\n".utf8))
    exit(64)
} catch let error as ZeroMQError where error.errno == EINVAL || error.errno == EPROTONOSUPPORT {
    FileHandle.standardError.write(Data(
        "lstmcast \(name): \(error)\nthe endpoint is not a valid ZeroMQ endpoint; write transport://address, e.g. tcp://127.0.0.1:5556 or ipc:///tmp/lstmcast/in\n".utf8))
    exit(1)
} catch let error as CommandFailure {
    FileHandle.standardError.write(Data("lstmcast \(name): \(error.message)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("lstmcast \(name): \(error)\n".utf8))
    exit(1)
}
exit(0)
