internal import CZeroMQ

extension Socket {
    private func setOption(_ option: Int32, name: String, _ value: Int32) throws {
        var copy = value
        _ = try zmqCall("zmq_setsockopt \(name)=\(value)") {
            zmq_setsockopt(handle, option, &copy, MemoryLayout<Int32>.size)
        }
    }

    private func setOption(_ option: Int32, name: String, _ value: Int64) throws {
        var copy = value
        _ = try zmqCall("zmq_setsockopt \(name)=\(value)") {
            zmq_setsockopt(handle, option, &copy, MemoryLayout<Int64>.size)
        }
    }

    /// Adds a topic prefix to a SUB socket; "" subscribes to every topic.
    public func subscribe(_ prefix: String) throws {
        let bytes = Array(prefix.utf8)
        _ = try zmqCall("zmq_setsockopt ZMQ_SUBSCRIBE '\(prefix)'") {
            zmq_setsockopt(handle, ZMQ_SUBSCRIBE, bytes, bytes.count)
        }
    }

    public func unsubscribe(_ prefix: String) throws {
        let bytes = Array(prefix.utf8)
        _ = try zmqCall("zmq_setsockopt ZMQ_UNSUBSCRIBE '\(prefix)'") {
            zmq_setsockopt(handle, ZMQ_UNSUBSCRIBE, bytes, bytes.count)
        }
    }

    /// Milliseconds `close` waits to deliver queued messages (ZMQ_LINGER); -1 waits forever.
    public func setLinger(milliseconds: Int) throws {
        try setOption(ZMQ_LINGER, name: "ZMQ_LINGER", Int32(milliseconds))
    }

    /// Messages queued for receiving before new ones are dropped (ZMQ_RCVHWM); 0 is unlimited.
    public func setReceiveHighWaterMark(_ messages: Int) throws {
        try setOption(ZMQ_RCVHWM, name: "ZMQ_RCVHWM", Int32(clamping: messages))
    }

    /// Messages queued for sending per peer (ZMQ_SNDHWM); 0 is unlimited.
    public func setSendHighWaterMark(_ messages: Int) throws {
        try setOption(ZMQ_SNDHWM, name: "ZMQ_SNDHWM", Int32(clamping: messages))
    }

    /// Milliseconds a blocking receive waits before EAGAIN (ZMQ_RCVTIMEO); -1 waits forever.
    public func setReceiveTimeout(milliseconds: Int) throws {
        try setOption(ZMQ_RCVTIMEO, name: "ZMQ_RCVTIMEO", Int32(clamping: milliseconds))
    }

    /// Milliseconds a blocking send waits before EAGAIN (ZMQ_SNDTIMEO); -1 waits forever.
    public func setSendTimeout(milliseconds: Int) throws {
        try setOption(ZMQ_SNDTIMEO, name: "ZMQ_SNDTIMEO", Int32(clamping: milliseconds))
    }

    /// Largest inbound message in bytes (ZMQ_MAXMSGSIZE); a peer that sends
    /// more is disconnected. -1 is unlimited.
    public func setMaximumMessageSize(_ bytes: Int) throws {
        try setOption(ZMQ_MAXMSGSIZE, name: "ZMQ_MAXMSGSIZE", Int64(bytes))
    }

    /// Makes an XPUB socket report EAGAIN at the high-water mark instead of
    /// dropping messages (ZMQ_XPUB_NODROP), so a sender can wait and lose nothing.
    public func setNoDrop(_ enabled: Bool) throws {
        try setOption(ZMQ_XPUB_NODROP, name: "ZMQ_XPUB_NODROP", Int32(enabled ? 1 : 0))
    }

    /// Makes an XPUB socket pass on every subscription, repeated ones too (ZMQ_XPUB_VERBOSE).
    public func setVerbose(_ enabled: Bool) throws {
        try setOption(ZMQ_XPUB_VERBOSE, name: "ZMQ_XPUB_VERBOSE", Int32(enabled ? 1 : 0))
    }

    /// Lets tcp:// endpoints use IPv6 addresses such as `[::1]` (ZMQ_IPV6).
    public func setIPv6(_ enabled: Bool) throws {
        try setOption(ZMQ_IPV6, name: "ZMQ_IPV6", Int32(enabled ? 1 : 0))
    }
}
