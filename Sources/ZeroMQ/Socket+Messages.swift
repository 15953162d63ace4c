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

/// One received message, kept for reuse so the receive loop allocates
/// nothing per message once its buffer has grown. Only the first two frames'
/// bytes are stored; later frames are counted and measured.
public struct ReceivedMessage {
    private var storage: [UInt8] = []
    /// The end offsets of the first two frames in `storage`.
    private var firstEnd = 0
    private var secondEnd = 0
    public private(set) var frameCount = 0
    public private(set) var largestFrame = 0

    public init() {}

    mutating func reset() {
        storage.removeAll(keepingCapacity: true)
        firstEnd = 0
        secondEnd = 0
        frameCount = 0
        largestFrame = 0
    }

    mutating func add(_ frame: UnsafeRawBufferPointer) {
        if frameCount < 2 { storage.append(contentsOf: frame) }
        if frameCount == 0 { firstEnd = storage.count }
        if frameCount <= 1 { secondEnd = storage.count }
        frameCount += 1
        largestFrame = max(largestFrame, frame.count)
    }

    /// Calls `body` with the first and second frames; a missing frame is empty.
    public func withFirstFrames<Result>(
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try storage.withUnsafeBytes { bytes in
            try body(
                UnsafeRawBufferPointer(rebasing: bytes[0..<firstEnd]),
                UnsafeRawBufferPointer(rebasing: bytes[firstEnd..<secondEnd]))
        }
    }
}

extension Socket {
    /// Receives one whole multipart message into `message`, replacing what
    /// it held. Returns false when `blocking` is false and nothing is queued,
    /// or when the receive timeout passes.
    public func receive(into message: inout ReceivedMessage, blocking: Bool = true) throws -> Bool {
        message.reset()
        var part = zmq_msg_t()
        zmq_msg_init(&part)
        defer { zmq_msg_close(&part) }
        repeat {
            let flags: Int32 = (blocking || message.frameCount > 0) ? 0 : ZMQ_DONTWAIT
            let result = try zmqCall("zmq_msg_recv") { zmq_msg_recv(&part, handle, flags) }
            guard case .done = result else {
                if message.frameCount == 0 { return false }
                continue  // the rest of a started message is already queued
            }
            message.add(UnsafeRawBufferPointer(start: zmq_msg_data(&part), count: zmq_msg_size(&part)))
        } while zmq_msg_more(&part) != 0
        return true
    }
}
