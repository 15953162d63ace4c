/// Helpers that read numbers and fields straight from a message's bytes, so
/// the ingest path builds no String for a well-formed point.
enum ByteText {
    static func isSpaceOrTab(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// True when `bytes` is strict UTF-8. Pure ASCII, the usual case, is
    /// checked byte by byte without building a String.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte >= 0x80 {
            return String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil
        }
        return true
    }

    /// Decodes bytes already known to be valid UTF-8.
    static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Returns the range left after dropping leading and trailing ASCII spaces, tabs and line breaks.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, isASCIISpace(bytes[start]) { start += 1 }
        while end > start, isASCIISpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    /// Up to three fields separated by runs of spaces and tabs. `count` keeps
    /// counting past three, so a caller can tell "too many" from a valid shape.
    struct Fields {
        private(set) var count = 0
        private var ranges: (Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0)

        init(_ bytes: UnsafeRawBufferPointer, in range: Range<Int>) {
            var index = range.lowerBound
            while index < range.upperBound {
                while index < range.upperBound, isSpaceOrTab(bytes[index]) { index += 1 }
                guard index < range.upperBound else { break }
                let start = index
                while index < range.upperBound, !isSpaceOrTab(bytes[index]) { index += 1 }
                switch count {
                case 0: ranges.0 = start..<index
                case 1: ranges.1 = start..<index
                case 2: ranges.2 = start..<index
                default: break
                }
                count += 1
            }
        }

        subscript(_ position: Int) -> Range<Int> {
            switch position {
            case 0: return ranges.0
            case 1: return ranges.1
            default: return ranges.2
            }
        }
    }

    /// Powers of ten up to 10²², the ones a double represents exactly.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses a decimal number the way `Double(String)` does and returns the
    /// same double. Plain forms with at most 15 significant digits and 22
    /// decimals are computed directly: both the digits and the power of ten
    /// are exact doubles, so one correctly rounded division gives the nearest
    /// double, as strtod does. Anything else (exponents, long digit strings,
    /// "inf", hexadecimal) goes through `Double(String)`.
    static func double(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        var index = range.lowerBound
        let end = range.upperBound
        var negative = false

        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var digits: UInt64 = 0
        var significant = 0
        var decimals = 0
        var sawDigit = false
        var sawPoint = false
        var plain = true

        while index < end {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                if digits != 0 || byte != 0x30 { significant += 1 }
                digits = digits &* 10 &+ UInt64(byte - 0x30)
                if sawPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                plain = false
                break
            }
            index += 1
        }

        if plain, sawDigit, significant <= 15, decimals <= 22 {
            let magnitude = Double(digits) / powersOfTen[decimals]
            return negative ? -magnitude : magnitude
        }
        return Double(string(bytes, range))
    }
}
