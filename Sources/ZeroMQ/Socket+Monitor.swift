internal import CZeroMQ

/// One event from libzmq's socket monitor (`zmq_socket_monitor`).
public struct SocketEvent: Sendable, Equatable {
    /// The kinds of event, as the bits libzmq uses both to select and to report them.
    public struct Kinds: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let connected = Kinds(rawValue: ZMQ_EVENT_CONNECTED)
        public static let connectDelayed = Kinds(rawValue: ZMQ_EVENT_CONNECT_DELAYED)
        public static let connectRetried = Kinds(rawValue: ZMQ_EVENT_CONNECT_RETRIED)
        public static let disconnected = Kinds(rawValue: ZMQ_EVENT_DISCONNECTED)
        public static let closed = Kinds(rawValue: ZMQ_EVENT_CLOSED)
        public static let handshakeSucceeded = Kinds(rawValue: ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
        public static let monitorStopped = Kinds(rawValue: ZMQ_EVENT_MONITOR_STOPPED)
    }

    public let kind: Kinds
    /// The event's number: a file descriptor, an errno value or an interval, depending on the kind.
    public let value: UInt32
    /// The endpoint the event concerns, as given to bind or connect.
    public let endpoint: String

    /// Reads a monitor message: a 6-byte frame with the event (16 bits) and
    /// its value (32 bits) in the machine's byte order, then the endpoint.
    /// Returns nil for anything else.
    public init?(frames: [[UInt8]]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let header = frames[0]
        kind = Kinds(rawValue: Int32(header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt16.self) }))
        value = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self) }
        endpoint = String(decoding: frames[1], as: UTF8.self)
    }
}

extension Socket {
    /// Publishes this socket's events of `kinds` on `endpoint`, an inproc://
    /// address that a `.pair` socket of the same context then connects to
    /// (`zmq_socket_monitor`).
    public func startMonitor(endpoint: String, kinds: SocketEvent.Kinds) throws {
        _ = try zmqCall("zmq_socket_monitor \(endpoint)") { zmq_socket_monitor(handle, endpoint, kinds.rawValue) }
    }
}
