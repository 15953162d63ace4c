import Forecasting
import Foundation
import XCTest

/// Checkpoints across restarts and crashes of the real daemon.
final class RestartTests: XCTestCase {
    func testRestartForecastsFromCheckpointWithoutTraining() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel + "\nforecast:\n  horizon: 6")
        try harness.start()
        try harness.send(series: "wave", timestamps: 0..<40) { sin(Double($0) / 3) }
        let before = try harness.nextForecast(within: 30)
        XCTAssertEqual(modelVersion(of: before), 1, "no forecast before the restart; log:\n\(harness.log)")
        XCTAssertEqual(harness.stop(), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: harness.stateFolder + "/wave.ckpt"))

        try harness.start()
        try harness.send(series: "wave", timestamps: 40..<41) { sin(Double($0) / 3) }
        let after = try harness.nextForecast(within: 3) { ($0["ts"] as? NSNumber)?.intValue == 40 }
        XCTAssertEqual(modelVersion(of: after), 1, "no forecast within 3 s of the first new point; log:\n\(harness.log)")
        XCTAssertEqual(horizon(of: after), 6)
        XCTAssertTrue(harness.log.contains("checkpoint restored series=wave points=40 model.version=1"), harness.log)
        XCTAssertEqual(harness.log.components(separatedBy: "model trained").count - 1, 1, "the restart retrained")
        XCTAssertEqual(harness.stop(), 0)
    }

    func testShutdownRewritesOnlyChangedSeries() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        for name in ["a", "b", "c"] {
            try harness.send(series: name, timestamps: 0..<40) { sin(Double($0) / 3) }
        }
        XCTAssertNotNil(try harness.nextForecast(within: 30), "no model trained; log:\n\(harness.log)")
        XCTAssertEqual(harness.stop(), 0)

        // A restart that receives nothing has nothing new to write.
        try harness.start()
        XCTAssertEqual(harness.stop(), 0)
        XCTAssertTrue(stoppedLine(harness.folder).contains("checkpoints.written=0 checkpoints.written_at_stop=0 checkpoints.up_to_date=3"), harness.log)

        // One new point for one series: only that series is written again.
        let unchangedFile = harness.stateFolder + "/a.ckpt"
        let before = try FileManager.default.attributesOfItem(atPath: unchangedFile)[.modificationDate] as? Date
        try harness.start()
        try harness.send(series: "b", timestamps: 40..<41) { sin(Double($0) / 3) }
        _ = try harness.nextForecast(within: 10) { ($0["series"] as? String) == "b" && ($0["ts"] as? NSNumber)?.intValue == 40 }
        XCTAssertEqual(harness.stop(), 0)
        XCTAssertTrue(stoppedLine(harness.folder).contains("checkpoints.written=1 checkpoints.written_at_stop=1 checkpoints.up_to_date=2"), harness.log)
        let after = try FileManager.default.attributesOfItem(atPath: unchangedFile)[.modificationDate] as? Date
        XCTAssertEqual(before, after, "an unchanged series' checkpoint was rewritten")
        let restored = try CheckpointStore(folder: harness.stateFolder).read(path: harness.stateFolder + "/b.ckpt")
        XCTAssertEqual(restored.header.timestamps.last, 40, "the changed series keeps its new point")
    }

    /// Returns the last "lstmcastd stopped" line of the daemon's log in `folder`.
    private func stoppedLine(_ folder: URL) -> String {
        let log = (try? String(contentsOf: folder.appendingPathComponent("lstmcastd.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").last { $0.contains("lstmcastd stopped") }.map(String.init) ?? ""
    }

    /// Kills the daemon with SIGKILL at random moments while it retrains and
    /// checkpoints after every point; every checkpoint left must still load.
    func testKillDuringCheckpointWritesLeavesLoadableCheckpoints() throws {
        let harness = try DaemonHarness(
            test: self,
            extra: """
                model:
                  n_step: 4
                  hidden: [3]
                training:
                  window: 40
                  epochs: 1
                  validation_fraction: 0
                retrain:
                  min_points: 10
                  every_points: 1
                forecast:
                  horizon: 3
                """)
        var generator = SystemRandomNumberGenerator()
        var next = 0
        for round in 0..<15 {
            try harness.start()
            try harness.send(series: "wave", timestamps: next..<(next + 40)) { sin(Double($0) / 3) }
            next += 40
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.4, using: &generator))
            let pid = harness.daemon!.process.processIdentifier
            kill(pid, SIGKILL)
            harness.daemon!.process.waitUntilExit()
            _ = harness.stop()

            let names = (try? FileManager.default.contentsOfDirectory(atPath: harness.stateFolder)) ?? []
            let store = CheckpointStore(folder: harness.stateFolder)
            for name in names where name.hasSuffix(".ckpt") {
                XCTAssertNoThrow(try store.read(path: harness.stateFolder + "/" + name), "round \(round): \(name)")
            }
        }
        let survivor = try CheckpointStore(folder: harness.stateFolder).read(path: harness.stateFolder + "/wave.ckpt")
        XCTAssertNotNil(survivor.header.model, "no model was ever checkpointed; log:\n\(harness.log)")
    }
}
