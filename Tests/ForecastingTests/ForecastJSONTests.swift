import Configuration
import Forecasting
import Foundation
import XCTest

/// The forecast message body, from a real engine forecast. JSONSerialization
/// reads the structure; numbers that must round-trip exactly are read with
/// JSONDecoder.
///
/// NOTE: on Linux (Swift 6.3.1), JSONSerialization returns some doubles as
/// NSDecimalNumber, and converting one back to Double can be off by a few
/// ulps (0.9020105600357056 reads back as 0.9020105600357059). JSONDecoder
/// parses the same text exactly.
final class ForecastJSONTests: XCTestCase {
    private struct Body: Decodable {
        struct Model: Decodable {
            let trainLoss: Double
            let valLoss: Double?
            let trainSeconds: Double

            enum CodingKeys: String, CodingKey {
                case trainLoss = "train_loss"
                case valLoss = "val_loss"
                case trainSeconds = "train_seconds"
            }
        }

        let ts: Double
        let interval: Double
        let values: [Double]
        let timestamps: [Double]
        let model: Model
    }

    /// Trains a tiny model on `points` points spaced 60 s apart and returns the forecast its install publishes.
    private func makeForecast(
        series: String = "price.btc", points: Int = 5, validationFraction: Double = 0.1
    ) throws -> Forecast {
        var settings = tinySettings(minPoints: points)
        settings.defaults.training.validationFraction = validationFraction
        let engine = ForecastEngine(settings: settings, clock: { 0 })
        let job = try XCTUnwrap(trainingJobs(try ingestSeries(engine, series, count: points)).first)
        return try XCTUnwrap(forecasts(engine.install(job.run()).1).first)
    }

