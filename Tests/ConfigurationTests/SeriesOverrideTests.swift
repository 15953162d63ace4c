import Configuration
import XCTest

/// `series:` entries: glob matching, first match wins, and inheritance from the file's own sections.
final class SeriesOverrideTests: XCTestCase {
    private let overrides = """
        model:
          n_step: 10
        training:
          window: 400
          epochs: 9
        retrain:
          min_points: 50
        series:
          - match: "price.*"
            model:
              hidden: [8]
          - match: "price.eu.*"
            forecast:
              horizon: 5
          - match: "temp?"
            training:
              epochs: 3
          - match: "[ab]*"
            retrain:
              every_points: 7
              min_points: 60

        """

    private func parseOverrides() throws -> Settings {
        try ConfigurationLoader.parse(overrides, file: "overrides.yaml")
    }

    func testOverridesKeepFileOrderAndPatterns() throws {
        let patterns = try parseOverrides().series.map(\.pattern)
        XCTAssertEqual(patterns, ["price.*", "price.eu.*", "temp?", "[ab]*"])
    }

    func testStarGlobCrossesDots() throws {
        let settings = try parseOverrides()
        XCTAssertEqual(settings.settings(forSeries: "price.eu.btc").model.hidden, [8])
    }

    func testFirstMatchingOverrideWins() throws {
        let settings = try parseOverrides()
        let chosen = settings.settings(forSeries: "price.eu.btc")
        XCTAssertEqual(chosen.forecast.horizon, settings.defaults.forecast.horizon)
        XCTAssertEqual(chosen, settings.series[0].settings)
    }

    func testQuestionMarkGlobMatchesExactlyOneCharacter() throws {
        let settings = try parseOverrides()
        XCTAssertEqual(settings.settings(forSeries: "temp1").training.epochs, 3)
        XCTAssertEqual(settings.settings(forSeries: "temp12").training.epochs, 9)
        XCTAssertEqual(settings.settings(forSeries: "temp").training.epochs, 9)
    }

    func testBracketGlobMatchesListedCharacters() throws {
        let settings = try parseOverrides()
        XCTAssertEqual(settings.settings(forSeries: "alpha").retrain.everyPoints, 7)
        XCTAssertEqual(settings.settings(forSeries: "beta").retrain.minPoints, 60)
        XCTAssertEqual(settings.settings(forSeries: "gamma"), settings.defaults)
    }

    func testGlobIsCaseSensitiveAndAnchored() throws {
        let settings = try parseOverrides()
        XCTAssertEqual(settings.settings(forSeries: "Price.btc"), settings.defaults)
        XCTAssertEqual(settings.settings(forSeries: "old.price.btc"), settings.defaults)
    }

    func testUnmatchedSeriesGetsFileSections() throws {
        let settings = try parseOverrides()
        let chosen = settings.settings(forSeries: "humidity")
        XCTAssertEqual(chosen.model.nStep, 10)
        XCTAssertEqual(chosen.training.window, 400)
        XCTAssertEqual(chosen.training.epochs, 9)
    }

    func testOverrideInheritsFileSectionsItDoesNotSet() throws {
        let chosen = try parseOverrides().settings(forSeries: "price.btc")
        XCTAssertEqual(chosen.model.nStep, 10)
        XCTAssertEqual(chosen.training.window, 400)
        XCTAssertEqual(chosen.training.epochs, 9)
        XCTAssertEqual(chosen.retrain.minPoints, 50)
    }

    func testOverrideInheritsOtherKeysOfASectionItSets() throws {
        let chosen = try parseOverrides().settings(forSeries: "price.btc")
        XCTAssertEqual(chosen.model.hidden, [8])
        XCTAssertEqual(chosen.model.kind, .manyToOne)
    }

    func testOverrideDoesNotChangeFileDefaults() throws {
        let settings = try parseOverrides()
        XCTAssertEqual(settings.defaults.model.hidden, [50])
        XCTAssertEqual(settings.defaults.forecast.horizon, 50)
    }

    func testOverrideMatchesFunctionAgreesWithSettingsLookup() throws {
        let settings = try parseOverrides()
        XCTAssertTrue(settings.series[0].matches("price.x"))
        XCTAssertFalse(settings.series[0].matches("pricex"))
    }

    func testStarAloneMatchesEveryName() throws {
        let settings = try ConfigurationLoader.parse(
            "series:\n  - match: \"*\"\n    forecast:\n      horizon: 2\n", file: "c.yaml")
        XCTAssertEqual(settings.settings(forSeries: "anything.at.all").forecast.horizon, 2)
        XCTAssertEqual(settings.settings(forSeries: "").forecast.horizon, 2)
    }

    func testNullSeriesListMeansNoOverrides() throws {
        XCTAssertEqual(try ConfigurationLoader.parse("series: ~\n", file: "c.yaml").series, [])
    }

    func testEntryWithOnlyMatchCopiesDefaults() throws {
        let settings = try ConfigurationLoader.parse("series:\n  - match: x\n", file: "c.yaml")
        XCTAssertEqual(settings.series.first?.settings, settings.defaults)
    }

    func testOverrideMayLowerMinPointsBelowFileValue() throws {
        let text = """
            model:
              n_step: 3
            retrain:
              min_points: 30
            series:
              - match: fast.*
                retrain:
                  min_points: 5

            """
        let settings = try ConfigurationLoader.parse(text, file: "c.yaml")
        XCTAssertEqual(settings.settings(forSeries: "fast.a").retrain.minPoints, 5)
    }

    /// The override's n_step raises the need above the inherited min_points,
    /// so the error must point at the override's own n_step.
    func testOverrideNStepErrorPointsAtOverride() {
        let text = """
            model:
              n_step: 3
            retrain:
              min_points: 5
            training:
              window: 40
            series:
              - match: a*
                model:
                  n_step: 10

            """
        XCTAssertThrowsError(try ConfigurationLoader.parse(text, file: "c.yaml")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.mark, SourceMark(line: 10, column: 15))
        }
    }

    func testOverrideWindowErrorPointsAtOverride() {
        let text = """
            model:
              n_step: 3
            retrain:
              min_points: 5
            training:
              window: 40
            series:
              - match: a*
                training:
                  window: 4

            """
        XCTAssertThrowsError(try ConfigurationLoader.parse(text, file: "c.yaml")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.mark, SourceMark(line: 10, column: 15))
        }
    }
}
