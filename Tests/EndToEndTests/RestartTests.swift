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
