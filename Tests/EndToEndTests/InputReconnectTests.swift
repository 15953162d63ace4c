import Foundation
import XCTest
import ZeroMQ

/// An oversized message makes libzmq close the connection as a protocol
/// error, and for an endpoint the daemon connected to, libzmq never
/// reconnects by itself. The daemon must restore it.
final class InputReconnectTests: XCTestCase {
    func testOversizedMessageDoesNotCutOffPublisher() throws {
        let harness = try DaemonHarness(test: self, extra: "limits:\n  max_message_bytes: 1000")
        try harness.start()
        try harness.send(series: "before", timestamps: 0..<3) { Double($0) }
        XCTAssertTrue(try waitForAccepted(harness, atLeast: 3), "points before the large message; log:\n\(harness.log)")

        try harness.publisher.send([Array("big".utf8), [UInt8](repeating: 0x31, count: 5000)])
        // libzmq closes the connection, and the next points only arrive once
        // the daemon has connected again, so keep sending for a while.
        let restored = try sendUntilAccepted(harness, series: "after", from: 0, atLeast: 4)
        XCTAssertTrue(restored, "no point arrived after the large message; log:\n\(harness.log)")

        let status = try statusObject(harness)
        XCTAssertEqual(status["input_reconnects"] as? Int, 1)
        XCTAssertTrue(harness.log.contains("input connection closed by libzmq and not retried"), harness.log)
        XCTAssertEqual(harness.stop(), 0)
    }

    func testPublisherRestartIsNotCountedAsReconnect() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start()
        try harness.send(series: "s", timestamps: 0..<2) { Double($0) }
        XCTAssertTrue(try waitForAccepted(harness, atLeast: 2))

        // An ordinary drop: libzmq retries on its own, so the daemon leaves it alone.
        try harness.publisher.unbind(harness.inputEndpoint)
        Thread.sleep(forTimeInterval: 1.5)
        try harness.publisher.bind(harness.inputEndpoint)
        let restored = try sendUntilAccepted(harness, series: "s", from: 2, atLeast: 3)
        XCTAssertTrue(restored, "libzmq did not reconnect after the publisher came back; log:\n\(harness.log)")
        XCTAssertEqual(try statusObject(harness)["input_reconnects"] as? Int, 0)
        XCTAssertEqual(harness.stop(), 0)
    }

    func testTCPRestartAndOversizedMessage() throws {
        // Over TCP, libzmq's events spell the address two ways (127.0.0.1 and
        // [::ffff:127.0.0.1]), which must not make a restart look like a drop for good.
        let folder = try makeTemporaryFolder(self)
        let context = try Context()
        var publisher = try tcpPublisher(context, endpoint: "tcp://127.0.0.1:*")
        let endpoint = try publisher.lastEndpoint()
        let config = folder.appendingPathComponent("tcp.yaml").path
        let control = "ipc://\(folder.path)/control"
        try """
        input:
          connect: ["\(endpoint)"]
        output:
          bind: ["ipc://\(folder.path)/out"]
        control:
          bind: "\(control)"
        state_dir: "\(folder.path)/state"
        limits:
          max_message_bytes: 1000
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(configPath: config, folder: folder)
        let cli = try DaemonHarness(test: self, extra: "")
        try awaitSubscription(publisher)

        var next = 0
        func sendUntilAccepted(_ count: Int) throws -> Bool {
            let deadline = Date(timeIntervalSinceNow: 15)
            while Date() < deadline {
                _ = try publisher.send(strings: ["tcp", "\(next) 1"])
                next += 1
                if (try status(cli, control)["points_accepted"] as? Int ?? 0) >= count { return true }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }
        XCTAssertTrue(try sendUntilAccepted(1), daemon.log)

        publisher.close()
        Thread.sleep(forTimeInterval: 1.5)
        publisher = try tcpPublisher(context, endpoint: endpoint)
        XCTAssertTrue(try sendUntilAccepted(2), "no point after the publisher came back; log:\n\(daemon.log)")
        XCTAssertEqual(try status(cli, control)["input_reconnects"] as? Int, 0, daemon.log)

        _ = try publisher.send([Array("big".utf8), [UInt8](repeating: 0x31, count: 5000)])
        XCTAssertTrue(try sendUntilAccepted(3), "no point after the large message; log:\n\(daemon.log)")
        XCTAssertEqual(try status(cli, control)["input_reconnects"] as? Int, 1, daemon.log)
        publisher.close()
        XCTAssertEqual(daemon.terminate(), 0)
    }

    private func tcpPublisher(_ context: Context, endpoint: String) throws -> Socket {
        let publisher = try Socket(context: context, type: .extendedPublisher)
        try publisher.setNoDrop(true)
        try publisher.setLinger(milliseconds: 0)
        try publisher.bind(endpoint)
        return publisher
    }

    private func awaitSubscription(_ publisher: Socket) throws {
        try publisher.setReceiveTimeout(milliseconds: 200)
        let deadline = Date(timeIntervalSinceNow: 20)
        while Date() < deadline {
            if case .done(let frames) = try publisher.receive(), frames.first?.first == 1 { return }
        }
        XCTFail("lstmcastd did not subscribe over TCP within 20 s")
    }

    private func status(_ harness: DaemonHarness, _ control: String) throws -> [String: Any] {
        let reply = try harness.runCLI(["status", "--json", "--control", control])
        return (try? JSONSerialization.jsonObject(with: Data(reply.output.utf8)) as? [String: Any]) ?? [:]
    }

    /// Sends one point a time to `series`, timestamps counting up from
    /// `first`, until the daemon has accepted `count` points in all; false
    /// after 15 s.
    private func sendUntilAccepted(
        _ harness: DaemonHarness, series: String, from first: Int, atLeast count: Int
    ) throws -> Bool {
        var next = first
        let deadline = Date(timeIntervalSinceNow: 15)
        while Date() < deadline {
            try harness.send(series: series, timestamps: next..<(next + 1)) { Double($0) }
            next += 1
            if try waitForAccepted(harness, atLeast: count, seconds: 0.2) { return true }
        }
        return false
    }

    private func waitForAccepted(_ harness: DaemonHarness, atLeast count: Int, seconds: Double = 10) throws -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        repeat {
            if (try statusObject(harness)["points_accepted"] as? Int ?? 0) >= count { return true }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return false
    }

    private func statusObject(_ harness: DaemonHarness) throws -> [String: Any] {
        let reply = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
        XCTAssertEqual(reply.status, 0, reply.output)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(reply.output.utf8)) as? [String: Any])
    }
}
