import Foundation
import XCTest

/// The Prometheus textfile written by a real daemon.
final class MetricsTests: XCTestCase {
    static let documentedNames = [
        "lstmcast_points_received_total", "lstmcast_points_rejected_total", "lstmcast_forecasts_published_total",
        "lstmcast_training_duration_seconds", "lstmcast_training_loss", "lstmcast_model_version",
        "lstmcast_model_age_seconds", "lstmcast_reloads_total", "lstmcast_series",
        "lstmcast_checkpoints_pending", "lstmcast_input_reconnects_total",
    ]

    func testMetricsFileFollowsTextFormat() throws {
        let metricsPath = "/tmp/lstmcast-metrics-\(UUID().uuidString.prefix(8)).prom"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: metricsPath) }
        let harness = try DaemonHarness(
            test: self, extra: ReloadTests.smallModel + "\nmetrics:\n  textfile: \"\(metricsPath)\"\n  every: 1")
        try harness.start()
        try harness.send(series: "wave \"one\"", timestamps: 0..<40) { sin(Double($0) / 3) }
        try harness.publisher.send(strings: ["wave \"one\"", "NaN"])

        var text = ""
        let deadline = Date(timeIntervalSinceNow: 20)
        while Date() < deadline {
            text = (try? String(contentsOfFile: metricsPath, encoding: .utf8)) ?? ""
            if text.contains("lstmcast_model_version{") && text.contains("reason=\"non_finite\"} 1") { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(text.contains("lstmcast_points_received_total{series=\"wave \\\"one\\\"\"} 40"), text)
        XCTAssertTrue(text.contains("lstmcast_points_rejected_total{reason=\"non_finite\"} 1"), text)
        XCTAssertTrue(text.contains("lstmcast_model_version{series=\"wave \\\"one\\\"\"} 1"), text)

        let problems = Self.formatProblems(text)
        XCTAssertEqual(problems, [], text)
        for name in Self.documentedNames {
            XCTAssertTrue(text.contains("# TYPE \(name) "), "missing \(name)")
        }
        XCTAssertEqual(harness.stop(), 0)
    }

    /// Checks the exposition format's rules: every sample's family has HELP
    /// and TYPE lines before it, names and labels are well formed, values
    /// parse, counters end in _total, and no family appears twice.
    static func formatProblems(_ text: String) -> [String] {
        var problems: [String] = []
        var typed: [String: String] = [:]
        var helped: Set<String> = []
        let namePattern = "[a-zA-Z_:][a-zA-Z0-9_:]*"
        let labelPattern = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\""
        let sample = try! NSRegularExpression(
            pattern: "^(\(namePattern))(\\{\(labelPattern)(,\(labelPattern))*\\})? (\\S+)$")
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# HELP ") {
                let name = String(line.dropFirst(7).split(separator: " ").first ?? "")
                if !helped.insert(name).inserted { problems.append("HELP repeated for \(name)") }
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ").map(String.init)
                guard parts.count == 2, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[1]) else {
                    problems.append("bad TYPE line: \(line)")
                    continue
                }
                if typed[parts[0]] != nil { problems.append("TYPE repeated for \(parts[0])") }
                typed[parts[0]] = parts[1]
                if parts[1] == "counter" && !parts[0].hasSuffix("_total") { problems.append("counter \(parts[0]) lacks _total") }
            } else {
                let range = NSRange(line.startIndex..., in: line)
                guard let match = sample.firstMatch(in: line, range: range),
                    let nameRange = Range(match.range(at: 1), in: line),
                    let valueRange = Range(match.range(at: 4), in: line)
                else {
                    problems.append("malformed sample: \(line)")
                    continue
                }
                let name = String(line[nameRange])
                let value = String(line[valueRange])
                if typed[name] == nil { problems.append("sample before TYPE: \(name)") }
                if !helped.contains(name) { problems.append("sample before HELP: \(name)") }
                if Double(value) == nil && !["NaN", "+Inf", "-Inf"].contains(value) { problems.append("bad value: \(line)") }
            }
        }
        return problems
    }
}
