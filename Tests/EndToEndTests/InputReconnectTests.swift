import Foundation
import XCTest

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
        var next = 0
        let deadline = Date(timeIntervalSinceNow: 15)
        var restored = false
        while Date() < deadline && !restored {
            try harness.send(series: "after", timestamps: next..<(next + 1)) { Double($0) }
            next += 1
            restored = try waitForAccepted(harness, atLeast: 4, seconds: 0.2)
        }
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
        var next = 2
        let deadline = Date(timeIntervalSinceNow: 15)
        var restored = false
        while Date() < deadline && !restored {
            try harness.send(series: "s", timestamps: next..<(next + 1)) { Double($0) }
            next += 1
            restored = try waitForAccepted(harness, atLeast: 3, seconds: 0.2)
        }
        XCTAssertTrue(restored, "libzmq did not reconnect after the publisher came back; log:\n\(harness.log)")
        XCTAssertEqual(try statusObject(harness)["input_reconnects"] as? Int, 0)
        XCTAssertEqual(harness.stop(), 0)
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
