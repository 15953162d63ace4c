import Foundation
import LSTMKit
import XCTest

/// The daemon's log format under systemd and on a terminal.
final class LoggingTests: XCTestCase {
    func testJournalStreamAddsSyslogPriority() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start(environment: ["JOURNAL_STREAM": "8:12345"])
        try harness.publisher.send(strings: ["s", "not-a-number"])
        let deadline = Date(timeIntervalSinceNow: 10)
        while !harness.log.contains("reason=not_a_number") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let daemon = try XCTUnwrap(harness.daemon)
        XCTAssertEqual(harness.stop(), 0)

        let log = daemon.log
        let lines = log.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("<6>info: lstmcastd started ") }, log)
        let fastest = ActivationKernel.avx2.isSupported ? "avx2" : "baseline"
        XCTAssertTrue(log.contains("activations=\(fastest)"), "the start line names the build it picked: \(log)")
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("<4>warning: input message rejected") && $0.contains("reason=not_a_number") }, log)
        for line in lines {
            XCTAssertTrue(line.hasPrefix("<"), "a line without priority: \(line)")
        }
    }

    func testEnvironmentForcesThePortableActivations() throws {
        let log = try startAndStop(activations: "baseline")
        let started = log.split(separator: "\n").first { $0.contains("lstmcastd started") }
        XCTAssertTrue(started?.contains("activations=baseline") ?? false, log)
    }

    func testUnknownActivationsValueWarns() throws {
        let log = try startAndStop(activations: "avx-9000")
        XCTAssertTrue(log.contains("warning: LSTMCAST_ACTIVATIONS names no activation build this CPU runs"), log)
        XCTAssertTrue(log.contains("requested=avx-9000"), log)
    }

    /// Starts a daemon with `LSTMCAST_ACTIVATIONS` set, stops it once it has
    /// logged its start, and returns its log.
    private func startAndStop(activations: String) throws -> String {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start(environment: ["LSTMCAST_ACTIVATIONS": activations])
        let deadline = Date(timeIntervalSinceNow: 10)
        while !harness.log.contains("lstmcastd started") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let daemon = try XCTUnwrap(harness.daemon)
        XCTAssertEqual(harness.stop(), 0)
        return daemon.log
    }

    func testLastBurstOfRejectionsIsSummarised() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start()
        for _ in 0..<5 { try harness.publisher.send(strings: ["s", "not-a-number"]) }
        // The first line is logged at once and the other four are held for the
        // 10-second interval; with no later rejection, the summary comes anyway.
        let deadline = Date(timeIntervalSinceNow: 20)
        while !harness.log.contains("repeats=3") && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        let daemon = try XCTUnwrap(harness.daemon)
        XCTAssertEqual(harness.stop(), 0)
        let lines = daemon.log.split(separator: "\n").filter { $0.contains("reason=not_a_number") }
        XCTAssertEqual(lines.count, 2, daemon.log)
        XCTAssertTrue(lines.last?.hasSuffix("repeats=3") ?? false, daemon.log)
    }

    func testLogLevelWarningHidesInfo() throws {
        let harness = try DaemonHarness(test: self, extra: "log:\n  level: warning")
        try harness.start()
        try harness.publisher.send(strings: ["s", "not-a-number"])
        let deadline = Date(timeIntervalSinceNow: 10)
        while !harness.log.contains("reason=not_a_number") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let daemon = try XCTUnwrap(harness.daemon)
        XCTAssertEqual(harness.stop(), 0)
        XCTAssertTrue(daemon.log.contains("warning: input message rejected"), daemon.log)
        XCTAssertFalse(daemon.log.contains("info: lstmcastd started"), daemon.log)
    }
}
