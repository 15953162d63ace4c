import Forecasting
import Foundation
import ZeroMQ

/// Runs forecasts and writes their JSON on a thread of its own, so the main
/// loop keeps reading points while many series forecast at once.
///
/// Requests run one at a time in the order they came, so each series'
/// forecasts leave in order and no model runs two forecasts at once. When a
/// result is ready while none was waiting, a message on `doorbell` wakes the
/// main loop's poller.
final class ForecastWorker: @unchecked Sendable {
    /// Finished forecasts with their JSON body.
    typealias Finished = (forecast: Forecast, body: String)

    /// The socket the main loop polls; it carries one empty message per wake-up.
    let doorbell: Socket
    private let bell: Socket
    private let condition = NSCondition()
    private var queue: [ForecastRequest] = []
    private var queueStart = 0
    private var finished: [Finished] = []
    private var running = 0
    private var stopping = false
    private var exited = false
    /// Requests queued before `submit` waits. A daemon asked to forecast faster
    /// than it can then stops reading input, and libzmq's queue absorbs the
    /// excess, instead of this queue growing without bound.
    static let maximumQueued = 1024

    init(context: Context) throws {
        let endpoint = "inproc://lstmcast-forecasts-\(UUID().uuidString)"
        doorbell = try Socket(context: context, type: .pull)
        try doorbell.setLinger(milliseconds: 0)
        try doorbell.bind(endpoint)
        bell = try Socket(context: context, type: .push)
        try bell.setLinger(milliseconds: 0)
        try bell.connect(endpoint)
        // The thread keeps the worker alive until it exits.
        let thread = Thread { self.work() }
        thread.name = "forecasts"
        thread.start()
    }

    /// Queues a request, waiting while `maximumQueued` are already queued.
    func submit(_ request: ForecastRequest) {
        condition.lock()
        while queue.count - queueStart >= Self.maximumQueued && !exited { condition.wait() }
        queue.append(request)
        condition.broadcast()
        condition.unlock()
    }

    /// Returns the forecasts finished since the last call, oldest first.
    func takeFinished() -> [Finished] {
        drainDoorbell()
        condition.lock()
        defer { condition.unlock() }
        let ready = finished
        finished.removeAll(keepingCapacity: true)
        return ready
    }

    /// Requests queued or running.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - queueStart + running
    }

    /// Waits until every queued request has finished, at most `timeout`
    /// seconds. Returns false when time ran out first.
    func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while queue.count - queueStart + running > 0 {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Stops the thread after the request it is running, waiting for it at
    /// most `timeout` seconds; queued requests are dropped. Call it once, from
    /// the main loop's thread, after the last `takeFinished`.
    func stop(timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        stopping = true
        condition.broadcast()
        while !exited {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
        doorbell.close()
    }

    private func drainDoorbell() {
        var message = ReceivedMessage()
        while (try? doorbell.receive(into: &message, blocking: false)) == true {}
    }

    private func work() {
        while let request = next() {
            let forecast = request.run()
            let body = forecast.json()
            condition.lock()
            running -= 1
            let wasEmpty = finished.isEmpty
            finished.append((forecast, body))
            condition.broadcast()
            condition.unlock()
            // One wake-up per batch: the main loop takes every finished forecast at once.
            if wasEmpty { _ = try? bell.send([[]], blocking: false) }
        }
        bell.close()
        condition.lock()
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the next request; nil once `stop` was called.
    private func next() -> ForecastRequest? {
        condition.lock()
        defer { condition.unlock() }
        while queue.count == queueStart && !stopping { condition.wait() }
        if stopping { return nil }
        let request = queue[queueStart]
        queueStart += 1
        // Drop the taken requests once they are most of the array, so it does not grow for ever.
        if queueStart >= 256 && queueStart * 2 >= queue.count {
            queue.removeFirst(queueStart)
            queueStart = 0
        }
        running += 1
        return request
    }
}
