import Foundation
import ZeroMQ

/// The publisher half of the daemon's ingest benchmark. It binds ENDPOINT,
/// which the daemon's input.connect names, sends the points as fast as the
/// daemon's queue takes them, and reports its own send rate. The daemon's
/// rate comes from its points_accepted counter, read by scripts/bench-ingest.
enum IngestBenchmark {
    /// How long close may keep delivering the points still queued; the
    /// daemon usually lags the sender by many seconds.
    static let deliverySeconds = 120

    static func run(
        format: PayloadFormat, series: Int, points: Int, endpoint: String, waitSeconds: Double, holdSeconds: Int
    ) throws {
        let stepsPerSeries = (points + series - 1) / series
        let messages = PointMessages(format: format, seriesCount: series, stepsPerSeries: stepsPerSeries)
        let context = try Context()
        let publisher = try PointPublisher.bind(endpoint, context: context)
        defer { publisher.close() }
        try PointPublisher.waitForSubscriber(publisher, seconds: waitSeconds, endpoint: endpoint)

        let start = MonotonicTime.now()
        for index in 0..<points {
            try PointPublisher.send(messages.message(index: index), on: publisher)
        }
        let seconds = MonotonicTime.now() - start

        var line = JSONLine(bench: "ingest_send")
        line.add("format", format.rawValue)
        line.add("series", series)
        line.add("points", points)
        line.add("points_per_series", stepsPerSeries)
        line.add("first_ts", messages.firstTimestamp)
        line.add("seconds", seconds, decimals: 4)
        line.add("points_per_second", Double(points) / seconds, decimals: 0)
        line.emit()

        // With libzmq 4.3.4, closing the connection while the daemon's SUB
        // socket sat at its receive_hwm lost the last points in testing. So the
        // socket stays open until the caller, having seen every point arrive,
        // ends this process, or until holdSeconds pass.
        if holdSeconds > 0 {
            let deadline = MonotonicTime.now() + Double(holdSeconds)
            while MonotonicTime.now() < deadline { usleep(100_000) }
        }
        try publisher.setLinger(milliseconds: deliverySeconds * 1000)
    }
}
