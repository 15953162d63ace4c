import Configuration
import XCTest

/// What a file that sets nothing yields: every documented default.
final class ConfigurationDefaultsTests: XCTestCase {
    private func parseEmpty() throws -> Settings {
        try ConfigurationLoader.parse("", file: "empty.yaml")
    }

    func testEmptyTextEqualsDefaultSettings() throws {
        XCTAssertEqual(try parseEmpty(), Settings())
    }

    func testCommentOnlyTextEqualsDefaultSettings() throws {
        let settings = try ConfigurationLoader.parse("# nothing set yet\n\n   # still nothing\n", file: "c.yaml")
        XCTAssertEqual(settings, Settings())
    }

    func testNullDocumentEqualsDefaultSettings() throws {
        XCTAssertEqual(try ConfigurationLoader.parse("~\n", file: "c.yaml"), Settings())
        XCTAssertEqual(try ConfigurationLoader.parse("null\n", file: "c.yaml"), Settings())
        XCTAssertEqual(try ConfigurationLoader.parse("---\n...\n", file: "c.yaml"), Settings())
    }

    func testEmptySectionsKeepDefaults() throws {
        let text = "input:\noutput:\ncontrol:\nmodel:\ntraining:\nretrain:\nforecast:\nlog:\nseries:\n"
        XCTAssertEqual(try ConfigurationLoader.parse(text, file: "c.yaml"), Settings())
    }

    func testEmptyFlowSectionsKeepDefaults() throws {
        let text = "input: {}\nmodel: {}\ntraining: {}\nseries: []\n"
        XCTAssertEqual(try ConfigurationLoader.parse(text, file: "c.yaml"), Settings())
    }

    func testDefaultInputSettings() throws {
        let input = try parseEmpty().input
        XCTAssertEqual(input.connect, ["tcp://127.0.0.1:5556"])
        XCTAssertEqual(input.bind, [])
        XCTAssertEqual(input.subscribe, [""])
        XCTAssertEqual(input.receiveHighWaterMark, 100_000)
    }

    func testDefaultOutputControlAndStateSettings() throws {
        let settings = try parseEmpty()
        XCTAssertEqual(settings.output.bind, ["tcp://127.0.0.1:5557"])
        XCTAssertEqual(settings.output.topicPrefix, "forecast.")
        XCTAssertEqual(settings.control.bind, "ipc:///run/lstmcast/control")
        XCTAssertEqual(settings.stateDirectory, "/var/lib/lstmcast")
        XCTAssertEqual(settings.log.level, .info)
        XCTAssertEqual(settings.trainingWorkers, 2)
        XCTAssertEqual(settings.series, [])
    }

    func testDefaultModelSettings() throws {
        let model = try parseEmpty().defaults.model
        XCTAssertEqual(model.kind, .manyToOne)
        XCTAssertEqual(model.nStep, 20)
        XCTAssertEqual(model.hidden, [50])
    }

    func testDefaultTrainingSettings() throws {
        let training = try parseEmpty().defaults.training
        XCTAssertEqual(training.window, 1000)
        XCTAssertEqual(training.epochs, 100)
        XCTAssertEqual(training.batchSize, 100)
        XCTAssertEqual(training.learningRate, 0.01)
        XCTAssertTrue(training.shuffle)
        XCTAssertEqual(training.seed, 42)
        XCTAssertEqual(training.transform, .detrend)
        XCTAssertEqual(training.validationFraction, 0.1)
        XCTAssertEqual(training.patience, 0)
    }

    func testDefaultRetrainAndForecastSettings() throws {
        let defaults = try parseEmpty().defaults
        XCTAssertEqual(defaults.retrain.everyPoints, 250)
        XCTAssertEqual(defaults.retrain.minPoints, 200)
        XCTAssertEqual(defaults.forecast.horizon, 50)
        XCTAssertEqual(defaults.forecast.everyPoints, 1)
    }

    func testDefaultsSatisfyTheirOwnCrossRules() throws {
        let defaults = try parseEmpty().defaults
        XCTAssertGreaterThanOrEqual(defaults.retrain.minPoints, defaults.model.nStep + 2)
        XCTAssertGreaterThanOrEqual(defaults.training.window, defaults.retrain.minPoints)
    }

    func testSeriesWithoutOverridesGetsDefaults() throws {
        let settings = try parseEmpty()
        XCTAssertEqual(settings.settings(forSeries: "price.btc"), settings.defaults)
        XCTAssertEqual(settings.settings(forSeries: ""), settings.defaults)
    }
}
