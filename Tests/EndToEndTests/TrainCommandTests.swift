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
}
