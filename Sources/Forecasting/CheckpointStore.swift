import Foundation
import LSTMKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failed file operation with the path and the system's reason.
public struct FileError: Error, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let reason: String

    public init(operation: String, path: String, errno code: Int32) {
        self.operation = operation
        self.path = path
        reason = "\(String(cString: strerror(code))) (errno \(code))"
    }

    public init(operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}

/// Per-series checkpoint files in one folder.
///
/// A write goes to a temporary file that is fsynced, renamed over the old
/// checkpoint and followed by an fsync of the folder, so a crash at any
/// moment leaves either the old or the new checkpoint whole.
public struct CheckpointStore: Sendable {
    public let folder: String
    public static let fileExtension = "ckpt"

    public init(folder: String) {
        self.folder = folder
    }

    /// Creates the folder (mode 0700) if it is missing.
    public func prepare() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw FileError(operation: "use as state folder", path: folder, errno: ENOTDIR) }
            return
        }
        // mkdir(2) one level at a time, so a failure names the level that
        // failed and the errno, as every other file error here does.
        var path = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw FileError(operation: "mkdir", path: path, errno: errno)
            }
        }
    }

    /// Returns the file of a series. Names are percent-encoded so any topic is a safe file name.
    public func path(forSeries series: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.")
        let encoded = series.addingPercentEncoding(withAllowedCharacters: allowed) ?? series
        // A leading dot would hide the file and "." or ".." would escape the folder.
        let safe = encoded.hasPrefix(".") ? "%2E" + encoded.dropFirst() : encoded
        return folder + "/" + safe + "." + Self.fileExtension
    }

    public func write(_ checkpoint: Checkpoint) throws {
        let bytes = try checkpoint.encoded()
        let target = path(forSeries: checkpoint.header.series)
        let temporary = target + ".tmp.\(getpid())"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileError(operation: "open", path: temporary, errno: errno) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw FileError(operation: "write", path: temporary, errno: code)
            }
            written += result
        }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw FileError(operation: "fsync", path: temporary, errno: code)
        }
        close(descriptor)

        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(operation: "rename to \(target)", path: temporary, errno: code)
        }
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            defer { close(folderDescriptor) }
            if fsync(folderDescriptor) != 0 { throw FileError(operation: "fsync", path: folder, errno: errno) }
        }
    }

    public func read(path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError(operation: "read", path: path, errno: errno == 0 ? EIO : errno)
        }
        return try Checkpoint.decode([UInt8](data))
    }

    /// Reads every checkpoint in the folder. Unreadable or corrupt files are
    /// returned as failures beside the good ones and never stop the rest.
    /// Leftover temporary files from an interrupted write are removed.
    public func readAll() -> (checkpoints: [Checkpoint], failures: [(path: String, error: Error)]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return ([], []) }
        var checkpoints: [Checkpoint] = []
        var failures: [(String, Error)] = []
        for name in names.sorted() {
            let full = folder + "/" + name
            if name.contains(".\(Self.fileExtension).tmp.") {
                unlink(full)
                continue
            }
            guard name.hasSuffix("." + Self.fileExtension) else { continue }
            do {
                checkpoints.append(try read(path: full))
            } catch {
                failures.append((full, error))
            }
        }
        return (checkpoints, failures)
    }
}
