import Foundation
import XCTest
import ZeroMQ

/// A daemon on `ipc://` endpoints in a temporary folder, with a publisher
/// feeding its input and a subscriber reading its forecasts.
final class DaemonHarness {
    let folder: URL
    let configPath: String
    let inputEndpoint: String
    let outputEndpoint: String
    let controlEndpoint: String
    let stateFolder: String
    let context: Context
    let publisher: Socket
    let subscriber: Socket
    private(set) var daemon: DaemonProcess?

    /// Writes a configuration with the harness's endpoints followed by `extra` YAML sections.
    init(test: XCTestCase, extra: String) throws {
        folder = try makeTemporaryFolder(test)
        configPath = folder.appendingPathComponent("lstmcast.yaml").path
        inputEndpoint = "ipc://\(folder.path)/in"
        outputEndpoint = "ipc://\(folder.path)/out"
        controlEndpoint = "ipc://\(folder.path)/control"
        stateFolder = folder.appendingPathComponent("state").path

        context = try Context()
        publisher = try Socket(context: context, type: .extendedPublisher)
        subscriber = try Socket(context: context, type: .subscriber)
        try publisher.setNoDrop(true)
        try publisher.setSendHighWaterMark(0)
        try publisher.setLinger(milliseconds: 0)
        try subscriber.setLinger(milliseconds: 0)
        try publisher.bind(inputEndpoint)
        try subscriber.subscribe("forecast.")
        try subscriber.connect(outputEndpoint)
        try writeConfig(extra: extra)
    }

    deinit {
        publisher.close()
        subscriber.close()
    }

    func writeConfig(extra: String) throws {
        try """
        input:
          connect: ["\(inputEndpoint)"]
        output:
          bind: ["\(outputEndpoint)"]
        control:
          bind: "\(controlEndpoint)"
        state_dir: "\(stateFolder)"
        \(extra)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts lstmcastd and waits until its SUB socket has subscribed to the publisher.
    func start(environment: [String: String]? = nil) throws {
        let process = try DaemonProcess(configPath: configPath, folder: folder, environment: environment)
        daemon = process
        // Unsubscriptions of an earlier daemon may come first; wait for a subscription.
        try publisher.setReceiveTimeout(milliseconds: 200)
        let deadline = Date(timeIntervalSinceNow: 20)
        while Date() < deadline {
            if case .done(let frames) = try publisher.receive(), frames.first?.first == 1 { return }
        }
        throw HarnessError(message: "lstmcastd did not subscribe within 20 s; log:\n\(process.log)")
    }

    func stop() -> Int32? {
        defer { daemon = nil }
        return daemon?.terminate()
    }

    var log: String { daemon?.log ?? "" }

    func send(series: String, timestamps: Range<Int>, value: (Int) -> Double) throws {
        for t in timestamps {
            try publisher.send(strings: [series, "{\"ts\":\(t),\"value\":\(value(t))}"])
        }
    }

    /// Returns the next forecast object that `accept` takes, or nil after `seconds`.
    func nextForecast(within seconds: Double, where accept: ([String: Any]) -> Bool = { _ in true }) throws -> [String: Any]? {
        try subscriber.setReceiveTimeout(milliseconds: 200)
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            guard case .done(let frames) = try subscriber.receive(), frames.count == 2 else { continue }
            if let object = try JSONSerialization.jsonObject(with: Data(frames[1])) as? [String: Any], accept(object) {
                return object
            }
        }
        return nil
    }

    /// Runs the built `lstmcast` CLI and returns its exit status and combined output.
    func runCLI(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = productsFolder().appendingPathComponent("lstmcast")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The length of a forecast's `values`, or -1.
func horizon(of forecast: [String: Any]?) -> Int {
    (forecast?["values"] as? [Any])?.count ?? -1
}

func modelVersion(of forecast: [String: Any]?) -> Int {
    ((forecast?["model"] as? [String: Any])?["version"] as? NSNumber)?.intValue ?? -1
}
