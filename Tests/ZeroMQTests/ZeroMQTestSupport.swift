import Foundation
import XCTest
import ZeroMQ

/// Makes a socket that drops unsent messages on close, so no test waits on
/// the context's termination.
func makeSocket(_ context: Context, _ type: SocketType) throws -> Socket {
    let socket = try Socket(context: context, type: type)
    try socket.setLinger(milliseconds: 0)
    return socket
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Receives one message within `milliseconds`, or nil when none arrives.
func receive(_ socket: Socket, within milliseconds: Int = 5_000) throws -> [[UInt8]]? {
    var poller = Poller()
    poller.add(socket)
    guard try !poller.readable(timeoutMilliseconds: milliseconds).isEmpty else { return nil }
    guard case .done(let parts) = try socket.receive(blocking: false) else { return nil }
    return parts
}

/// Sends `probe` from `publisher` until `subscriber` receives it, because a
/// SUB socket drops every message sent before its subscription reaches the
/// publisher. Tries for at most `seconds`; returns whether the probe arrived.
@discardableResult
func waitForSubscription(
    publisher: Socket, subscriber: Socket, probe: [[UInt8]] = [bytes("sync")], seconds: Double = 5
) throws -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        try publisher.send(probe)
        if let message = try receive(subscriber, within: 50) {
            // Drain the probes still in flight so the test receives only its own messages.
            while try receive(subscriber, within: 50) != nil {}
            return message == probe
        }
    }
    return false
}

/// A folder under the system's temporary folder, removed by `remove()`.
/// Its name stays short because ipc:// paths are limited to about 100 bytes.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("zmq-" + String(UUID().uuidString.prefix(8))).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A test case with a fresh libzmq context and temporary folder per test.
class SocketTestCase: XCTestCase {
    var context: Context!
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        context = try Context()
        folder = try TemporaryFolder()
    }

    override func tearDown() {
        context = nil
        folder.remove()
    }
}
