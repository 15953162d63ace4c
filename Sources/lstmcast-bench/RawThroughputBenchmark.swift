import Foundation
import ZeroMQ

/// The ceiling for lstmcastd's ingest: how many point-shaped messages one
/// SUB socket receives per second from one XPUB socket in the same process,
/// through the same Swift wrapper the daemon reads with, doing nothing with them.
enum RawThroughputBenchmark {
    enum Transport: String, CaseIterable {
        case ipc
        case tcp
    }

    /// Distinct messages the sender cycles through. Building them ahead keeps
    /// payload formatting out of the sender's loop, so the receiver, not the
    /// sender, sets the rate.
    static let prebuiltSteps = 10
    static let seriesCount = 1000
    static let waitSeconds = 10.0

    static func run(messages: Int, transport: Transport) throws {
        let folder = try TemporaryFolder(prefix: "lstmcast-bench-zmq")
        defer { folder.remove() }
        let endpoint: String
        switch transport {
        case .ipc: endpoint = "ipc://\(folder.path)/points"
        case .tcp: endpoint = "tcp://127.0.0.1:*"
        }

        // Two contexts give each side its own I/O thread, as the daemon and a
        // publisher in two processes would have.
        let senderContext = try Context()
        let receiverContext = try Context()
        let publisher = try PointPublisher.bind(endpoint, context: senderContext)
        let bound = try publisher.lastEndpoint()
        let subscriber = try Socket(context: receiverContext, type: .subscriber)
        try subscriber.setReceiveHighWaterMark(0)
        try subscriber.setReceiveTimeout(milliseconds: Int(waitSeconds * 1000))
        try subscriber.setLinger(milliseconds: 0)
        try subscriber.subscribe("")
        try subscriber.connect(bound)
        try PointPublisher.waitForSubscriber(publisher, seconds: waitSeconds, endpoint: bound)

        let points = PointMessages(format: .text, seriesCount: seriesCount, stepsPerSeries: prebuiltSteps)
        let pool = (0..<(seriesCount * prebuiltSteps)).map { points.message(index: $0) }
        let sender = BenchThread(name: "zmq-raw sender") { () throws -> Double in
            let start = MonotonicTime.now()
            for index in 0..<messages {
                try PointPublisher.send(pool[index % pool.count], on: publisher)
            }
            return MonotonicTime.now() - start
        }

        var received = 0
        var bytes = 0
        var first = 0.0
        var last = 0.0
        while received < messages {
            guard case .done(let frames) = try subscriber.receive() else { break }
            last = MonotonicTime.now()
            if received == 0 { first = last }
            received += 1
            bytes += frames.reduce(0) { $0 + $1.count }
        }
        let sendSeconds = try sender.join(seconds: Double(PointPublisher.stallSeconds) + waitSeconds)
        // Every message has arrived, so nothing is left for a linger to deliver.
        try? publisher.setLinger(milliseconds: 0)
        publisher.close()
        subscriber.close()

        guard received == messages else {
            throw BenchFailure(
                message: "zmq-raw over \(transport.rawValue): received \(received) of \(messages) messages; "
                    + "the receive waited \(Int(waitSeconds)) s for the rest")
        }
        // The first message's arrival starts the clock, so the span covers
        // received - 1 intervals and leaves the connection set-up out.
        let seconds = last - first
        var line = JSONLine(bench: "zmq_raw", impl: "libzmq")
        line.add("transport", transport.rawValue)
        line.add("libzmq", Context.libraryVersion)
        line.add("messages", messages)
        line.add("received", received)
        line.add("bytes_per_message", Double(bytes) / Double(received), decimals: 1)
        line.add("seconds", seconds, decimals: 4)
        line.add("messages_per_second", Double(received - 1) / seconds, decimals: 0)
        line.add("sender_messages_per_second", Double(messages) / sendSeconds, decimals: 0)
        line.emit()
    }
}
