import Forecasting
import Foundation

/// Renders the daemon's status object as a table for people.
enum StatusTable {
    static func render(_ status: [String: Any]) -> String {
        var lines: [String] = []
        let uptime = number(status["uptime_seconds"])
        lines.append(
            "lstmcastd \(status["version"] as? String ?? "?")  up \(formatDuration(uptime))  "
                + "points \(integer(status["points_accepted"]))  forecasts \(integer(status["forecasts_published"]))  "
                + "trainings queued or running \(integer(status["trainings_active"]))")
        if let rejected = status["rejected"] as? [String: Any], !rejected.isEmpty {
            let parts = rejected.keys.sorted().map { "\($0)=\(integer(rejected[$0]))" }
            lines.append("rejected: " + parts.joined(separator: " "))
        }
        if let reloads = status["reloads"] as? [String: Any] {
            var line = "reloads: \(integer(reloads["succeeded"])) succeeded, \(integer(reloads["failed"])) failed"
            if let message = reloads["last_message"] as? String { line += "; last: \(message.split(separator: "\n").first ?? "")" }
            lines.append(line)
        }
        lines.append("")

        let header = [
            "SERIES", "POINTS", "LAST TS", "MODEL", "METHOD", "AGE", "TRAIN S", "LOSS", "VAL LOSS", "MAE", "SKILL", "STATE",
        ]
        var rows = [header]
        for entry in status["series"] as? [[String: Any]] ?? [] {
            let model = entry["model"] as? [String: Any]
            let lastTimestamp = (entry["last_ts"] as? NSNumber).map {
                RFC3339.format($0.doubleValue)
            }
            var state = (entry["training"] as? Bool == true) ? "training" : (model == nil ? "collecting" : "forecasting")
            if entry["stale"] as? Bool == true { state = "stale" }
            if let rejected = entry["rejected"] as? [String: Any], !rejected.isEmpty {
                state += " rejected " + rejected.keys.sorted().map { "\($0)=\(integer(rejected[$0]))" }.joined(separator: ",")
            }
            if let error = entry["last_error"] as? String { state += " (last training failed: \(error))" }
            rows.append([
                entry["name"] as? String ?? "?",
                "\(integer(entry["points"]))",
                lastTimestamp ?? "-",
                model.map { "v\(integer($0["version"]))" } ?? "-",
                model.flatMap { $0["method"] as? String } ?? "-",
                model.map { formatDuration(number($0["age_seconds"])) } ?? "-",
                model.map { String(format: "%.2f", number($0["train_seconds"])) } ?? "-",
                model.map { String(format: "%.4g", number($0["train_loss"])) } ?? "-",
                model.flatMap { ($0["val_loss"] as? NSNumber).map { String(format: "%.4g", $0.doubleValue) } } ?? "-",
                ((entry["accuracy"] as? [String: Any])?["mae_mean"] as? NSNumber).map {
                    String(format: "%.4g", $0.doubleValue)
                } ?? "-",
                ((entry["accuracy"] as? [String: Any])?["skill"] as? NSNumber).map {
                    String(format: "%+.2f", $0.doubleValue)
                } ?? "-",
                state,
            ])
        }
        if rows.count == 1 { rows.append(["(no series yet)"] + Array(repeating: "", count: header.count - 1)) }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Any?) -> Double {
        (value as? NSNumber)?.doubleValue ?? 0
    }

    private static func integer(_ value: Any?) -> Int {
        (value as? NSNumber)?.intValue ?? 0
    }

    private static func formatDuration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if whole < 120 { return "\(whole)s" }
        if whole < 7200 { return "\(whole / 60)m" }
        if whole < 172_800 { return "\(whole / 3600)h" }
        return "\(whole / 86400)d"
    }
}
