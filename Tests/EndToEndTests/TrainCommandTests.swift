import Foundation
import XCTest

/// `lstmcast train` run as a user would, on the built binary.
final class TrainCommandTests: XCTestCase {
    func testForecastOutHasValuesAndBounds() throws {
        let folder = try makeTemporaryFolder(self)
        let output = folder.appendingPathComponent("forecast.csv").path
        let harness = try DaemonHarness(test: self, extra: "")
        let run = try harness.runCLI(["train", "--sine", "400", "--horizon", "6", "--quiet", "--forecast-out", output])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("trained epochs=100"), run.output)

        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "step,value,lower,upper")
        XCTAssertEqual(lines.count, 7)
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(fields.count, 4, line)
            XCTAssertEqual(fields[0], "\(index + 1)")
            let lower = try XCTUnwrap(Double(fields[2]), "no lower bound at step \(index + 1)")
            let upper = try XCTUnwrap(Double(fields[3]), "no upper bound at step \(index + 1)")
            XCTAssertLessThanOrEqual(lower, upper, line)
        }
    }

    func testHeaderOnlyCSVIsRejected() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("empty.csv").path
        try "timestamp,value\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try DaemonHarness(test: self, extra: "").runCLI(["train", path, "--quiet"])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("the file has a header but no data rows"), run.output)
    }

    /// Writes `text` to a file in a fresh folder and runs `lstmcast train` on it.
    private func train(csv text: String, extra: [String] = []) throws -> (status: Int32, output: String) {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("series.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try DaemonHarness(test: self, extra: "").runCLI(["train", path, "--quiet", "--horizon", "3"] + extra)
    }

    func testWindowsLineEndingsAreRead() throws {
        let rows = (0..<80).map { "\($0 * 60),\(sin(Double($0) / 4))" }
        let run = try train(csv: "timestamp,value\r\n" + rows.joined(separator: "\r\n") + "\r\n")
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("trained epochs="), run.output)
    }

    func testDecreasingTimestampsAreRejectedWithLine() throws {
        let run = try train(csv: "timestamp,value\n120,1\n60,2\n180,3\n")
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("series.csv:3: timestamp 60.0 is not after the previous row's 120.0"), run.output)
    }

    func testFeedRejectsDecreasingTimestamps() throws {
        let folder = try makeTemporaryFolder(self)
        let path = folder.appendingPathComponent("series.csv").path
        try "timestamp,value\n60,1\n60,1.5\n30,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        // The repeated 60 is a correction the daemon accepts; the 30 after it is not.
        let run = try DaemonHarness(test: self, extra: "").runCLI([
            "feed", path, "--endpoint", "ipc://\(folder.path)/points", "--wait", "0.1",
        ])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(
            run.output.contains("series.csv:4: timestamp 30.0 is earlier than the previous row's 60.0; sort the file"),
            run.output)
        XCTAssertTrue(run.output.contains("out_of_order"), run.output)
    }

    func testFileAndSineTogetherAreRejected() throws {
        let run = try train(csv: "timestamp,value\n0,1\n", extra: ["--sine", "100"])
        XCTAssertEqual(run.status, 64, run.output)
        XCTAssertTrue(run.output.contains("not both"), run.output)
    }

    func testFolderInsteadOfFileIsNamed() throws {
        let folder = try makeTemporaryFolder(self)
        let run = try DaemonHarness(test: self, extra: "").runCLI(["train", folder.path, "--quiet"])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("this is a folder, not a CSV file"), run.output)
    }
}
