import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the configuration file with inotify and reports when it was
/// written or replaced.
///
/// The folder is watched, not the file, because editors and configuration
/// tools usually write a new file and rename it over the old one, which
/// ends a watch on the old file.
final class ConfigWatcher {
    private let descriptor: Int32
    private let fileName: String
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        fileName = url.lastPathComponent
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatchError(operation: "inotify_init1", path: path, errno: errno) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        guard inotify_add_watch(descriptor, url.deletingLastPathComponent().path, mask) >= 0 else {
            let code = errno
            close(descriptor)
            throw WatchError(operation: "inotify_add_watch", path: url.deletingLastPathComponent().path, errno: code)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Returns true if the file changed since the last call; never blocks.
    func fileChanged() -> Bool {
        var changed = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return changed }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (nameLength, name) = buffer.withUnsafeBytes { raw -> (Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let length = Int(event.len)
                    let nameBytes = raw[start..<min(start + length, count)].prefix { $0 != 0 }
                    return (length, String(decoding: nameBytes, as: UTF8.self))
                }
                if name == fileName { changed = true }
                offset += MemoryLayout<inotify_event>.size + nameLength
            }
        }
    }
}

struct WatchError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let errno: Int32

    var description: String { "\(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))" }
}
