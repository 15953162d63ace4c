import Foundation
import XCTest

/// A reload that changes control.bind moves the control socket.
final class ControlMoveTests: XCTestCase {
    func testReloadMovesControlSocket() throws {
        let harness = try DaemonHarness(test: self, extra: "")
        try harness.start()
        let moved = "ipc://\(harness.folder.path)/control-moved"
        var text = try String(contentsOfFile: harness.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "bind: \"\(harness.controlEndpoint)\"", with: "bind: \"\(moved)\"")
        XCTAssertTrue(text.contains(moved), "the test did not rewrite control.bind")
        try text.write(toFile: harness.configPath, atomically: true, encoding: .utf8)

        // The file watcher may already have reloaded; either way the old socket answers this request or is gone.
        _ = try harness.runCLI(["reload", "--control", harness.controlEndpoint, "--timeout", "2"])

        var status: (status: Int32, output: String) = (1, "")
        let deadline = Date(timeIntervalSinceNow: 10)
        repeat {
            status = try harness.runCLI(["status", "--json", "--control", moved, "--timeout", "1"])
        } while status.status != 0 && Date() < deadline
        XCTAssertEqual(status.status, 0, "the moved control socket does not answer: \(status.output)\n\(harness.log)")

        let old = try harness.runCLI(["status", "--json", "--control", harness.controlEndpoint, "--timeout", "0.5"])
        XCTAssertEqual(old.status, 1, "the old control socket still answers")
        XCTAssertTrue(harness.log.contains("control socket moved"), harness.log)
        XCTAssertEqual(harness.stop(), 0)
    }
}
