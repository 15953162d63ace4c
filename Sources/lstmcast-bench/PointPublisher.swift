import ZeroMQ

/// The sending side shared by the ingest benchmarks: an XPUB socket with
/// ZMQ_XPUB_NODROP, so a full queue makes the sender wait rather than lose
/// points, and every figure counts points that were really delivered.
enum PointPublisher {
    /// Queued messages per subscriber before a send waits. Large enough that
    /// the sender works in long bursts; the same figure is used for the raw
    /// libzmq ceiling, so the two runs queue alike.
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
            message: "no subscriber reached \(endpoint) within \(Int(seconds)) s; is the daemon's input.connect set to it?")
    }

    /// Sends one message, waiting at most `stallSeconds` for room.
    static func send(_ message: [[UInt8]], on socket: Socket) throws {
        guard case .done = try socket.send(message) else {
            throw BenchFailure(
                message: "a send waited \(stallSeconds) s for room in the subscriber's queue; the receiver stalled")
        }
    }
}
