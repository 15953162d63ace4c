import Foundation

/// Seconds on CLOCK_MONOTONIC. Unlike `ContinuousClock.Instant`, a plain
/// Double can be stored in preallocated arrays and compared across threads.
enum MonotonicTime {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }
}

/// A Boolean that one thread sets and another polls.
final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}

/// A body run on its own thread, whose end the starting thread can wait for
/// with a deadline. The body's error is rethrown by `join`, so a failed
/// sender fails the benchmark instead of only ending its thread.
final class BenchThread<Result>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, Error>?
    private let name: String

    /// The body must only touch what it owns or what a lock guards. No other
    /// thread may use the body's sockets until `join` returns.
    init(name: String, body: @escaping () throws -> Result) {
        self.name = name
        let thread = Thread { [self] in
            outcome = Swift.Result { try body() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits up to `seconds` for the body to end and returns its result.
    func join(seconds: Double) throws -> Result {
        guard finished.wait(timeout: .now() + seconds) == .success else {
            throw BenchFailure(message: "the \(name) thread did not finish within \(Int(seconds)) s")
        }
        // The semaphore orders the body's write of `outcome` before this read.
        return try outcome!.get()
    }
}
