import Foundation
import XCTest

/// Returns the folder that contains the built products (`lstmcastd`, `lstmcast`): the test
/// bundle is built into the same folder.
func productsFolder() -> URL {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = runner.deletingLastPathComponent()
    // On Linux the runner is `<products>/lstmcastPackageTests.xctest`; step out of a bundle folder if there is one.
    while folder.pathExtension == "xctest" || folder.lastPathComponent == "Contents" || folder.lastPathComponent == "MacOS" {
        folder = folder.deletingLastPathComponent()
    }
    return folder
}

/// Creates a temporary folder that is removed when the test ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    // ipc:// paths are limited to about 100 bytes, so the folder lives directly under /tmp.
    let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("lstmcast-test-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// A running `lstmcastd` with its standard error captured to a file.
final class DaemonProcess {
    let process = Process()
    let logURL: URL

    init(configPath: String, folder: URL, extraArguments: [String] = [], environment: [String: String]? = nil) throws {
        logURL = folder.appendingPathComponent("lstmcastd.log")
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        // A restarted daemon appends, so a test failure shows every run's lines.
        log.seekToEndOfFile()
        process.executableURL = productsFolder().appendingPathComponent("lstmcastd")
        process.arguments = ["--config", configPath] + extraArguments
        process.standardError = log
        process.standardOutput = log
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        try process.run()
    }

    var log: String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// Sends SIGTERM and waits up to `seconds` for the exit. Returns the exit
    /// status, or nil after killing a daemon that did not stop in time.
    func terminate(within seconds: Double = 10) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        return waitForExit(process, seconds: seconds)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Returns a process's exit status, or nil after killing it when it is still
/// running after `seconds`.
func waitForExit(_ process: Process, seconds: Double) -> Int32? {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }
    return process.terminationStatus
}
