import Forecasting
import Foundation
import LSTMKit

/// Writes checkpoints on a thread of its own, at background priority, so an
/// fsync never holds up the main loop. Writes keep the order they came in.
final class CheckpointWriter: @unchecked Sendable {
    let store: CheckpointStore
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Checkpoint] = []
    private var writing = false
    private var written = 0
    private var failed = 0

    init(store: CheckpointStore, logger: Logger) {
        self.store = store
        self.logger = logger
        // The thread lives as long as the process, which exits without joining it.
        let thread = Thread { [self] in
            ThreadPriority.lowerCurrentThread(by: ThreadPriority.background)
            work()
        }
        thread.name = "lstmcast-checkpoints"
        thread.start()
    }

    func submit(_ checkpoint: Checkpoint) {
        condition.lock()
        queue.append(checkpoint)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for queued writes; returns false if they did not finish in `timeout` seconds.
    func drain(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !queue.isEmpty || writing {
            if !condition.wait(until: deadline) { return queue.isEmpty && !writing }
        }
        return true
    }

    var counts: (written: Int, failed: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (written, failed)
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let checkpoint = queue.removeFirst()
            writing = true
            condition.unlock()

            let succeeded = write(checkpoint)

            condition.lock()
            writing = false
            if succeeded { written += 1 } else { failed += 1 }
            condition.broadcast()
            condition.unlock()
        }
    }

    private func write(_ checkpoint: Checkpoint) -> Bool {
        do {
            try store.write(checkpoint)
            logger.debug(
                "checkpoint written",
                ["series": checkpoint.header.series, "model.version": checkpoint.header.model?.version ?? 0])
            return true
        } catch {
            logger.rateLimited(
                "checkpoint.\(checkpoint.header.series)", interval: 60, .error,
                "checkpoint write failed; the series will retrain after a restart; check state_dir's space and permissions",
                ["series": checkpoint.header.series, "error": "\(error)"])
            return false
        }
    }
}
