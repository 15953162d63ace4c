import Foundation
import XCTest
import ZeroMQ

/// scripts/dashboard.py against the real daemon, and scripts/plot-train.py on
/// the output of the real `lstmcast train`, both rendering PNG files headless.
/// They need python3 with pyzmq, numpy and matplotlib (`scripts/install-deps --python`).
final class DashboardTests: XCTestCase {
    fileprivate static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    // A figure with axes, lines and text is tens of KB, while an empty or
    // broken canvas is far smaller.
    private static let minimumPNGBytes = 10_000

    func testDashboardRendersLiveForecast() throws {
        let harness = try DaemonHarness(test: self, extra: ReloadTests.smallModel)
        try harness.start()
        let png = harness.folder.appendingPathComponent("dashboard.png").path
        let dashboard = try PythonScript(
            "dashboard.py",
            arguments: [
                "--png", png, "--series", "wave", "--points", harness.inputEndpoint, "--forecasts", harness.outputEndpoint,
                "--min-points", "40", "--timeout", "60",
            ],
            folder: harness.folder)

        // The harness's XPUB delivers only points sent after a subscription
        // arrived, so the points wait for the dashboard's subscription to "wave".
        try harness.publisher.setReceiveTimeout(milliseconds: 200)
        let subscription: [[UInt8]] = [[1] + Array("wave".utf8)]
        var subscribed = false
        let deadline = Date(timeIntervalSinceNow: 30)
        while !subscribed && Date() < deadline && dashboard.isRunning {
            if case .done(let frames) = try harness.publisher.receive(), frames == subscription { subscribed = true }
        }
        XCTAssertTrue(subscribed, "dashboard.py did not subscribe to 'wave' within 30 s; output:\n\(dashboard.output)")
        guard subscribed else { return }

        // Epoch seconds after 2000, so the dashboard draws a date axis.
        let start = 1_700_000_000
        try harness.send(series: "wave", timestamps: start..<(start + 40)) { sin(Double($0) / 3) }

        let status = dashboard.waitForExit(seconds: 90)
        XCTAssertEqual(status, 0, "dashboard.py output:\n\(dashboard.output)\nlstmcastd log:\n\(harness.log)")
        XCTAssertTrue(dashboard.output.contains("wrote \(png)"), dashboard.output)
        XCTAssertTrue(dashboard.output.contains("40 points shown of 40 received"), dashboard.output)
        try assertPNG(atPath: png)
        XCTAssertEqual(harness.stop(), 0)
    }

    func testDashboardWithoutForecastTimesOut() throws {
        let folder = try makeTemporaryFolder(self)
        let png = folder.appendingPathComponent("never.png").path
        let dashboard = try PythonScript(
            "dashboard.py",
            arguments: [
                "--png", png, "--series", "wave", "--points", "ipc://\(folder.path)/nobody-in",
                "--forecasts", "ipc://\(folder.path)/nobody-out", "--timeout", "1",
            ],
            folder: folder)

        XCTAssertEqual(dashboard.waitForExit(seconds: 30), 1, dashboard.output)
        XCTAssertTrue(dashboard.output.contains("timed out after 1 s: no forecast for series 'wave'"), dashboard.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: png), "a PNG was written without a forecast")
    }

    func testPlotTrainDrawsLossAndForecast() throws {
        let folder = try makeTemporaryFolder(self)
        let plotData = folder.appendingPathComponent("plot-data").path
        let train = try runProcess(
            productsFolder().appendingPathComponent("lstmcast"),
            ["train", "--sine", "200", "--horizon", "20", "--quiet", "--plot-data", plotData], folder: folder)
        XCTAssertEqual(train.status, 0, train.output)

        let prefix = folder.appendingPathComponent("figure").path
        let plot = try PythonScript("plot-train.py", arguments: [plotData, "--out", prefix], folder: folder)
        XCTAssertEqual(plot.waitForExit(seconds: 60), 0, plot.output)
        try assertPNG(atPath: prefix + "-loss.png")
        try assertPNG(atPath: prefix + "-forecast.png")
    }

    func testPlotTrainReportsMissingData() throws {
        let folder = try makeTemporaryFolder(self)
        let missing = folder.appendingPathComponent("no-such-run").path
        let noFolder = try PythonScript("plot-train.py", arguments: [missing, "--out", missing], folder: folder)
        XCTAssertEqual(noFolder.waitForExit(seconds: 30), 1, noFolder.output)
        XCTAssertTrue(noFolder.output.contains("folder \(missing) not found"), noFolder.output)

        let partial = folder.appendingPathComponent("partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try "epoch,loss,val_loss\n1,0.5,\n".write(to: partial.appendingPathComponent("loss.csv"), atomically: true, encoding: .utf8)
        let noHistory = try PythonScript("plot-train.py", arguments: [partial.path, "--out", partial.path + "/figure"], folder: folder)
        XCTAssertEqual(noHistory.waitForExit(seconds: 30), 1, noHistory.output)
        XCTAssertTrue(noHistory.output.contains("history.csv not found"), noHistory.output)
    }

    private func assertPNG(atPath path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path), "\(path) was not written", file: file, line: line)
        XCTAssertEqual(Array(data.prefix(8)), Self.pngSignature, "\(path) does not start with the PNG signature", file: file, line: line)
        XCTAssertGreaterThan(data.count, Self.minimumPNGBytes, "\(path) is too small to hold a figure", file: file, line: line)
    }

    /// Runs an executable to completion with its output captured, killing it after `seconds`.
    private func runProcess(_ executable: URL, _ arguments: [String], folder: URL, seconds: Double = 120) throws -> (status: Int32?, output: String) {
        let process = try ScriptProcess(executable: executable, arguments: arguments, folder: folder)
        let status = process.waitForExit(seconds: seconds)
        return (status, process.output)
    }
}

/// A child process whose standard output and error go to a file in `folder`,
/// so a chatty child never blocks on a full pipe while the test waits.
private class ScriptProcess {
    let process = Process()
    let outputURL: URL

    init(executable: URL, arguments: [String], folder: URL, name: String? = nil) throws {
        let label = name ?? executable.lastPathComponent
        outputURL = folder.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8)).out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputURL)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    /// Returns the exit status, or nil after killing a process still running after `seconds`.
    func waitForExit(seconds: Double) -> Int32? {
        EndToEndTests.waitForExit(process, seconds: seconds)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// `python3 scripts/NAME ARGUMENTS…` from the repository this test file is in.
private final class PythonScript: ScriptProcess {
    init(_ name: String, arguments: [String], folder: URL) throws {
        let script = DashboardTests.repositoryRoot.appendingPathComponent("scripts/\(name)").path
        try super.init(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", script] + arguments, folder: folder, name: name)
    }
}