    private func decode(_ forecast: Forecast, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(forecast.json().utf8))
        return try XCTUnwrap(object as? [String: Any], "top level is not an object", file: file, line: line)
    }

    private func decodeExactly(_ forecast: Forecast) throws -> Body {
        try JSONDecoder().decode(Body.self, from: Data(forecast.json().utf8))
    }

    private func decodeModel(_ forecast: Forecast) throws -> [String: Any] {
        try XCTUnwrap(try decode(forecast)["model"] as? [String: Any])
    }

    func testTopLevelKeysAreExactlyTheContract() throws {
        // Five points leave the backtest too few errors for a 90% interval, so this forecast has none.
        let keys = Set(try decode(try makeForecast()).keys)
        XCTAssertEqual(keys, ["series", "ts", "interval", "values", "timestamps", "model", "accuracy"])
    }

    func testModelKeysAreExactlyTheContract() throws {
        let keys = Set(try decodeModel(try makeForecast()).keys)
        XCTAssertEqual(keys, ["version", "trained_at", "points", "epochs", "train_loss", "val_loss", "train_seconds"])
    }

    func testSeriesTimestampAndIntervalAreWritten() throws {
        let object = try decode(try makeForecast())
        XCTAssertEqual(object["series"] as? String, "price.btc")
        XCTAssertEqual(object["ts"] as? Double, startTime + 4 * 60)
        XCTAssertEqual(object["interval"] as? Double, 60)
    }

    func testValuesAreWrittenInOrder() throws {
        let forecast = try makeForecast()
        let values = try XCTUnwrap(try decode(forecast)["values"] as? [Double])
        XCTAssertEqual(values.count, forecast.values.count)
        for (written, expected) in zip(values, forecast.values) {
            XCTAssertEqual(written, expected, accuracy: abs(expected) * 1e-12)
        }
    }

    func testTimestampsAreWrittenInOrder() throws {
        let last = startTime + 4 * 60
        let timestamps = try decode(try makeForecast())["timestamps"] as? [Double]
        XCTAssertEqual(timestamps, [last + 60, last + 120, last + 180, last + 240])
    }

    func testNumbersRoundTripExactly() throws {
        let forecast = try makeForecast(points: 40)
        let body = try decodeExactly(forecast)
        XCTAssertEqual(body.ts, forecast.timestamp)
        XCTAssertEqual(body.interval, forecast.interval)
        XCTAssertEqual(body.values, forecast.values)
        XCTAssertEqual(body.timestamps, forecast.timestamps)
        XCTAssertEqual(body.model.trainLoss, forecast.model.trainingLoss)
        XCTAssertEqual(body.model.valLoss, forecast.model.validationLoss)
        XCTAssertEqual(body.model.trainSeconds, forecast.model.trainingSeconds)
    }

    func testModelCountsAreWritten() throws {
        let model = try decodeModel(try makeForecast())
        XCTAssertEqual(model["version"] as? Int, 1)
        XCTAssertEqual(model["points"] as? Int, 5)
        XCTAssertEqual(model["epochs"] as? Int, 2)
    }

    func testModelLossesAndDurationAreNumbers() throws {
        let forecast = try makeForecast(points: 40)
        let model = try decodeModel(forecast)
        let validationLoss = try XCTUnwrap(forecast.model.validationLoss)
        XCTAssertEqual(try XCTUnwrap(model["train_loss"] as? Double), forecast.model.trainingLoss, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(model["val_loss"] as? Double), validationLoss, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(model["train_seconds"] as? Double), forecast.model.trainingSeconds, accuracy: 1e-9)
    }

    func testTrainedAtIsRFC3339OfModelInfo() throws {
        let forecast = try makeForecast()
        let trainedAt = try XCTUnwrap(try decodeModel(forecast)["trained_at"] as? String)
        XCTAssertEqual(trainedAt, RFC3339.format(forecast.model.trainedAt))
        XCTAssertEqual(try XCTUnwrap(RFC3339.parse(trainedAt)), forecast.model.trainedAt, accuracy: 0.001)
    }

    func testMissingValidationLossIsNull() throws {
        let forecast = try makeForecast(validationFraction: 0)
        XCTAssertNil(forecast.model.validationLoss)
        XCTAssertTrue(try decodeModel(forecast)["val_loss"] is NSNull)
    }

    func testMissingValidationLossIsLiteralNull() throws {
        XCTAssertTrue(try makeForecast(validationFraction: 0).json().contains(#""val_loss":null"#))
    }

    func testFallbackIsAbsentForHealthyModel() throws {
        XCTAssertNil(try decode(try makeForecast())["fallback"])
    }

    func testSeriesWithQuotesAndNewlineRoundTrips() throws {
        let name = "say \"hi\"\nthen\\tab\there"
        XCTAssertEqual(try decode(try makeForecast(series: name))["series"] as? String, name)
    }

    func testSeriesEscapesLeaveNoRawNewlineOrQuote() throws {
        let json = try makeForecast(series: "a\"b\nc").json()
        XCTAssertFalse(json.contains("\n"))
        XCTAssertTrue(json.contains(#""series":"a\"b\nc""#))
    }

    func testSeriesControlCharactersUseUnicodeEscapes() throws {
        let name = "bell\u{07}nul\u{00}unit\u{1F}"
        let forecast = try makeForecast(series: name)
        XCTAssertTrue(forecast.json().contains(#"bell\u0007nul\u0000unit\u001f"#))
        XCTAssertEqual(try decode(forecast)["series"] as? String, name)
    }

    func testNonASCIISeriesRoundTrips() throws {
        let name = "données.température.🌡"
        XCTAssertEqual(try decode(try makeForecast(series: name))["series"] as? String, name)
    }

    func testWholeNumberTimestampIsWrittenWithoutFraction() throws {
        XCTAssertTrue(try makeForecast().json().contains("\"ts\":\(Int(startTime) + 240),"))
    }

    func testRFC3339FormatsWholeAndFractionalSeconds() {
        XCTAssertEqual(RFC3339.format(1_704_067_200), "2024-01-01T00:00:00Z")
        XCTAssertEqual(RFC3339.format(1_704_067_200.25), "2024-01-01T00:00:00.250Z")
    }
}
