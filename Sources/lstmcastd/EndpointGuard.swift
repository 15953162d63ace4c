#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Refuses to bind an ipc:// endpoint that another process is listening on.
/// libzmq would replace that process's socket file without an error and cut
/// it off from its publishers or subscribers for good.
enum EndpointGuard {
    /// Throws when `endpoint` is an ipc:// path with a live listener; `key` names the setting for the message.
    static func checkFree(_ endpoint: String, key: String) throws {
        guard endpoint.hasPrefix("ipc://") else { return }
        let path = String(endpoint.dropFirst("ipc://".count))
        guard isListening(path) else { return }
        throw StartupError(
            message: "another process is listening on \(key) \(endpoint); stop it, or give this daemon an endpoint "
                + "of its own (each lstmcastd needs its own input.bind, output.bind, control.bind and state_dir)")
    }

    /// True when a Unix socket at `path` accepts a connection. A file left by
    /// a process that exited refuses it, and may be replaced.
    static func isListening(_ path: String) -> Bool {
        var address = sockaddr_un()
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
