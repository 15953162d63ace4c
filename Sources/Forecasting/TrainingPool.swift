import Foundation

/// Runs training jobs on a fixed number of worker threads and hands the
/// outcomes back to the thread that polls `takeFinished()`.
///
/// The caller's thread never waits for a training: it submits, goes on
/// forecasting with the current model, and installs each outcome when it
/// next polls, which is what makes the model swap atomic for the forecaster.
public final class TrainingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [TrainingJob] = []
    private var finished: [TrainingOutcome] = []
    private var running = 0
    private var stopping = false
    private var liveThreads = 0
    public let workers: Int

    /// `threadStart` runs first on each worker thread, for example to set its priority.
    public init(workers: Int, threadStart: @escaping @Sendable () -> Void = {}) {
        self.workers = max(1, workers)
        for index in 0..<self.workers {
            let thread = Thread { [self] in
                threadStart()
                workerLoop()
            }
            thread.name = "lstmcast-train-\(index)"
            // Training a 50-unit LSTM needs little stack, but Swift's default for
            // secondary threads is small; 8 MiB matches the main thread.
            thread.stackSize = 8 << 20
            liveThreads += 1
            thread.start()
        }
    }

    private func workerLoop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopping { condition.wait() }
            if stopping {
                liveThreads -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = pending.removeFirst()
            running += 1
            condition.unlock()

            let outcome = job.run { [self] in
                condition.lock()
                defer { condition.unlock() }
                return !stopping
            }

            condition.lock()
            running -= 1
            finished.append(outcome)
            condition.unlock()
        }
    }

    public func submit(_ job: TrainingJob) {
        condition.lock()
        pending.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Removes and returns the outcomes that finished since the last call.
    public func takeFinished() -> [TrainingOutcome] {
        condition.lock()
        defer { condition.unlock() }
        let result = finished
        finished.removeAll()
        return result
    }

    /// Jobs queued or training right now.
    public var activeCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count + running
    }

    /// Drops queued jobs, asks running ones to stop at their next epoch, and
    /// waits up to `timeout` seconds for the workers to exit. Returns false if
    /// a worker was still training when the time ran out.
    @discardableResult
    public func shutdown(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        pending.removeAll()
        condition.broadcast()
        while liveThreads > 0 {
            if !condition.wait(until: deadline) { return liveThreads == 0 }
        }
        return true
    }
}
