import Foundation
import ZeroMQ

/// Time from a point's send to the arrival of the forecast that starts from
/// it, at a paced rate. The daemon must be configured so forecasts follow
/// points (forecast.every_points) and retrains never happen during the run,
/// or a training's install forecast would be timed as a slow point.
enum LatencyBenchmark {
    struct Options {
        var format: PayloadFormat = .text
        var rate = 10_000
        var series = 100
        var seconds = 10
        /// Forecasts of points sent earlier are left out: the first models
        /// are still training then, and their install forecasts start from
        /// points that waited for a training rather than for the ingest path.
        var warmUpSeconds = 2.0
        var pointsEndpoint = ""
        var forecastsEndpoint = ""
        var waitSeconds = 30.0
    }

    /// One forecast as it arrived.
    struct Arrival {
        let time: Double
        let series: Int
        let timestamp: Int
    }

    /// The maximum number of forecasts kept for reading after the run, which bounds the
    /// receiver's memory when a daemon forecasts on every point.
    static let maximumKept = 200_000
    /// How long forecasts are still collected after the last point is sent.
    static let drainSeconds = 1.0
    /// Sleep between pacing checks. At 10,000 points/s about two points fall
    /// due per check, so points leave nearly evenly spaced, not in bursts
    /// that would queue behind each other in the daemon.
    static let tickMicroseconds: UInt32 = 200

    static func run(_ options: Options) throws {
        let total = options.rate * options.seconds
        let stepsPerSeries = (total + options.series - 1) / options.series
        let messages = PointMessages(format: options.format, seriesCount: options.series, stepsPerSeries: stepsPerSeries)

        let context = try Context()
        let publisher = try PointPublisher.bind(options.pointsEndpoint, context: context)
        defer { publisher.close() }
        try publisher.setLinger(milliseconds: 0)
        let subscriber = try Socket(context: context, type: .subscriber)
        try subscriber.setLinger(milliseconds: 0)
        try subscriber.setReceiveHighWaterMark(0)
        try subscriber.setReceiveTimeout(milliseconds: 100)
        try subscriber.subscribe("")
        try subscriber.connect(options.forecastsEndpoint)
        try PointPublisher.waitForSubscriber(publisher, seconds: options.waitSeconds, endpoint: options.pointsEndpoint)

        let stop = SharedFlag()
        let receiver = BenchThread(name: "forecast receiver") { () throws -> (arrivals: [Arrival], unreadable: Int) in
            // Forecasts are only timed and kept here, and read after the run:
            // parsing each one on arrival would delay the next one behind it,
            // and that delay would be counted as the daemon's.
            var received: [(time: Double, frames: [[UInt8]])] = []
            // Bounded by the sender's own deadline plus the drain, with slack.
            let deadline = MonotonicTime.now() + Double(options.seconds) * 3 + options.waitSeconds
            while !stop.isSet && MonotonicTime.now() < deadline && received.count < maximumKept {
                guard case .done(let frames) = try subscriber.receive() else { continue }
                received.append((MonotonicTime.now(), frames))
            }
            var arrivals: [Arrival] = []
            var unreadable = 0
            for message in received {
                if let arrival = parse(message.frames, at: message.time) { arrivals.append(arrival) } else { unreadable += 1 }
            }
            return (arrivals, unreadable)
        }

        var sendTimes = [Double](repeating: .nan, count: total)
        let start = MonotonicTime.now()
        // A sender that cannot keep the pace stops here rather than run on.
        let sendDeadline = start + Double(options.seconds) * 2
        var sent = 0
        while sent < total {
            let now = MonotonicTime.now()
            if now > sendDeadline { break }
            let due = min(total, Int((now - start) * Double(options.rate)) + 1)
            if sent >= due {
                usleep(tickMicroseconds)
                continue
            }
            while sent < due {
                sendTimes[sent] = MonotonicTime.now()
                try PointPublisher.send(messages.message(index: sent), on: publisher)
                sent += 1
            }
        }
        let sendSeconds = MonotonicTime.now() - start
        usleep(UInt32(drainSeconds * 1_000_000))
        stop.set()
        let (arrivals, unreadable) = try receiver.join(seconds: options.waitSeconds)
        subscriber.close()

        let warmUpEnd = start + options.warmUpSeconds
        var latencies: [Double] = []
        var unmatched = 0
        var duringWarmUp = 0
        var seen = Set<Int>()
        var repeats = 0
        for arrival in arrivals {
            guard let index = messages.index(series: arrival.series, timestamp: arrival.timestamp), index < sent else {
                unmatched += 1
                continue
            }
            let sentAt = sendTimes[index]
            // A forecast from before the point was sent belongs to another run's
            // points with the same names, e.g. a daemon that was not restarted.
            guard sentAt <= arrival.time else {
                unmatched += 1
                continue
            }
            if sentAt < warmUpEnd {
                duringWarmUp += 1
                continue
            }
            // A point can be forecast twice, when a new model arrives; the first forecast is the one it waited for.
            guard seen.insert(index).inserted else {
                repeats += 1
                continue
            }
            latencies.append((arrival.time - sentAt) * 1000)
        }
        guard !latencies.isEmpty else {
            throw BenchFailure(
                message: "no forecast matched a point sent after the \(options.warmUpSeconds) s warm-up "
                    + "(\(arrivals.count) forecasts arrived, \(unmatched) unmatched); "
                    + "check forecast.every_points and that the forecasts endpoint is the daemon's output.bind")
        }

        var line = JSONLine(bench: "latency")
        line.add("format", options.format.rawValue)
        line.add("rate", options.rate)
        line.add("series", options.series)
        line.add("seconds", options.seconds)
        line.add("points_sent", sent)
        line.add("achieved_rate", Double(sent) / sendSeconds, decimals: 0)
        line.add("warm_up_seconds", options.warmUpSeconds, decimals: 1)
        line.add("forecasts_received", arrivals.count)
        line.add("forecasts_timed", latencies.count)
        line.add("forecasts_in_warm_up", duringWarmUp)
        line.add("forecasts_repeated", repeats)
        line.add("forecasts_unmatched", unmatched + unreadable)
        line.add("p50_ms", Percentile.of(latencies, 0.5), decimals: 3)
        line.add("p99_ms", Percentile.of(latencies, 0.99), decimals: 3)
        line.add("max_ms", latencies.max()!, decimals: 3)
        // Other work on the machine delays every hand-over between threads, so the load goes with the figures.
        line.add("load_average_1m", loadAverage(), decimals: 2)
        line.emit()
    }

    /// Returns the 1-minute load average, or NaN where /proc/loadavg cannot be read.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let first = text.split(separator: " ").first, let value = Double(first)
        else { return .nan }
        return value
    }

    /// Reads the series and `ts` of a forecast message; nil for anything else.
    static func parse(_ frames: [[UInt8]], at time: Double) -> Arrival? {
        guard frames.count == 2,
            let object = try? JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any],
            let name = object["series"] as? String, name.hasPrefix("s"), let series = Int(name.dropFirst()),
            let timestamp = (object["ts"] as? NSNumber)?.doubleValue, timestamp.rounded() == timestamp
        else { return nil }
        return Arrival(time: time, series: series, timestamp: Int(timestamp))
    }
}
