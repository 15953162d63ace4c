import Foundation
import XCTest
import ZeroMQ

/// A second daemon on the same state_dir or control socket must not start.
final class SingleInstanceTests: XCTestCase {
    func testSecondDaemonOnSameStateFolderExitsWithError() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start()

        let second = Process()
        second.executableURL = productsFolder().appendingPathComponent("lstmcastd")
        second.arguments = ["--config", harness.configPath]
        let pipe = Pipe()
        second.standardError = pipe
        second.standardOutput = pipe
        try second.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        second.waitUntilExit()

        XCTAssertEqual(second.terminationStatus, 1, output)
        XCTAssertTrue(output.contains("another lstmcastd"), output)
        let status = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
        XCTAssertEqual(status.status, 0, "the first daemon stopped answering: \(status.output)")
        XCTAssertEqual(harness.stop(), 0)
    }

    /// Runs lstmcastd with `config`, which is expected to refuse to start,
    /// and returns its exit status and output. A daemon that starts anyway
    /// is stopped after 15 s and reported with status -1.
    private func runRejectedStart(config: String) throws -> (status: Int32, output: String) {
        let second = Process()
        second.executableURL = productsFolder().appendingPathComponent("lstmcastd")
        second.arguments = ["--config", config]
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("refused-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        second.standardError = handle
        second.standardOutput = handle
        try second.run()
        let deadline = Date(timeIntervalSinceNow: 15)
        while second.isRunning && Date() < deadline { usleep(50_000) }
        var status = second.isRunning ? -1 : second.terminationStatus
        if second.isRunning {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
            status = -1
        }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Returns whether a subscriber that connects now receives the cached forecast of the running daemon.
    private func newSubscriberGetsForecast(_ harness: DaemonHarness) throws -> Bool {
        let late = try Socket(context: harness.context, type: .subscriber)
        defer { late.close() }
        try late.setLinger(milliseconds: 0)
        try late.setReceiveTimeout(milliseconds: 5_000)
        try late.subscribe("forecast.")
        try late.connect(harness.outputEndpoint)
        guard case .done(let frames) = try late.receive() else { return false }
        return frames.count == 2
    }

    func testRefusedDaemonLeavesRunningOneReachable() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        try harness.send(series: "wave", timestamps: 0..<40) { sin(Double($0) / 3) }
        XCTAssertNotNil(try harness.nextForecast(within: 30), "no first forecast; log:\n\(harness.log)")

        let rejected = try runRejectedStart(config: harness.configPath)
        XCTAssertEqual(rejected.status, 1, rejected.output)
        XCTAssertTrue(try newSubscriberGetsForecast(harness), "the refused daemon took over the output socket")
        XCTAssertEqual(harness.stop(), 0)
    }

    func testSharedOutputEndpointIsRejected() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        let other = harness.folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let config = other.appendingPathComponent("lstmcast.yaml").path
        try """
        input:
          connect: []
          bind: ["ipc://\(other.path)/in"]
        output:
          bind: ["\(harness.outputEndpoint)"]
        control:
          bind: "ipc://\(other.path)/control"
        state_dir: "\(other.path)/state"
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let rejected = try runRejectedStart(config: config)
        XCTAssertEqual(rejected.status, 1, rejected.output)
        XCTAssertTrue(rejected.output.contains("another process is listening on output.bind"), rejected.output)
        XCTAssertEqual(harness.stop(), 0)
    }
}
