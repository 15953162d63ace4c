import Foundation

/// RFC 3339 timestamps to and from epoch seconds.
public enum RFC3339 {
    private static let withFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    private static let plain: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    public static func parse(_ text: String) -> Double? {
        if let date = plain.date(from: text) ?? withFraction.date(from: text) {
            return date.timeIntervalSince1970
        }
        return nil
    }

    public static func format(_ seconds: Double) -> String {
        let date = Date(timeIntervalSince1970: seconds)
        return seconds.rounded() == seconds ? plain.string(from: date) : withFraction.string(from: date)
    }
}
