import ZeroMQ

/// The sending side shared by the ingest benchmarks: an XPUB socket with
/// ZMQ_XPUB_NODROP, so a full queue makes the sender wait rather than lose
/// points, and every figure counts points that were really delivered.
enum PointPublisher {
    /// Queued messages per subscriber before a send waits, large enough that
    /// the sender works in long bursts. The raw libzmq ceiling uses the same
    /// figure, so the two runs queue alike.
    static let sendHighWaterMark = 100_000
    /// How long one send may wait for room before the run is declared stalled.
    static let stallSeconds = 30

    static func bind(_ endpoint: String, context: Context) throws -> Socket {
        let socket = try Socket(context: context, type: .extendedPublisher)
        try socket.setNoDrop(true)
        try socket.setSendHighWaterMark(sendHighWaterMark)
        try socket.setSendTimeout(milliseconds: stallSeconds * 1000)
        try socket.setIPv6(true)
        try socket.bind(endpoint)
        return socket
    }

    /// Waits until some peer subscribes, so the first points are not sent
    /// before the subscription has reached this socket and silently dropped.
    static func waitForSubscriber(_ socket: Socket, seconds: Double, endpoint: String) throws {
        try socket.setReceiveTimeout(milliseconds: 100)
        let deadline = MonotonicTime.now() + seconds
        while MonotonicTime.now() < deadline {
            if case .done(let frames) = try socket.receive(), frames.first?.first == 1 { return }
        }
        throw BenchFailure(
            message: "no subscriber connected to \(endpoint) within \(Int(seconds)) s; "
                + "check that the daemon is running and its input.connect lists this endpoint")
    }

    /// Sends one message, waiting at most `stallSeconds` for room.
    static func send(_ message: [[UInt8]], on socket: Socket) throws {
        guard case .done = try socket.send(message) else {
            throw BenchFailure(
                message: "a send timed out after \(stallSeconds) s waiting for room in the subscriber's queue, "
                    + "so the receiver stalled; check the daemon's log")
        }
    }
}
