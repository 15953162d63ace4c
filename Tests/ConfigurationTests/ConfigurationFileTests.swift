import Configuration
import Foundation
import XCTest

/// `ConfigurationLoader.load(path:)` on real files, and how `ConfigurationError` renders.
final class ConfigurationFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("lstmcast-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testLoadReadsValuesFromFile() throws {
        let path = try write("lstmcast.yaml", "model:\n  n_step: 5\nretrain:\n  min_points: 7\nstate_dir: /srv/x\n")
        let settings = try ConfigurationLoader.load(path: path)
        XCTAssertEqual(settings.defaults.model.nStep, 5)
        XCTAssertEqual(settings.defaults.retrain.minPoints, 7)
        XCTAssertEqual(settings.stateDirectory, "/srv/x")
    }

    func testLoadOfEmptyFileYieldsDefaults() throws {
        let path = try write("empty.yaml", "")
        XCTAssertEqual(try ConfigurationLoader.load(path: path), Settings())
    }

    func testLoadIgnoresByteOrderMark() throws {
        let url = folder.appendingPathComponent("bom.yaml")
        try Data([0xEF, 0xBB, 0xBF] + Array("forecast:\n  horizon: 9\n".utf8)).write(to: url)
        XCTAssertEqual(try ConfigurationLoader.load(path: url.path).defaults.forecast.horizon, 9)
    }

    func testLoadErrorNamesPathLineAndColumn() throws {
        let path = try write("bad.yaml", "# lstmcastd\ntraining:\n  epochs: 0\n")
        XCTAssertThrowsError(try ConfigurationLoader.load(path: path)) { error in
            XCTAssertEqual(
                (error as? ConfigurationError)?.description,
                """
                \(path):3:11: error: 'training.epochs' must be between 1 and 100000, got 0
                  epochs: 0
                          ^
                """)
        }
    }

    func testLoadOfMissingFileReportsPathWithoutPosition() {
        let path = folder.appendingPathComponent("missing.yaml").path
        XCTAssertThrowsError(try ConfigurationLoader.load(path: path)) { error in
            XCTAssertEqual(
                (error as? ConfigurationError)?.description,
                "\(path): error: configuration file not found; check the path")
        }
    }

    func testMissingFileErrorHasNoMark() {
        let path = folder.appendingPathComponent("missing.yaml").path
        XCTAssertThrowsError(try ConfigurationLoader.load(path: path)) { error in
            let configurationError = error as? ConfigurationError
            XCTAssertNotNil(configurationError)
            XCTAssertNil(configurationError?.mark)
            XCTAssertNil(configurationError?.sourceLine)
        }
    }

    func testLoadOfFolderIsConfigurationError() {
        XCTAssertThrowsError(try ConfigurationLoader.load(path: folder.path)) { error in
            XCTAssertEqual(
                (error as? ConfigurationError)?.summary,
                "\(self.folder.path): error: this is a folder, not a configuration file; give the YAML file's path")
        }
    }

    func testLoadOfNonUTF8FileIsConfigurationError() throws {
        let url = folder.appendingPathComponent("latin1.yaml")
        try Data(Array("state_dir: /srv/caf".utf8) + [0xE9, 0x0A]).write(to: url)
        XCTAssertThrowsError(try ConfigurationLoader.load(path: url.path)) { error in
            XCTAssertNil((error as? ConfigurationError)?.mark)
            XCTAssertEqual(
                (error as? ConfigurationError)?.summary,
                "\(url.path): error: configuration file is not valid UTF-8; save it as UTF-8")
        }
    }

    func testCRLFLineEndingsKeepSourceLine() throws {
        XCTAssertThrowsError(try ConfigurationLoader.parse("training:\r\n  epochs: 0\r\n", file: "c.yaml")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.sourceLine, "  epochs: 0")
        }
    }

    func testSummaryWithMarkIsOneLine() {
        let error = ConfigurationError(
            file: "a.yaml", mark: SourceMark(line: 2, column: 3), message: "broken", source: "x: 1\ny: 2\n")
        XCTAssertEqual(error.summary, "a.yaml:2:3: error: broken")
    }

    func testDescriptionAddsSourceLineAndCaret() {
        let error = ConfigurationError(
            file: "a.yaml", mark: SourceMark(line: 2, column: 3), message: "broken", source: "x: 1\ny: 2\n")
        XCTAssertEqual(error.description, "a.yaml:2:3: error: broken\ny: 2\n  ^")
    }

    func testSummaryWithoutMarkNamesOnlyFile() {
        let error = ConfigurationError(file: "a.yaml", mark: nil, message: "broken", source: "x: 1\n")
        XCTAssertEqual(error.summary, "a.yaml: error: broken")
    }

    func testDescriptionWithoutMarkEqualsSummary() {
        let error = ConfigurationError(file: "a.yaml", mark: nil, message: "broken", source: "x: 1\n")
        XCTAssertEqual(error.description, error.summary)
    }

    func testDescriptionWithLineBeyondSourceEqualsSummary() {
        let error = ConfigurationError(
            file: "a.yaml", mark: SourceMark(line: 9, column: 1), message: "broken", source: "x: 1\n")
        XCTAssertNil(error.sourceLine)
        XCTAssertEqual(error.description, "a.yaml:9:1: error: broken")
    }

    func testDescriptionWithoutSourceEqualsSummary() {
        let error = ConfigurationError(file: "a.yaml", mark: SourceMark(line: 1, column: 1), message: "broken", source: nil)
        XCTAssertEqual(error.description, "a.yaml:1:1: error: broken")
    }

    func testSourceMarkDescriptionIsLineColonColumn() {
        XCTAssertEqual(SourceMark(line: 12, column: 4).description, "12:4")
    }
}
