import Foundation
import ZeroMQ

/// Restores input connections that libzmq drops for good.
///
/// A peer that sends a message above ZMQ_MAXMSGSIZE, or breaks the ZeroMQ
/// protocol, makes libzmq close the connection as a protocol error. For an
/// endpoint the daemon connected to, libzmq then never reconnects, so one
/// oversized message would cut a publisher off until a restart.
///
/// libzmq reports an ordinary drop as "disconnected" followed at once by
/// "connect retried". A drop with no retry within `grace` seconds is the
/// permanent kind, so the daemon disconnects and connects the endpoint again.
final class InputReconnector {
    static let monitorEndpoint = "inproc://lstmcastd-input-monitor"
    static let grace = 0.5

    let monitor: Socket
    private var dropped: [String: Date] = [:]
    private(set) var reconnects = 0

    /// Starts monitoring `input`; call before it binds or connects, so no event is missed.
    init(context: Context, input: Socket) throws {
        try input.startMonitor(
            endpoint: Self.monitorEndpoint, kinds: [.disconnected, .connected, .connectDelayed, .connectRetried])
        monitor = try Socket(context: context, type: .pair)
        try monitor.setLinger(milliseconds: 0)
        try monitor.connect(Self.monitorEndpoint)
    }

    /// Reads every queued event without waiting.
    func readEvents(now: Date = Date()) throws {
        while case .done(let frames) = try monitor.receive(blocking: false) {
            guard let event = SocketEvent(frames: frames) else { continue }
            if event.kind.contains(.disconnected) {
                dropped[event.endpoint] = now
            } else {
                // Any sign of libzmq connecting again means the drop was the ordinary kind.
                dropped[event.endpoint] = nil
            }
        }
    }

    /// Returns the endpoints of `connected` whose connection dropped at
    /// least `grace` seconds ago with no retry, and removes them from the drops it tracks.
    func endpointsToRestore(connected: [String], now: Date = Date()) -> [String] {
        var due: [String] = []
        for (endpoint, at) in dropped where now.timeIntervalSince(at) >= Self.grace {
            dropped[endpoint] = nil
            if connected.contains(endpoint) { due.append(endpoint) }
        }
        reconnects += due.count
        return due.sorted()
    }

    func close() {
        monitor.close()
    }
}
