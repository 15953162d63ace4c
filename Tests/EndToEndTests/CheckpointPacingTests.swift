import Forecasting
import Foundation
import XCTest

/// Checkpoint writes during a burst of trainings: paced, superseded by newer
/// ones of the same series, and all written at shutdown.
final class CheckpointPacingTests: XCTestCase {
    private let seriesCount = 300

    func testBurstPacedThenDrained() throws {
        let harness = try DaemonHarness(
            test: self,
            extra: """
                model:
                  n_step: 3
                  hidden: [2]
                training:
                  window: 40
                  epochs: 1
                  validation_fraction: 0
                retrain:
                  min_points: 10
                  every_points: 10
                  workers: 2
                forecast:
                  horizon: 2
                """)
        try harness.start()
        let names = (0..<seriesCount).map { "s\($0)" }
        // Ten points per series start one training each, and ten more a second.
        for batch in [0..<10, 10..<20] {
            for name in names {
                try harness.send(series: name, timestamps: batch) { Double($0 % 7) }
            }
            Thread.sleep(forTimeInterval: 0.2)
        }

        var sawPending = false
        var status: [String: Any] = [:]
        let deadline = Date(timeIntervalSinceNow: 60)
        repeat {
            status = try statusObject(harness)
            if (status["checkpoints_pending"] as? Int ?? 0) > 0 { sawPending = true }
            if secondModelsInstalled(status) == seriesCount && (status["trainings_active"] as? Int) == 0 { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        XCTAssertEqual(secondModelsInstalled(status), seriesCount, "every series trained twice; log:\n\(harness.log)")
        XCTAssertTrue(sawPending, "600 trainings at once should queue checkpoints at 100 writes per second")
        let written = status["checkpoints_written"] as? Int ?? 0
        XCTAssertLessThan(written, 2 * seriesCount, "600 checkpoints written within the trainings means no pacing")
        XCTAssertGreaterThan(
            status["checkpoints_superseded"] as? Int ?? 0, 0,
            "a second training while the first checkpoint waits should replace it")

        XCTAssertEqual(harness.stop(), 0)
        let store = CheckpointStore(folder: harness.stateFolder)
        for name in names {
            let checkpoint = try store.read(path: harness.stateFolder + "/\(name).ckpt")
            XCTAssertEqual(checkpoint.header.values.count, 20, "\(name): the window at shutdown")
            XCTAssertEqual(checkpoint.header.model?.version, 2, "\(name): the newest model")
        }
    }

    private func statusObject(_ harness: DaemonHarness) throws -> [String: Any] {
        let reply = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
        XCTAssertEqual(reply.status, 0, reply.output)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(reply.output.utf8)) as? [String: Any])
    }

    private func secondModelsInstalled(_ status: [String: Any]) -> Int {
        let series = status["series"] as? [[String: Any]] ?? []
        return series.filter { (($0["model"] as? [String: Any])?["version"] as? Int) == 2 }.count
    }
}
