import Configuration
import XCTest

/// Parses `text` as `c.yaml` and checks the full rendered error, source line and caret included.
func assertConfigurationError(
    _ text: String, renders expected: String, file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let settings = try ConfigurationLoader.parse(text, file: "c.yaml")
        XCTFail("expected a ConfigurationError, got settings \(settings)", file: file, line: line)
    } catch let error as ConfigurationError {
        XCTAssertEqual(error.description, expected, file: file, line: line)
    } catch {
        XCTFail("expected a ConfigurationError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
