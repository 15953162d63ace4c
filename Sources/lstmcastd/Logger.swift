import Configuration
import Forecasting
import Foundation

/// The daemon's log: one line per event, a fixed sentence followed by
/// `key=value` pairs, written to standard error.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog
/// priority in angle brackets, which journald turns into the entry's level.
final class Logger: @unchecked Sendable {
    var level: LogLevel
    private let lock = NSLock()
    private let underJournal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
    private var suppressed: [String: Suppressed] = [:]

    /// A rate-limited key: when it last logged, and the newest line it dropped since.
    private struct Suppressed {
        var lastLogged: Date
        var count = 0
        var interval: Double
        var latest: (severity: LogLevel, message: String, metadata: KeyValuePairs<String, Any>)?
    }

    init(level: LogLevel) {
        self.level = level
    }

    func debug(_ message: String, _ metadata: KeyValuePairs<String, Any> = [:]) { log(.debug, message, metadata) }
    func info(_ message: String, _ metadata: KeyValuePairs<String, Any> = [:]) { log(.info, message, metadata) }
    func warning(_ message: String, _ metadata: KeyValuePairs<String, Any> = [:]) { log(.warning, message, metadata) }
    func error(_ message: String, _ metadata: KeyValuePairs<String, Any> = [:]) { log(.error, message, metadata) }

    /// Logs at most once per `interval` seconds for each `key`. The next line
    /// logged for that key carries `repeats=N`, the count of lines dropped.
    func rateLimited(
        _ key: String, interval: Double, _ severity: LogLevel, _ message: String,
        _ metadata: KeyValuePairs<String, Any> = [:]
    ) {
        let now = Date()
        let repeats: Int? = lock.withLock {
            if var entry = suppressed[key], now.timeIntervalSince(entry.lastLogged) < interval {
                entry.count += 1
                entry.latest = (severity, message, metadata)
                suppressed[key] = entry
                return nil
            }
            let held = suppressed[key]?.count ?? 0
            suppressed[key] = Suppressed(lastLogged: now, interval: interval)
            return held
        }
        guard let repeats else { return }
        log(severity, message, metadata, extra: repeats > 0 ? " repeats=\(repeats)" : "")
    }

    /// Logs the newest dropped line of every key whose interval has passed
    /// (of every key, with `force`), so the count of a burst appears even when
    /// no later line comes. Its `repeats=N` counts the other lines dropped.
    func flushRepeats(now: Date = Date(), force: Bool = false) {
        let due: [(severity: LogLevel, message: String, metadata: KeyValuePairs<String, Any>, repeats: Int)] =
            lock.withLock {
                var lines: [(LogLevel, String, KeyValuePairs<String, Any>, Int)] = []
                for (key, entry) in suppressed where entry.count > 0 && (force || now.timeIntervalSince(entry.lastLogged) >= entry.interval) {
                    if let latest = entry.latest {
                        lines.append((latest.severity, latest.message, latest.metadata, entry.count - 1))
                    }
                    suppressed[key] = Suppressed(lastLogged: now, interval: entry.interval)
                }
                return lines
            }
        for line in due {
            log(line.severity, line.message, line.metadata, extra: line.repeats > 0 ? " repeats=\(line.repeats)" : "")
        }
    }

    private func log(_ severity: LogLevel, _ message: String, _ metadata: KeyValuePairs<String, Any>, extra: String = "") {
        guard severity >= level else { return }
        var line = ""
        if underJournal {
            line += "<\(syslogPriority(severity))>"
        } else {
            line += Self.timestamp() + " "
        }
        line += "\(severity.rawValue): \(message)"
        for (key, value) in metadata {
            line += " \(key)=\(Self.render(value))"
        }
        line += extra + "\n"
        lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }

    private func syslogPriority(_ severity: LogLevel) -> Int {
        switch severity {
        case .debug: return 7
        case .info: return 6
        case .warning: return 4
        case .error: return 3
        }
    }

    /// Quotes values with spaces, quotes or `=` so every line splits cleanly into pairs.
    private static func render(_ value: Any) -> String {
        var text: String
        if let number = value as? Double {
            text = number.isFinite ? String(format: "%.6g", number) : "\(number)"
        } else if let number = value as? Float {
            text = String(format: "%.6g", Double(number))
        } else {
            text = "\(value)"
        }
        if text.isEmpty || text.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" }) {
            text = "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        return text
    }

    private static func timestamp() -> String {
        RFC3339.format(Date().timeIntervalSince1970, milliseconds: true)
    }
}
