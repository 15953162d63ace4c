import Forecasting
import Foundation
import ZeroMQ

/// `lstmcast tap`: subscribes to forecasts and prints one line each.
enum TapCommand {
    static let help = """
        USAGE: lstmcast tap [options]

        Subscribes to the daemon's forecast socket and prints each forecast as one
        line: topic, the time it starts from, the model version and the first values.

        OPTIONS:
          --endpoint ENDPOINT   The daemon's output.bind endpoint. Default: tcp://127.0.0.1:5557.
          --prefix PREFIX       Topic prefix to subscribe to. Default: forecast.
          --json                Print each forecast's JSON object as it arrived.
          --record FILE         Also append each forecast's JSON object to FILE, one per line.
          --values N            How many forecast values to show per line. Default: 6.
          --count N             Exit after N forecasts. With --timeout, tap exits with status 1
                                when fewer than N arrived in time.
          --timeout SECONDS     Exit after this long; 0 runs until interrupted. Default: 0.
          -h, --help            Show this help.
        """

    static func run(_ arguments: [String]) throws {
        let args = try Arguments(
            arguments, valueOptions: ["--endpoint", "--prefix", "--values", "--count", "--timeout", "--record"],
            booleanFlags: ["--json"])
        guard args.positional.isEmpty else { throw UsageError(message: "tap takes no arguments, got '\(args.positional[0])'") }
        let endpoint = args.string("--endpoint") ?? "tcp://127.0.0.1:5557"
        let prefix = args.string("--prefix") ?? "forecast."
        let shown = try args.integer("--values", default: 6, range: 0...100_000)
        let count = try args.integer("--count", default: 0, range: 0...Int.max)
        let timeout = try args.number("--timeout", default: 0, range: 0...1e9)

        let context = try Context()
        let socket = try Socket(context: context, type: .subscriber)
        defer { socket.close() }
        try socket.setIPv6(true)
        try socket.subscribe(prefix)
        try socket.connect(endpoint)
        try socket.setReceiveTimeout(milliseconds: 200)

        var record: FileHandle?
        if let path = args.string("--record") {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw CommandFailure(message: "cannot create the record file \(path); check the folder exists and is writable")
            }
            record = handle
        }
        defer { try? record?.close() }

        let deadline = timeout > 0 ? Date(timeIntervalSinceNow: timeout) : nil
        var received = 0
        while count == 0 || received < count {
            if let deadline, Date() >= deadline { break }
            guard case .done(let frames) = try socket.receive() else { continue }
            guard frames.count == 2 else { continue }
            let topic = String(decoding: frames[0], as: UTF8.self)
            let body = String(decoding: frames[1], as: UTF8.self)
            received += 1
            record?.write(Data(frames[1] + [0x0A]))
            if args.has("--json") {
                print(body)
            } else {
                print(summarize(topic: topic, json: frames[1], shown: shown) ?? "\(topic) \(body)")
            }
            fflush(stdout)
        }
        if count > 0 && received < count {
            throw CommandFailure(
                message: "\(received) of \(count) forecasts arrived from \(endpoint) within \(timeout) s; check that "
                    + "lstmcastd runs, that --endpoint matches its output.bind and that its series have a model")
        }
    }

    /// Returns one readable line for a forecast, or nil if the body is not the expected JSON.
    static func summarize(topic: String, json: [UInt8], shown: Int) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let values = object["values"] as? [Double], let ts = object["ts"] as? Double,
            let model = object["model"] as? [String: Any]
        else { return nil }
        let version = model["version"].map { "\($0)" } ?? "?"
        let start = RFC3339.format(ts)
        let head = values.prefix(shown).map { String(format: "%.4g", $0) }.joined(separator: " ")
        let more = values.count > shown ? " … \(String(format: "%.4g", values.last!))" : ""
        let fallback = (object["fallback"] as? String).map { " fallback=\($0)" } ?? ""
        return "\(topic) from=\(start) model=v\(version) horizon=\(values.count)\(fallback): \(head)\(more)"
    }
}
