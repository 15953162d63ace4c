internal import CZeroMQ

/// Waits on several sockets at once (`zmq_poll`).
public struct Poller {
    private var sockets: [Socket] = []

    public init() {}

    public mutating func add(_ socket: Socket) {
        sockets.append(socket)
    }

    /// Waits up to `milliseconds` (-1 forever) and returns the sockets that
    /// have a message to read. A signal interrupting the wait returns an
    /// empty list so the caller can check its flags.
    public func readable(timeoutMilliseconds milliseconds: Int) throws -> [Socket] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let count = zmq_poll(&items, Int32(items.count), milliseconds)
        if count < 0 {
            let code = zmq_errno()
            if code == EINTR { return [] }
            throw ZeroMQError(operation: "zmq_poll", errno: code)
        }
        return zip(sockets, items).filter { $0.1.revents & Int16(ZMQ_POLLIN) != 0 }.map(\.0)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
