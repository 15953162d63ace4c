import Foundation
import XCTest
import ZeroMQ

/// Failed libzmq calls surface as `ZeroMQError` with the operation, the endpoint and errno.
final class ZeroMQErrorTests: SocketTestCase {
    /// Runs `body` and returns the `ZeroMQError` it must throw.
    private func zeroMQError(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> ZeroMQError? {
        do {
            try body()
            XCTFail("expected a ZeroMQError", file: file, line: line)
        } catch let error as ZeroMQError {
            return error
        } catch {
            XCTFail("expected a ZeroMQError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testBindWithoutTransportIsInvalidArgument() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let error = zeroMQError { try socket.bind("127.0.0.1:5556") }
        XCTAssertEqual(error?.errno, EINVAL)
        XCTAssertEqual(error?.operation, "zmq_bind 127.0.0.1:5556")
    }

    func testBindErrorDescriptionNamesOperationEndpointAndErrno() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let error = zeroMQError { try socket.bind("127.0.0.1:5556") }
        XCTAssertEqual(error?.description, "zmq_bind 127.0.0.1:5556: Invalid argument (errno \(EINVAL))")
    }

    func testBindWithUnknownTransportIsProtocolNotSupported() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let error = zeroMQError { try socket.bind("carrier-pigeon://127.0.0.1:1") }
        XCTAssertEqual(error?.errno, EPROTONOSUPPORT)
        XCTAssertTrue(error?.description.contains("zmq_bind carrier-pigeon://127.0.0.1:1") == true, "\(String(describing: error))")
    }

    func testBindWithNonNumericPortIsInvalidArgument() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        XCTAssertEqual(zeroMQError { try socket.bind("tcp://127.0.0.1:port") }?.errno, EINVAL)
    }

    func testBindToMissingIPCFolderFails() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let endpoint = "ipc://\(folder.path)/absent/pub"
        let error = zeroMQError { try socket.bind(endpoint) }
        XCTAssertEqual(error?.errno, ENOENT)
        XCTAssertEqual(error?.operation, "zmq_bind \(endpoint)")
    }

    func testOverlongIPCPathIsNameTooLong() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let endpoint = "ipc://\(folder.path)/" + String(repeating: "n", count: 120)
        XCTAssertEqual(zeroMQError { try socket.bind(endpoint) }?.errno, ENAMETOOLONG)
    }

    func testConnectWithoutTransportIsInvalidArgument() throws {
        let socket = try makeSocket(context, .subscriber)
        defer { socket.close() }
        let error = zeroMQError { try socket.connect("localhost") }
        XCTAssertEqual(error?.errno, EINVAL)
        XCTAssertEqual(error?.operation, "zmq_connect localhost")
    }

    func testBindingSameTCPEndpointTwiceIsAddressInUse() throws {
        let first = try makeSocket(context, .publisher)
        defer { first.close() }
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try first.lastEndpoint()
        let second = try makeSocket(context, .publisher)
        defer { second.close() }

        let error = zeroMQError { try second.bind(endpoint) }
        XCTAssertEqual(error?.errno, EADDRINUSE)
        XCTAssertEqual(error?.operation, "zmq_bind \(endpoint)")
    }

    func testRebindOnSameSocketIsAddressInUse() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.lastEndpoint()
        XCTAssertEqual(zeroMQError { try socket.bind(endpoint) }?.errno, EADDRINUSE)
    }

    func testDuplicateInprocBindIsAddressInUse() throws {
        let first = try makeSocket(context, .pull)
        defer { first.close() }
        try first.bind("inproc://taken")
        let second = try makeSocket(context, .pull)
        defer { second.close() }
        XCTAssertEqual(zeroMQError { try second.bind("inproc://taken") }?.errno, EADDRINUSE)
    }

    func testUnbindingUnknownEndpointFails() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let error = zeroMQError { try socket.unbind("tcp://127.0.0.1:1") }
        XCTAssertEqual(error?.errno, ENOENT)
    }

    func testSubscribeOnPublisherFailsWithOptionInOperation() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        let error = zeroMQError { try socket.subscribe("price.") }
        XCTAssertEqual(error?.errno, EINVAL)
        XCTAssertEqual(error?.operation, "zmq_setsockopt ZMQ_SUBSCRIBE 'price.'")
    }

    func testReceiveOnPublisherIsNotSupported() throws {
        let socket = try makeSocket(context, .publisher)
        defer { socket.close() }
        XCTAssertEqual(zeroMQError { _ = try socket.receive(blocking: false) }?.errno, ENOTSUP)
    }

    func testTimeoutAndTerminationFlagsFollowErrno() {
        XCTAssertTrue(ZeroMQError(operation: "zmq_msg_recv", errno: EAGAIN).isTimeout)
        XCTAssertFalse(ZeroMQError(operation: "zmq_bind x", errno: EINVAL).isTimeout)
        XCTAssertFalse(ZeroMQError(operation: "zmq_bind x", errno: EINVAL).isContextTerminated)
    }

    func testDescriptionOfConstructedError() {
        let error = ZeroMQError(operation: "zmq_bind tcp://127.0.0.1:1", errno: EADDRINUSE)
        XCTAssertEqual(error.description, "zmq_bind tcp://127.0.0.1:1: Address already in use (errno \(EADDRINUSE))")
    }
}
