import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends sd_notify(3) messages to systemd over the datagram socket named by
/// `NOTIFY_SOCKET`; without that variable every call does nothing.
final class SystemdNotifier {
    private let address: sockaddr_un?
    private let addressLength: socklen_t
    private let descriptor: Int32
    /// Half of `WATCHDOG_USEC`, the interval at which WATCHDOG=1 must be sent.
    let watchdogInterval: Double?
    private var lastWatchdog = Date.distantPast

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let usec = environment["WATCHDOG_USEC"].flatMap(Double.init), usec > 0,
            environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true
        {
            watchdogInterval = usec / 2_000_000
        } else {
            watchdogInterval = nil
        }

        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.utf8.count < 108 else {
            address = nil
            addressLength = 0
            descriptor = -1
            return
        }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        // An abstract socket is written with a leading '@' and starts with a NUL byte.
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        address = socketAddress
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    var isActive: Bool { address != nil && descriptor >= 0 }

    /// Sends `message` (newline-separated `KEY=value` lines); returns false if it could not be sent.
    @discardableResult
    func send(_ message: String) -> Bool {
        guard var target = address, descriptor >= 0 else { return false }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &target) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL), socketAddress, addressLength)
            }
        }
        return sent == bytes.count
    }

    func ready(status: String) { send("READY=1\nSTATUS=\(status)") }

    func status(_ text: String) { send("STATUS=\(text)") }

    func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    func stopping() { send("STOPPING=1") }

    /// Sends WATCHDOG=1 if half the watchdog interval has passed; the main loop
    /// calls it every iteration, so a stuck loop stops feeding systemd.
    func feedWatchdog() {
        guard let interval = watchdogInterval, Date().timeIntervalSince(lastWatchdog) >= interval else { return }
        lastWatchdog = Date()
        send("WATCHDOG=1")
    }
}
