import Foundation

/// RFC 3339 timestamps to and from epoch seconds, always in UTC.
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

    /// Formats whole seconds as `2024-01-01T00:00:00Z` and anything else
    /// with milliseconds, `2024-01-01T00:00:00.250Z`.
    public static func format(_ seconds: Double) -> String {
        format(seconds, milliseconds: seconds.rounded() != seconds)
    }

    /// Formats `seconds` with or without milliseconds, rounded to the
    /// nearest millisecond as ISO8601DateFormatter does.
    ///
    /// Computed by hand, because every forecast and log line carries one and
    /// ISO8601DateFormatter, which goes through ICU, showed in profiles of ingest.
    /// Instants before 1583 and after 9999 still go to the formatter: ICU
    /// writes dates before the Gregorian reform of 1582 in the Julian
    /// calendar, and `parse` reads them back the same way.
    public static func format(_ seconds: Double, milliseconds: Bool) -> String {
        guard seconds.isFinite, (-12_212_553_600.0..<253_402_300_799.0).contains(seconds) else {
            let date = Date(timeIntervalSince1970: seconds.isFinite ? seconds : 0)
            return milliseconds ? withFraction.string(from: date) : plain.string(from: date)
        }
        // Halves round up, toward the later instant, as the formatter does before 1970 too.
        let totalMilliseconds = Int64((seconds * 1000 + 0.5).rounded(.down))
        let millisecondsPerDay: Int64 = 86_400_000
        var days = totalMilliseconds / millisecondsPerDay
        var remainder = totalMilliseconds - days * millisecondsPerDay
        if remainder < 0 {
            days -= 1
            remainder += millisecondsPerDay
        }
        let date = CivilDate(daysSince1970: days)
        let secondOfDay = Int(remainder / 1000)

        var text = [UInt8]()
        text.reserveCapacity(24)
        appendDigits(date.year, count: 4, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(date.month, count: 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(date.day, count: 2, to: &text)
        text.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, count: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, count: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, count: 2, to: &text)
        if milliseconds {
            text.append(UInt8(ascii: "."))
            appendDigits(Int(remainder % 1000), count: 3, to: &text)
        }
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, count: Int, to text: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

/// A proleptic Gregorian date, computed from a day count by splitting time
/// into 400-year cycles, each exactly 146,097 days long.
struct CivilDate {
    let year: Int
    let month: Int
    let day: Int

    init(daysSince1970: Int64) {
        // Counting from 0000-03-01 puts the leap day at the end of each
        // year, so month lengths follow a fixed pattern from March on.
        let daysSinceMarch0000 = daysSince1970 + 719_468
        let cycle = (daysSinceMarch0000 >= 0 ? daysSinceMarch0000 : daysSinceMarch0000 - 146_096) / 146_097
        let dayOfCycle = daysSinceMarch0000 - cycle * 146_097
        let yearOfCycle = (dayOfCycle - dayOfCycle / 1460 + dayOfCycle / 36_524 - dayOfCycle / 146_096) / 365
        let dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100)
        // Months from March: lengths 31 30 31 30 31 31 30 31 30 31 31 28/29.
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        year = Int(yearOfCycle + cycle * 400 + (month <= 2 ? 1 : 0))
    }
}
