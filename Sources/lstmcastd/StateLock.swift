import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A startup problem that stops the daemon with a message.
struct StartupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// An exclusive flock(2) on `state_dir/lock`, held while the daemon runs.
///
/// Two daemons writing checkpoints into one folder would overwrite each
/// other's series; the lock makes the second one refuse to start instead.
/// The kernel releases it when the process exits, even after SIGKILL.
final class StateLock {
    private let descriptor: Int32

    init(folder: String) throws {
        let path = folder + "/lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FileLockError(message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw StartupError(
                    message: "another lstmcastd holds \(path); give each daemon its own state_dir and control.bind")
            }
            throw FileLockError(message: "cannot lock \(path): \(String(cString: strerror(code)))")
        }
    }

    deinit {
        close(descriptor)
    }
}

struct FileLockError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
