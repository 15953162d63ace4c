import Foundation
import XCTest

/// A second daemon on the same state_dir or control socket must not start.
final class SingleInstanceTests: XCTestCase {
    func testSecondDaemonOnSameStateFolderExitsWithError() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start()

        let second = Process()
        second.executableURL = productsFolder().appendingPathComponent("lstmcastd")
        second.arguments = ["--config", harness.configPath]
        let pipe = Pipe()
        second.standardError = pipe
        second.standardOutput = pipe
        try second.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        second.waitUntilExit()

        XCTAssertEqual(second.terminationStatus, 1, output)
        XCTAssertTrue(output.contains("another lstmcastd"), output)
        let status = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint])
        XCTAssertEqual(status.status, 0, "the first daemon stopped answering: \(status.output)")
        XCTAssertEqual(harness.stop(), 0)
    }
}
