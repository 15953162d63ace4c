import Foundation

/// A folder of its own under the system's temporary directory, for ipc://
/// socket files that no other run can collide with.
struct TemporaryFolder {
    let path: String

    init(prefix: String) throws {
        var base = NSTemporaryDirectory()
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw BenchFailure(message: "mkdtemp in \(base) failed with errno \(errno)")
        }
        path = String(cString: created)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
