internal import CZeroMQ

public enum SocketType: Sendable {
    case publisher, subscriber, extendedPublisher, request, reply, push, pull, pair

    var rawValue: Int32 {
        switch self {
        case .publisher: return ZMQ_PUB
        case .subscriber: return ZMQ_SUB
        case .extendedPublisher: return ZMQ_XPUB
        case .request: return ZMQ_REQ
        case .reply: return ZMQ_REP
        case .push: return ZMQ_PUSH
        case .pull: return ZMQ_PULL
        case .pair: return ZMQ_PAIR
        }
    }
}

/// A libzmq socket. Like libzmq's own sockets it is not thread-safe: use
/// each one from a single thread at a time.
public final class Socket {
    public let type: SocketType
    let handle: UnsafeMutableRawPointer
    private let context: Context
    private var closed = false

    public init(context: Context, type: SocketType) throws {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZeroMQError(operation: "zmq_socket", errno: zmq_errno())
        }
        self.handle = handle
        self.context = context
        self.type = type
    }

    deinit {
        // A failed zmq_close can only mean an invalid handle, which this type never holds.
        if !closed { zmq_close(handle) }
    }

    /// Closes the socket now (`zmq_close`); `deinit` does it otherwise.
    public func close() {
        if !closed {
            closed = true
            zmq_close(handle)
        }
    }

    public func bind(_ endpoint: String) throws {
        _ = try zmqCall("zmq_bind \(endpoint)") { zmq_bind(handle, endpoint) }
    }

    public func connect(_ endpoint: String) throws {
        _ = try zmqCall("zmq_connect \(endpoint)") { zmq_connect(handle, endpoint) }
    }

    public func unbind(_ endpoint: String) throws {
        _ = try zmqCall("zmq_unbind \(endpoint)") { zmq_unbind(handle, endpoint) }
    }

    public func disconnect(_ endpoint: String) throws {
        _ = try zmqCall("zmq_disconnect \(endpoint)") { zmq_disconnect(handle, endpoint) }
    }

    /// The endpoint the socket last bound, with a wildcard port resolved
    /// (`ZMQ_LAST_ENDPOINT`).
    public func lastEndpoint() throws -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        _ = try zmqCall("zmq_getsockopt ZMQ_LAST_ENDPOINT") {
            zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
        }
        return String(cString: buffer)
    }

    /// Whether a message part is followed by more parts (`ZMQ_RCVMORE`).
    func hasMoreParts() throws -> Bool {
        var more: Int32 = 0
        var size = MemoryLayout<Int32>.size
        _ = try zmqCall("zmq_getsockopt ZMQ_RCVMORE") { zmq_getsockopt(handle, ZMQ_RCVMORE, &more, &size) }
        return more != 0
    }
}
