import Foundation

/// Turns SIGINT and SIGTERM into a flag the main loop checks between polls.
///
/// The signals are blocked from their default action and delivered through
/// Dispatch sources, so no code runs in signal-handler context.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in lock.withLock { if received == nil { received = number } } }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that asked the daemon to stop, if one has arrived.
    var signalNumber: Int32? {
        lock.withLock { received }
    }
}
