import Forecasting
import Foundation
import LSTMKit

/// Writes checkpoints on a background queue so an fsync never holds up the
/// main loop; writes to the same series keep their order.
final class CheckpointWriter: @unchecked Sendable {
    let store: CheckpointStore
    private let queue = DispatchQueue(label: "lstmcast.checkpoints")
    private let logger: Logger
    private let lock = NSLock()
    private var written = 0
    private var failed = 0

    init(store: CheckpointStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    func submit(_ checkpoint: Checkpoint) {
        queue.async { [self] in write(checkpoint) }
    }

    /// Writes now on the calling thread, after any queued writes.
    func writeNow(_ checkpoint: Checkpoint) {
        queue.sync { write(checkpoint) }
    }

    /// Waits for queued writes; returns false if they did not finish in `timeout` seconds.
    func drain(timeout: Double) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeout) == .success
    }

    var counts: (written: Int, failed: Int) {
        lock.withLock { (written, failed) }
    }

    private func write(_ checkpoint: Checkpoint) {
        do {
            try store.write(checkpoint)
            lock.withLock { written += 1 }
            logger.debug(
                "checkpoint written",
                ["series": checkpoint.header.series, "model.version": checkpoint.header.model?.version ?? 0])
        } catch {
            lock.withLock { failed += 1 }
            logger.rateLimited(
                "checkpoint.\(checkpoint.header.series)", interval: 60, .error,
                "checkpoint write failed; the series will retrain after a restart; check state_dir's space and permissions",
                ["series": checkpoint.header.series, "error": "\(error)"])
        }
    }
}
