import Configuration
import Foundation
import ZeroMQ

/// `lstmcast status`, `reload` and `retrain`: requests to a running daemon's control socket.
enum ControlCommands {
    static let defaultConfig = "/etc/lstmcast/lstmcast.yaml"

    static func help(_ command: String, summary: String, arguments: String = "") -> String {
        """
        USAGE: lstmcast \(command)\(arguments) [--config FILE | --control ENDPOINT] [--timeout SECONDS]\(command == "status" ? " [--json]" : "")

        \(summary)

        OPTIONS:
          --config FILE         Find the control socket in this configuration's control.bind.
                                Default: \(defaultConfig), or the built-in
                                ipc:///run/lstmcast/control when that file does not exist.
          --control ENDPOINT    The control socket itself, e.g. ipc:///run/lstmcast/control.
          --timeout SECONDS     How long to wait for the daemon's reply. Default: 10.\(command == "status" ? "\n  --json                Print the daemon's status object as JSON." : "")
          -h, --help            Show this help.
        """
    }

    static let statusHelp = help("status", summary: "Prints the daemon's series, models and counters.")
    static let reloadHelp = help(
        "reload",
        summary: "Asks the daemon to reload its configuration file. Exits 1 with the\nfile's error if the new configuration is invalid; the daemon keeps\nrunning on the previous one.")
    static let retrainHelp = help(
        "retrain", summary: "Asks the daemon to retrain one series now, or every series without SERIES.",
        arguments: " [SERIES]")

    static func status(_ arguments: [String]) throws {
        let (args, reply) = try request(arguments, command: "status", maximumPositional: 0)
        if args.has("--json") {
            print(String(decoding: reply.data, as: UTF8.self))
        } else {
            print(StatusTable.render(reply.object))
        }
    }

    static func reload(_ arguments: [String]) throws {
        let (_, reply) = try request(arguments, command: "reload", maximumPositional: 0)
        let message = reply.object["message"] as? String ?? ""
        guard reply.object["ok"] as? Bool == true else { throw CommandFailure(message: message) }
        print(message)
        for change in reply.object["changes"] as? [String] ?? [] { print("  \(change)") }
    }

    static func retrain(_ arguments: [String]) throws {
        let (args, reply) = try request(arguments, command: "retrain", maximumPositional: 1)
        _ = args
        let message = reply.object["message"] as? String ?? ""
        guard reply.object["ok"] as? Bool == true else { throw CommandFailure(message: message) }
        print(message)
    }

    private static func request(
        _ arguments: [String], command: String, maximumPositional: Int
    ) throws -> (Arguments, (data: Data, object: [String: Any])) {
        let args = try Arguments(arguments, valueOptions: ["--config", "--control", "--timeout"], booleanFlags: ["--json"])
        guard args.positional.count <= maximumPositional else {
            throw UsageError(message: "unexpected argument '\(args.positional[maximumPositional])'")
        }
        let timeout = try args.number("--timeout", default: 10, range: 0.1...3600)
        if args.string("--control") != nil && args.string("--config") != nil {
            throw UsageError(message: "give either --control ENDPOINT or --config FILE, not both")
        }
        let endpoint: String
        if let given = args.string("--control") {
            endpoint = given
        } else if args.string("--config") == nil && !FileManager.default.fileExists(atPath: defaultConfig) {
            // Without a configuration file the daemon runs on its built-in defaults, and so does this lookup.
            endpoint = Settings().control.bind
        } else {
            let path = args.string("--config") ?? defaultConfig
            do {
                endpoint = try ConfigurationLoader.load(path: path).control.bind
            } catch let error as ConfigurationError {
                // An invalid file still names the socket; the daemon then reports the error itself.
                guard let fallback = ConfigurationLoader.controlEndpoint(path: path) else {
                    throw CommandFailure(
                        message: "\(error)\nname the socket with --control ENDPOINT or a file with --config FILE")
                }
                endpoint = fallback
            }
        }

        // The daemon only binds its control socket on ipc://, so any other endpoint would wait out the timeout.
        guard endpoint.hasPrefix("ipc://") else {
            throw UsageError(
                message: "control endpoint \(endpoint) is not an ipc:// path; lstmcastd binds its control socket "
                    + "only on ipc://, as control.bind in its configuration gives")
        }
        if !FileManager.default.fileExists(atPath: String(endpoint.dropFirst("ipc://".count))) {
            throw CommandFailure(
                message: "no lstmcastd control socket at \(endpoint): the file does not exist; check that the daemon "
                    + "is running and that control.bind matches")
        }
        let context = try Context()
        let socket = try Socket(context: context, type: .request)
        defer { socket.close() }
        try socket.setLinger(milliseconds: 0)
        try socket.setReceiveTimeout(milliseconds: Int(timeout * 1000))
        try socket.setSendTimeout(milliseconds: Int(timeout * 1000))
        try socket.connect(endpoint)
        let text = ([command] + args.positional).joined(separator: " ")
        guard case .done = try socket.send(strings: [text]),
            case .done(let frames) = try socket.receive(), let first = frames.first
        else {
            throw CommandFailure(
                message: "no reply from lstmcastd at \(endpoint) within \(timeout) s; check that the daemon is running "
                    + "and that control.bind matches")
        }
        let data = Data(first)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CommandFailure(message: "the daemon's reply is not a JSON object: \(String(decoding: first, as: UTF8.self))")
        }
        return (args, (data, object))
    }
}
