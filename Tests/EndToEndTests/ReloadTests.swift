import Foundation
import XCTest

/// Reloading a running daemon through the real CLI and control socket.
final class ReloadTests: XCTestCase {
    static let smallModel = """
        model:
          n_step: 5
          hidden: [4]
        training:
          window: 60
          epochs: 3
          validation_fraction: 0
        retrain:
          min_points: 30
          every_points: 100000
        """

    private func startTrained(horizon expected: Int) throws -> DaemonHarness {
        let harness = try DaemonHarness(test: self, extra: Self.smallModel + "\nforecast:\n  horizon: \(expected)")
        try harness.start()
        try harness.send(series: "wave", timestamps: 0..<40) { sin(Double($0) / 3) }
        let first = try harness.nextForecast(within: 30)
        XCTAssertEqual(horizon(of: first), expected, "no first forecast; log:\n\(harness.log)")
        return harness
    }

    func testInvalidReloadKeepsOldConfiguration() throws {
        let harness = try startTrained(horizon: 5)
        try harness.writeConfig(extra: Self.smallModel.replacingOccurrences(of: "epochs: 3", with: "epochs: lots"))

        let reload = try harness.runCLI(["reload", "--control", harness.controlEndpoint])
        XCTAssertEqual(reload.status, 1, reload.output)
        XCTAssertTrue(
            reload.output.contains("\(harness.configPath):13:11: error: 'training.epochs' must be an integer, got 'lots'"),
            reload.output)

        try harness.send(series: "wave", timestamps: 40..<41) { sin(Double($0) / 3) }
        let next = try harness.nextForecast(within: 10) { ($0["ts"] as? NSNumber)?.intValue == 40 }
        XCTAssertEqual(horizon(of: next), 5, "the daemon stopped serving after a bad reload; log:\n\(harness.log)")
        XCTAssertTrue(harness.log.contains("configuration reload failed"), harness.log)
        XCTAssertEqual(harness.stop(), 0)
    }

    func testValidReloadChangesNextForecastHorizon() throws {
        let harness = try startTrained(horizon: 5)
        try harness.writeConfig(extra: Self.smallModel + "\nforecast:\n  horizon: 8")

        let reload = try harness.runCLI(["reload", "--control", harness.controlEndpoint])
        XCTAssertEqual(reload.status, 0, reload.output)

        try harness.send(series: "wave", timestamps: 40..<41) { sin(Double($0) / 3) }
        let next = try harness.nextForecast(within: 10) { ($0["ts"] as? NSNumber)?.intValue == 40 }
        XCTAssertEqual(horizon(of: next), 8, "log:\n\(harness.log)")
        XCTAssertEqual(modelVersion(of: next), 1, "a horizon change must not retrain")
        XCTAssertTrue(harness.log.contains("setting changed key=forecast.horizon old=5 new=8"), harness.log)
        XCTAssertEqual(harness.stop(), 0)
    }

    func testStatusReportsSeriesAndReloadCounts() throws {
        let harness = try startTrained(horizon: 5)
        let status = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
        XCTAssertEqual(status.status, 0, status.output)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        XCTAssertEqual((object["points_accepted"] as? NSNumber)?.intValue, 40)
        let series = try XCTUnwrap(object["series"] as? [[String: Any]])
        XCTAssertEqual(series.first?["name"] as? String, "wave")
        XCTAssertEqual(((series.first?["model"] as? [String: Any])?["version"] as? NSNumber)?.intValue, 1)
        // Without a validation split there is no backtest, so the network forecasts.
        XCTAssertEqual((series.first?["model"] as? [String: Any])?["method"] as? String, "network")
        // The reply is written by hand, so check that each JSON type comes out as such and keys are sorted.
        XCTAssertTrue(series.first?["segment_start"] is NSNull)
        XCTAssertEqual(series.first?["stale"] as? Bool, false)
        XCTAssertNotNil(series.first?["last_ts"] as? NSNumber)
        XCTAssertEqual((object["rejected"] as? [String: Any])?.count, 0)
        let keys = ["\"checkpoints_failed\"", "\"config\"", "\"forecasts_published\"", "\"ok\"", "\"series\""]
        let positions = keys.compactMap { status.output.range(of: $0)?.lowerBound }
        XCTAssertEqual(positions.count, keys.count, status.output)
        XCTAssertEqual(positions, positions.sorted(), "top-level keys are sorted")

        let table = try harness.runCLI(["status", "--control", harness.controlEndpoint])
        XCTAssertEqual(table.status, 0, table.output)
        XCTAssertTrue(table.output.contains("wave"), table.output)
        XCTAssertTrue(table.output.contains("forecasting"), table.output)
        XCTAssertTrue(table.output.contains("METHOD"), table.output)
        let outputFile = String(harness.outputEndpoint.dropFirst("ipc://".count))
        XCTAssertTrue(FileManager.default.fileExists(atPath: outputFile))
        XCTAssertEqual(harness.stop(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: outputFile), "the daemon removes its ipc socket files on exit")
    }

