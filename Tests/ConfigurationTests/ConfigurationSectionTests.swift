import Configuration
import XCTest

/// The sampling, limits, metrics and control sections.
final class ConfigurationSectionTests: XCTestCase {
    func testTCPControlEndpointIsRejected() {
        assertConfigurationError(
            "control:\n  bind: tcp://127.0.0.1:5600\n",
            renders: """
                c.yaml:2:9: error: 'control.bind' must be an ipc:// endpoint, got 'tcp://127.0.0.1:5600'; a TCP control socket would let any local user reload or retrain the daemon
                  bind: tcp://127.0.0.1:5600
                        ^
                """)
    }

    func testSamplingKeysAreRead() throws {
        let settings = try ConfigurationLoader.parse(
            "sampling:\n  interval: 60\n  max_gap: 3\n  max_future_seconds: 10\n  stale_after_seconds: 600\n", file: "c.yaml")
        XCTAssertEqual(settings.defaults.sampling.interval, 60)
        XCTAssertEqual(settings.defaults.sampling.maxGap, 3)
        XCTAssertEqual(settings.defaults.sampling.maxFutureSeconds, 10)
        XCTAssertEqual(settings.defaults.sampling.staleAfterSeconds, 600)
    }

    func testSamplingIntervalAutoLearnsSpacing() throws {
        let settings = try ConfigurationLoader.parse("sampling:\n  interval: auto\n", file: "c.yaml")
        XCTAssertNil(settings.defaults.sampling.interval)
    }

    func testSeriesOverrideSetsSampling() throws {
        let settings = try ConfigurationLoader.parse(
            "series:\n  - match: \"slow.*\"\n    sampling: {interval: 3600}\n", file: "c.yaml")
        XCTAssertEqual(settings.settings(forSeries: "slow.a").sampling.interval, 3600)
        XCTAssertNil(settings.settings(forSeries: "fast.a").sampling.interval)
    }

    func testLimitsAndMetricsAreRead() throws {
        let settings = try ConfigurationLoader.parse(
            "limits: {max_message_bytes: 1024, max_series: 5}\nmetrics: {textfile: /tmp/m.prom, every: 5, max_series: 2}\n",
            file: "c.yaml")
        XCTAssertEqual(settings.limits.maxMessageBytes, 1024)
        XCTAssertEqual(settings.limits.maxSeries, 5)
        XCTAssertEqual(settings.metrics.textfile, "/tmp/m.prom")
        XCTAssertEqual(settings.metrics.every, 5)
        XCTAssertEqual(settings.metrics.maxSeries, 2)
    }

    func testIntervalCoverageAboveRangeIsRejected() {
        assertConfigurationError(
            "forecast:\n  interval_coverage: 1.5\n",
            renders: """
                c.yaml:2:22: error: 'forecast.interval_coverage' must be at least 0 and at most 0.999, got 1.5
                  interval_coverage: 1.5
                                     ^
                """)
    }
}

final class ModelFeatureConfigurationTests: XCTestCase {
    func testDefaultFeaturesAreCalendar() throws {
        let settings = try ConfigurationLoader.parse("", file: "c.yaml")
        XCTAssertEqual(settings.defaults.model.features, [.timeOfDay, .dayOfWeek])
    }

    func testEmptyFeatureListFeedsValueAlone() throws {
        let settings = try ConfigurationLoader.parse("model:\n  features: []\n", file: "c.yaml")
        XCTAssertEqual(settings.defaults.model.features, [])
    }

    func testUnknownFeatureIsRejected() {
        assertConfigurationError(
            "model:\n  features: [time_of_day, moon_phase]\n",
            renders: """
                c.yaml:2:27: error: each item of 'model.features' must be one of time_of_day, day_of_week, got 'moon_phase'
                  features: [time_of_day, moon_phase]
                                          ^
                """)
    }
}
