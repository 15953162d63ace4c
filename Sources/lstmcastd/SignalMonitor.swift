import Foundation

/// Turns SIGINT and SIGTERM into a stop request and SIGHUP into a reload
/// request, which the main loop reads between polls.
///
/// The signals lose their default action and arrive through Dispatch
/// sources, so no code runs in signal-handler context.
final class SignalMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var stopSignal: Int32?
    private var reloadPending = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                lock.withLock {
                    if number == SIGHUP {
                        reloadPending = true
                    } else if stopSignal == nil {
                        stopSignal = number
                    }
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signal that asked the daemon to stop, if one has arrived.
    var stopRequest: Int32? {
        lock.withLock { stopSignal }
    }

    /// Returns true once for each burst of SIGHUPs since the last call.
    func takeReloadRequest() -> Bool {
        lock.withLock {
            defer { reloadPending = false }
            return reloadPending
        }
    }
}
