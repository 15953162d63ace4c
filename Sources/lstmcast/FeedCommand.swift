import Foundation
import LSTMKit
import ZeroMQ

/// `lstmcast feed`: publishes a CSV series or the reference sine series.
enum FeedCommand {
    static let help = """
        USAGE: lstmcast feed (FILE.csv | --sine N) [options]

        Publishes points as multipart [topic, payload] messages on a ZeroMQ XPUB
        socket. It waits for the first subscriber before sending and never drops
        a point: at the high-water mark it waits for the queue to drain.

        ARGUMENTS:
          FILE.csv              A CSV file with the header 'timestamp,value'; timestamps
                                are epoch seconds or RFC 3339.
        OPTIONS:
          --sine N              Send N points of 0.01·t + sin(2π·0.03·t) + U[0,1) instead.
          --seed N              Seed of the sine series' noise. Default: 42.
          --start SECONDS       Epoch seconds of the sine series' first point. Default: 0. Only the
                                timestamps move: the values are those of t = 0, 1, 2, …
          --interval SECONDS    Seconds between sine points. Default: 1.
          --endpoint ENDPOINT   Where to publish. Default: tcp://127.0.0.1:5556.
          --connect             Connect to ENDPOINT instead of binding it, for a daemon
                                whose input binds.
          --topic NAME          Topic, which is the series name. Default: the file name
                                without extension, or 'sine'.
          --rate N              Points per second; 0 sends as fast as possible. Default: 100.
          --format FORMAT       Payload: json ({"ts":…,"value":…}) or text ("ts value").
                                Default: json.
          --limit N             Send at most N points of the file.
          --wait SECONDS        How long to wait for a subscriber. Default: 10.
          -h, --help            Show this help.
        """

    static func run(_ arguments: [String]) throws {
        let args = try Arguments(
            arguments,
            valueOptions: ["--sine", "--seed", "--start", "--interval", "--endpoint", "--topic", "--rate", "--format",
                "--limit", "--wait"],
            booleanFlags: ["--connect"])
        let endpoint = args.string("--endpoint") ?? "tcp://127.0.0.1:5556"
        let rate = try args.number("--rate", default: 100, range: 0...10_000_000)
        let waitSeconds = try args.number("--wait", default: 10, range: 0...86_400)
        let format = args.string("--format") ?? "json"
        guard format == "json" || format == "text" else {
            throw UsageError(message: "--format must be json or text, got '\(format)'")
        }

        var timestamps: [Double]
        var values: [Double]
        let topic: String
        if let countText = args.string("--sine") {
            guard args.positional.isEmpty else { throw UsageError(message: "give either a CSV file or --sine, not both") }
            guard let count = Int(countText), count > 0 else {
                throw UsageError(message: "--sine needs a positive point count, got '\(countText)'")
            }
            let seed = try args.integer("--seed", default: 42, range: 0...Int.max)
            let start = try args.number("--start", default: 0, range: 0...1e12)
            let interval = try args.number("--interval", default: 1, range: 1e-6...1e9)
            values = ReferenceSeries.generate(count: count, seed: UInt64(seed))
            timestamps = (0..<count).map { start + Double($0) * interval }
            topic = args.string("--topic") ?? "sine"
        } else {
            guard args.positional.count == 1 else {
                throw UsageError(message: "give one CSV file or --sine N")
            }
            let path = args.positional[0]
            let series = try CSVSeries.read(path: path)
            try series.checkIncreasing(path: path, allowRepeats: true)
            timestamps = series.timestamps
            values = series.values
            topic = args.string("--topic") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        }
        let limit = try args.integer("--limit", default: values.count, range: 1...Int.max)
        if limit < values.count {
            timestamps = Array(timestamps.prefix(limit))
            values = Array(values.prefix(limit))
        }

        let context = try Context()
        let socket = try Socket(context: context, type: .extendedPublisher)
        defer { socket.close() }
        try socket.setNoDrop(true)
        try socket.setSendHighWaterMark(10_000)
        try socket.setLinger(milliseconds: 10_000)
        try socket.setIPv6(true)
        if args.has("--connect") { try socket.connect(endpoint) } else { try socket.bind(endpoint) }
        try waitForSubscriber(socket, seconds: waitSeconds, endpoint: endpoint)

        let started = Date()
        for index in values.indices {
            if rate > 0 {
                let due = started.addingTimeInterval(Double(index) / rate)
                let delay = due.timeIntervalSinceNow
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            }
            let payload =
                format == "json"
                ? "{\"ts\":\(timestamps[index]),\"value\":\(values[index])}"
                : "\(timestamps[index]) \(values[index])"
            while case .wouldBlock = try socket.send(strings: [topic, payload], blocking: false) {
                // The subscriber's queue is full; wait instead of dropping the point.
                Thread.sleep(forTimeInterval: 0.001)
                _ = try? socket.receive(blocking: false)  // subscription messages must not pile up
            }
        }
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(
            "lstmcast feed: sent \(values.count) points on topic '\(topic)' to \(endpoint) in \(String(format: "%.1f", seconds)) s\n".utf8))
    }

    /// Blocks until a SUB socket has subscribed, so the first points are not
    /// lost to ZeroMQ's slow-joiner window.
    private static func waitForSubscriber(_ socket: Socket, seconds: Double, endpoint: String) throws {
        try socket.setReceiveTimeout(milliseconds: Int(seconds * 1000))
        switch try socket.receive() {
        case .done(let frames) where frames.first?.first == 1:
            return
        case .done:
            return try waitForSubscriber(socket, seconds: seconds, endpoint: endpoint)
        case .wouldBlock:
            throw CommandFailure(
                message: "no subscriber connected to \(endpoint) within \(seconds) s; start lstmcastd first "
                    + "or check that its input.connect lists this endpoint")
        }
    }
}
