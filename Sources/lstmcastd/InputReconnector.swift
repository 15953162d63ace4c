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
            let key = Self.matchKey(event.endpoint)
            if event.kind.contains(.disconnected) {
                dropped[key] = now
            } else {
                // Any sign of libzmq connecting again means the drop was the ordinary kind.
                dropped[key] = nil
            }
        }
    }

    /// Returns the endpoints of `connected` whose connection dropped at
    /// least `grace` seconds ago with no retry, and removes them from the drops it tracks.
    func endpointsToRestore(connected: [String], now: Date = Date()) -> [String] {
        var dueKeys: Set<String> = []
        for (key, at) in dropped where now.timeIntervalSince(at) >= Self.grace {
            dropped[key] = nil
            dueKeys.insert(key)
        }
        guard !dueKeys.isEmpty else { return [] }
        let due = connected.filter { dueKeys.contains(Self.matchKey($0)) }
        reconnects += due.count
        return due.sorted()
    }

    /// Returns what identifies an endpoint across libzmq's events.
    ///
    /// The events of one TCP connection do not spell its address alike: with
    /// IPv6 on, a drop reads `tcp://127.0.0.1:5556` and the retry after it
    /// `tcp://[::ffff:127.0.0.1]:5556`, and a configured host name appears
    /// resolved. TCP endpoints are therefore matched by port alone, which
    /// confuses only two input.connect endpoints on one port of different hosts.
    static func matchKey(_ endpoint: String) -> String {
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":") else { return endpoint }
        return "tcp:" + endpoint[endpoint.index(after: colon)...]
    }

    func close() {
        monitor.close()
    }
}
