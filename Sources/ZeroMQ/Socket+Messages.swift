internal import CZeroMQ

extension Socket {
    /// Sends `parts` as one multipart message (`zmq_send` with ZMQ_SNDMORE on
    /// all but the last part). Returns `.wouldBlock` if `blocking` is false and
    /// the first part could not be queued; later parts then always follow,
    /// because libzmq queues a started message whole.
    @discardableResult
    public func send(_ parts: [[UInt8]], blocking: Bool = true) throws -> IOResult<Void> {
        precondition(!parts.isEmpty, "a message needs at least one part")
        for (index, part) in parts.enumerated() {
            var flags: Int32 = index < parts.count - 1 ? ZMQ_SNDMORE : 0
            if !blocking { flags |= ZMQ_DONTWAIT }
            let result = try part.withUnsafeBytes { bytes in
                try zmqCall("zmq_send") { zmq_send(handle, bytes.baseAddress, bytes.count, flags) }
            }
            if case .wouldBlock = result {
                if index == 0 { return .wouldBlock }
                throw ZeroMQError(operation: "zmq_send part \(index)", errno: EAGAIN)
            }
        }
        return .done(())
    }

    /// Sends text parts, UTF-8 encoded.
    @discardableResult
    public func send(strings parts: [String], blocking: Bool = true) throws -> IOResult<Void> {
        try send(parts.map { Array($0.utf8) }, blocking: blocking)
    }

    /// Receives one whole multipart message. Returns `.wouldBlock` when
    /// `blocking` is false and nothing is queued, or when the receive timeout
    /// passes.
    public func receive(blocking: Bool = true) throws -> IOResult<[[UInt8]]> {
        var parts: [[UInt8]] = []
        repeat {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            let flags: Int32 = (blocking || !parts.isEmpty) ? 0 : ZMQ_DONTWAIT
            let result = try zmqCall("zmq_msg_recv") { zmq_msg_recv(&message, handle, flags) }
            guard case .done = result else {
                if parts.isEmpty { return .wouldBlock }
                continue  // the rest of a started message is already queued
            }
            let size = zmq_msg_size(&message)
            if let data = zmq_msg_data(&message), size > 0 {
                parts.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                parts.append([])
            }
        } while try hasMoreParts()
        return .done(parts)
    }
}
