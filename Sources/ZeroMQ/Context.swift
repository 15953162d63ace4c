internal import CZeroMQ

/// A libzmq context (`zmq_ctx_new`); it owns the I/O threads of its sockets.
///
/// Close every socket before the context is released: `zmq_ctx_term`, called
/// from `deinit`, blocks until they are closed and their linger has passed.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws {
        guard let handle = zmq_ctx_new() else {
            throw ZeroMQError(operation: "zmq_ctx_new", errno: zmq_errno())
        }
        self.handle = handle
    }

    /// Makes blocking calls on this context's sockets fail with ETERM, so a
    /// thread stuck in a receive can leave.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// libzmq's version as "major.minor.patch".
    public static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
