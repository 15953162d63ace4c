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

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into epoch seconds,
    /// or returns nil. `T` and `Z` may be lower case, as RFC 3339 allows.
    ///
    /// Read by hand rather than by ISO8601DateFormatter, which accepted
    /// impossible dates such as February 30 (it rolled them into March) and
    /// read years before 1583 in the Julian calendar. Dates here are
    /// proleptic Gregorian, and every field must be in range. A leap second
    /// (`:60`) is rejected, since epoch seconds cannot name it.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(digits: 4), reader.skip("-"),
            let month = reader.number(digits: 2), reader.skip("-"),
            let day = reader.number(digits: 2), reader.skip("T", or: "t"),
            let hour = reader.number(digits: 2), reader.skip(":"),
            let minute = reader.number(digits: 2), reader.skip(":"),
            let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }

        var fraction = 0.0
        if reader.skip(".") {
            guard let value = reader.fraction() else { return nil }
            fraction = value
        }
        var offsetSeconds = 0
        if !reader.skip("Z", or: "z") {
            guard let sign = reader.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                let offsetHours = reader.number(digits: 2), reader.skip(":"),
                let offsetMinutes = reader.number(digits: 2), offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard reader.atEnd else { return nil }

        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return Double(seconds) + fraction
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
    /// ISO8601DateFormatter, which goes through ICU, showed in profiles of
    /// ingest. Dates are proleptic Gregorian like `parse`'s, where ICU would
    /// write those before the reform of 1582 in the Julian calendar. Values
    /// outside the years 1 to 9999 still go to the formatter.
    public static func format(_ seconds: Double, milliseconds: Bool) -> String {
        guard seconds.isFinite, (-62_135_596_800.0..<253_402_300_799.0).contains(seconds) else {
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

/// Reads the fixed-width digits of an RFC 3339 date-time.
private struct DigitReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        index += 1
        return bytes[index - 1]
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += digits
        return value
    }

    /// Consumes `character` (or `alternative`) when it comes next.
    mutating func skip(_ character: Unicode.Scalar, or alternative: Unicode.Scalar? = nil) -> Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        guard byte == UInt8(ascii: character) || alternative.map({ byte == UInt8(ascii: $0) }) == true else {
            return false
        }
        index += 1
        return true
    }

    /// Reads one or more digits after a decimal point as a fraction of a second.
    mutating func fraction() -> Double? {
        var value = 0.0
        var scale = 1.0
        var count = 0
        while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
            // Digits past a nanosecond cannot change a double near today's epoch seconds.
            if count < 9 {
                scale /= 10
                value += Double(bytes[index] - 0x30) * scale
            }
            count += 1
            index += 1
        }
        return count > 0 ? value : nil
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

    /// Returns the days from 1970-01-01 to the date, the inverse of `init`.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let marchYear = Int64(month <= 2 ? year - 1 : year)
        let cycle = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfCycle = marchYear - cycle * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfCycle = yearOfCycle * 365 + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear
        return cycle * 146_097 + dayOfCycle - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}