    func testReloadWithoutDaemonFailsWithHint() throws {
        let folder = try makeTemporaryFolder(self)
        let result = try DaemonHarness(test: self, extra: "").runCLI([
            "reload", "--control", "ipc://\(folder.path)/nobody", "--timeout", "0.5",
        ])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.output.contains("no lstmcastd control socket at"), result.output)
    }
}

/// Background threads yield the CPU to the threads that read points and publish forecasts.
final class ThreadPriorityTests: XCTestCase {
    /// Returns the nice value of each of a process's threads by thread id, from /proc.
    private func niceValues(of pid: Int32) throws -> [Int32: Int] {
        var values: [Int32: Int] = [:]
        for task in try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                let end = stat.range(of: ")", options: .backwards), let id = Int32(task)
            else { continue }
            // The command name sits in parentheses and may contain spaces; field 3 follows it, and nice is field 19.
            let fields = stat[end.upperBound...].split(separator: " ")
            values[id] = Int(fields[19 - 3])
        }
        return values
    }

    func testTrainingAndCheckpointThreadsRunNiced() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        let pid = try XCTUnwrap(harness.daemon?.process.processIdentifier)
        // The threads lower their own priority when they start, so allow them a moment.
        var nice = try niceValues(of: pid)
        let deadline = Date(timeIntervalSinceNow: 5)
        while nice.values.filter({ $0 >= 10 }).count < 3 && Date() < deadline {
            usleep(50_000)
            nice = try niceValues(of: pid)
        }
        XCTAssertEqual(nice.values.filter { $0 >= 10 }.count, 3, "two training workers and the checkpoint writer: \(nice)")
        XCTAssertEqual(nice[pid], 0, "the main thread keeps its priority")
        XCTAssertEqual(harness.stop(), 0)
    }
}

/// CLI outcomes that must not pass for success.
final class CLIOutcomeTests: XCTestCase {
    func testControlAndConfigTogetherAreRejected() throws {
        let folder = try makeTemporaryFolder(self)
        let result = try DaemonHarness(test: self, extra: "").runCLI([
            "status", "--control", "ipc://\(folder.path)/control", "--config", "config/lstmcast.yaml",
        ])
        XCTAssertEqual(result.status, 64, result.output)
        XCTAssertTrue(result.output.contains("not both"), result.output)
    }

    func testTCPControlEndpointIsRejectedAtOnce() throws {
        let started = Date()
        let result = try DaemonHarness(test: self, extra: "").runCLI(["status", "--control", "tcp://127.0.0.1:1"])
        XCTAssertEqual(result.status, 64, result.output)
        XCTAssertTrue(result.output.contains("is not an ipc:// path"), result.output)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the CLI waited for a reply that cannot come")
    }

    func testTapWithoutForecastsFailsAfterTimeout() throws {
        let folder = try makeTemporaryFolder(self)
        let result = try DaemonHarness(test: self, extra: "").runCLI([
            "tap", "--endpoint", "ipc://\(folder.path)/silent", "--count", "1", "--timeout", "0.5",
        ])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("0 of 1 forecasts arrived"), result.output)
    }

    func testRetrainThatCannotStartSaysSo() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        try harness.send(series: "young", timestamps: 0..<3) { Double($0) }
        // Wait until the daemon has the series, then ask for a retrain it cannot start yet.
        let deadline = Date(timeIntervalSinceNow: 10)
        var reply = (status: Int32(-1), output: "")
        while Date() < deadline {
            reply = try harness.runCLI(["retrain", "young", "--control", harness.controlEndpoint])
            if reply.status == 0 { break }
            usleep(100_000)
        }
        XCTAssertEqual(reply.status, 0, reply.output)
        XCTAssertTrue(reply.output.contains("0 started now; none could start now"), reply.output)
        XCTAssertEqual(harness.stop(), 0)
    }
}
