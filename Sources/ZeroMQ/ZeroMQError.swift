internal import CZeroMQ

/// A failed libzmq call: the operation, its argument and libzmq's errno.
public struct ZeroMQError: Error, Equatable, CustomStringConvertible {
    public let operation: String
    public let errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// True when the context is being terminated (ETERM): the caller should shut down.
    public var isContextTerminated: Bool { errno == ETERM }

    /// True when a blocking call ran out of time (EAGAIN from a timed receive or send).
    public var isTimeout: Bool { errno == EAGAIN }

    public var description: String {
        "\(operation): \(String(cString: zmq_strerror(errno))) (errno \(errno))"
    }
}

/// The outcome of a non-blocking call that did not fail.
public enum IOResult<Value> {
    case done(Value)
    case wouldBlock
}

/// Runs one libzmq call: EINTR retries it, EAGAIN becomes `.wouldBlock`,
/// and any other failure is thrown with the errno read right after the call.
@inline(__always)
func zmqCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws -> IOResult<Int32> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = zmq_errno()
        if code == EINTR { continue }
        if code == EAGAIN { return .wouldBlock }
        throw ZeroMQError(operation: operation(), errno: code)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
