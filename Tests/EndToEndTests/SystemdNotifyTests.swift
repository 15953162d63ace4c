import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket.
private final class NotifySocket {
    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError(message: "socket(AF_UNIX) failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw HarnessError(message: "bind \(path) failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    /// Returns the next datagram, or nil when none arrives within 200 ms.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}

final class SystemdNotifyTests: XCTestCase {
    func testNotificationsArriveInLifecycleOrder() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        let notify = try NotifySocket(path: harness.folder.path + "/notify")
        try harness.start(environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000"])
        let pid = harness.daemon!.process.processIdentifier

        var events: [String] = []
        var watchdogs = 0
        func collect(until done: () -> Bool, seconds: Double) {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while !done() && Date() < deadline {
                guard let message = notify.receive() else { continue }
                let keys = message.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) }
                if keys == ["WATCHDOG"] { watchdogs += 1 }
                for key in keys where ["READY", "RELOADING", "STOPPING"].contains(key) { events.append(key) }
            }
        }

        collect(until: { events.contains("READY") && watchdogs >= 2 }, seconds: 10)
        kill(pid, SIGHUP)
        collect(until: { events.count >= 3 }, seconds: 10)
        kill(pid, SIGTERM)
        collect(until: { events.contains("STOPPING") }, seconds: 10)

        XCTAssertEqual(events, ["READY", "RELOADING", "READY", "STOPPING"], "log:\n\(harness.log)")
        XCTAssertGreaterThanOrEqual(watchdogs, 2, "WATCHDOG=1 must repeat at half of WATCHDOG_USEC")
        XCTAssertEqual(harness.stop(), 0)
    }
}
