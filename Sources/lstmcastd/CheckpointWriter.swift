import Forecasting
import Foundation
import LSTMKit

/// Writes checkpoints on a thread of its own, at background priority, so an
/// fsync never holds up the main loop.
///
/// Series are written in the order they were first queued. A checkpoint
/// queued while an older one of the same series still waits replaces it,
/// because the newer one carries the whole newer state. Outside shutdown
/// the writes are paced to `writesPerSecond`.
final class CheckpointWriter: @unchecked Sendable {
    /// The first trainings of many new series finish together. Writing all
    /// of their files at once took a core's worth of time from the threads
    /// that read points and publish forecasts, because each write creates a
    /// file and waits on two fsyncs. A paced write is late by queue length ÷
    /// this rate, and `drain` writes the rest without pause.
    static let writesPerSecond = 100.0

    let store: CheckpointStore
    private let logger: Logger
    private let condition = NSCondition()
    private var waiting: [String: Checkpoint] = [:]
    private var order: [String] = []
    private var orderStart = 0
    private var draining = false
    private var writing = false
    private var written = 0
    private var failed = 0
    private var superseded = 0

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
        let series = checkpoint.header.series
        condition.lock()
        if waiting.updateValue(checkpoint, forKey: series) == nil {
            order.append(series)
        } else {
            superseded += 1
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Writes every queued checkpoint without pacing, and every later one
    /// too; returns false if the queue did not empty within `timeout` seconds.
    func drain(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        draining = true
        condition.broadcast()
        while !waiting.isEmpty || writing {
            if !condition.wait(until: deadline) { return waiting.isEmpty && !writing }
        }
        return true
    }

    /// Checkpoints written and failed so far, those queued, and those
    /// replaced by a newer one of the same series before their turn.
    var counts: (written: Int, failed: Int, pending: Int, superseded: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (written, failed, waiting.count, superseded)
    }

    private func work() {
        var nextWrite = Date.distantPast
        while true {
            condition.lock()
            while waiting.isEmpty || (!draining && Date() < nextWrite) {
                if waiting.isEmpty {
                    condition.wait()
                } else {
                    _ = condition.wait(until: nextWrite)
                }
            }
            let checkpoint = takeFirst()
            writing = true
            condition.unlock()

            let started = Date()
            let succeeded = write(checkpoint)
            nextWrite = started.addingTimeInterval(1 / Self.writesPerSecond)

            condition.lock()
            writing = false
            if succeeded { written += 1 } else { failed += 1 }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Removes and returns the oldest queued series' checkpoint; the lock is held.
    private func takeFirst() -> Checkpoint {
        let series = order[orderStart]
        orderStart += 1
        // Dropping the consumed names now and then keeps removal O(1) on average.
        if orderStart >= 1024 && orderStart * 2 >= order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
        return waiting.removeValue(forKey: series)!
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
