import Forecasting
import Foundation
import ZeroMQ

/// Runs forecasts and writes their JSON on threads of their own, so the main
/// loop keeps reading points while many series forecast at once.
///
/// Each series always goes to the same thread, whose requests run one at a
/// time in the order they came, so a series' forecasts leave in order and no
/// model runs two forecasts at once. When a result is ready while none was
/// waiting, a message on `doorbell` wakes the main loop's poller.
final class ForecastWorker: @unchecked Sendable {
    /// Finished forecasts with their JSON body.
    typealias Finished = (forecast: Forecast, body: String)

    /// The socket the main loop polls. It carries one empty message per wake-up.
    let doorbell: Socket
    /// The queue of one thread. The lock of `condition` guards every lane.
    private final class Lane {
        var queue: [ForecastRequest] = []
        var start = 0
        /// Each thread's own end of the doorbell, since a libzmq socket is not thread-safe.
        let bell: Socket

        init(bell: Socket) {
            self.bell = bell
        }

        var waiting: Int { queue.count - start }
    }

    private let lanes: [Lane]
    private let condition = NSCondition()
    private var finished: [Finished] = []
    private var running = 0
    private var stopping = false
    private var threadsRunning = 0
    /// Requests queued per thread before `submit` waits. A daemon asked to
    /// forecast faster than it can then stops reading input, and libzmq's
    /// queue absorbs the excess, instead of these queues growing without bound.
    static let maximumQueued = 512

    init(context: Context, threads: Int) throws {
        let endpoint = "inproc://lstmcast-forecasts-\(UUID().uuidString)"
        doorbell = try Socket(context: context, type: .pull)
        try doorbell.setLinger(milliseconds: 0)
        try doorbell.bind(endpoint)
        var lanes: [Lane] = []
        for _ in 0..<max(1, threads) {
            let bell = try Socket(context: context, type: .push)
            try bell.setLinger(milliseconds: 0)
            try bell.connect(endpoint)
            lanes.append(Lane(bell: bell))
        }
        self.lanes = lanes
        threadsRunning = lanes.count
        for (index, lane) in lanes.enumerated() {
            // The thread keeps the worker alive until it exits.
            let thread = Thread { self.work(lane) }
            thread.name = "forecasts-\(index)"
            thread.start()
        }
    }

    /// Queues a request on its series' thread, waiting while `maximumQueued` are already queued there.
    func submit(_ request: ForecastRequest) {
        var hasher = Hasher()
        hasher.combine(request.series)
        let lane = lanes[Int(UInt(bitPattern: hasher.finalize()) % UInt(lanes.count))]
        condition.lock()
        while lane.waiting >= Self.maximumQueued && threadsRunning > 0 { condition.wait() }
        lane.queue.append(request)
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
        return lanes.reduce(running) { $0 + $1.waiting }
    }

    /// Waits until every queued request has finished, at most `timeout`
    /// seconds. Returns false when time ran out first.
    func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while lanes.reduce(running, { $0 + $1.waiting }) > 0 {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Stops the threads after the requests they are running, waiting at most
    /// `timeout` seconds, and drops queued requests. Call it once, from the
    /// main loop's thread, after the last `takeFinished`.
    func stop(timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        stopping = true
        condition.broadcast()
        while threadsRunning > 0 {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
        doorbell.close()
    }

    private func drainDoorbell() {
        var message = ReceivedMessage()
        while (try? doorbell.receive(into: &message, blocking: false)) == true {}
    }

    private func work(_ lane: Lane) {
        while let request = next(from: lane) {
            let forecast = request.run()
            let body = forecast.json()
            condition.lock()
            running -= 1
            let wasEmpty = finished.isEmpty
            finished.append((forecast, body))
            condition.broadcast()
            condition.unlock()
            // One wake-up per batch: the main loop takes every finished forecast at once.
            if wasEmpty { _ = try? lane.bell.send([[]], blocking: false) }
        }
        lane.bell.close()
        condition.lock()
        threadsRunning -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the next request, or returns nil once `stop` was called.
    private func next(from lane: Lane) -> ForecastRequest? {
        condition.lock()
        defer { condition.unlock() }
        while lane.waiting == 0 && !stopping { condition.wait() }
        if stopping { return nil }
        let request = lane.queue[lane.start]
        lane.start += 1
        // Drop the taken requests once they are most of the array, so it does not grow for ever.
        if lane.start >= 256 && lane.start * 2 >= lane.queue.count {
            lane.queue.removeFirst(lane.start)
            lane.start = 0
        }
        running += 1
        return request
    }
}
