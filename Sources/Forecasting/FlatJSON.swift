/// A top-level JSON member value as the point parser needs it.
enum FlatJSONValue: Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    /// An array or object, checked for syntax but not kept.
    case nested
}

/// The members of a point's JSON object that the parser reads.
struct PointMembers {
    var value: FlatJSONValue?
    var ts: FlatJSONValue?
}

/// A strict parser of one JSON object (RFC 8259) that checks all of it but
/// keeps only the top-level `value` and `ts` members, the last one of each
/// name when a name repeats. Foundation's JSONSerialization cannot be used
/// here because on Linux it bridges `1` and `true` to the same NSNumber, so
/// `{"value": true}` would pass as 1. It reads the message's bytes in place
/// and builds a String only for a string value it keeps.
struct FlatJSON {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 64

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Returns the point members of the object in `bytes`, or nil if they are
    /// not exactly one valid JSON object. The bytes must be valid UTF-8.
    static func parsePoint(_ bytes: UnsafeRawBufferPointer) -> PointMembers? {
        var parser = FlatJSON(bytes)
        parser.skipWhitespace()
        guard let members = parser.readObjectMembers(keep: true) else { return nil }
        parser.skipWhitespace()
        return parser.index == parser.bytes.count ? members : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, ByteText.isASCIISpace(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Reads an object. With `keep` it returns its `value` and `ts` members;
    /// nested objects are only checked.
    private mutating func readObjectMembers(keep: Bool) -> PointMembers? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var members = PointMembers()
        if consume(UInt8(ascii: "}")) { return members }
        repeat {
            skipWhitespace()
            guard let key = readString(keep: true), consume(UInt8(ascii: ":")) else { return nil }
            let isPointMember = keep && (key == .text("value") || key == .text("ts"))
            guard let value = readValue(keep: isPointMember) else { return nil }
            if isPointMember {
                if key == .text("value") { members.value = value } else { members.ts = value }
            }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? members : nil
    }

    private mutating func readValue(keep: Bool) -> FlatJSONValue? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            guard let string = readString(keep: keep) else { return nil }
            if case .text(let text) = string { return .string(text) }
            return .string("")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return skipNested() ? .nested : nil
        case UInt8(ascii: "t"):
            return readLiteral("true") ? .bool(true) : nil
        case UInt8(ascii: "f"):
            return readLiteral("false") ? .bool(false) : nil
        case UInt8(ascii: "n"):
            return readLiteral("null") ? .null : nil
        default:
            return readNumber().map { .number($0) }
        }
    }

    private mutating func readLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// Reads a number with JSON's grammar: `-? int frac? exp?`, no leading zeros.
    private mutating func readNumber() -> Double? {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0 else { return nil }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        return ByteText.double(bytes, start..<index)
    }

    /// A string read by `readString`: its text, or nothing when the caller
    /// did not ask to keep it.
    private enum StringRead: Equatable {
        case text(String)
        case skipped
    }

    /// Reads a string literal. An unescaped string, the usual case, is
    /// decoded straight from the bytes; escapes are resolved into a buffer.
    private mutating func readString(keep: Bool) -> StringRead? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return keep ? .text(ByteText.string(bytes, start..<index - 1)) : .skipped
            }
            if byte == UInt8(ascii: "\\") { break }
            // Control characters must be escaped.
            if byte < 0x20 { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        var result = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard keep else { return .skipped }
                return String(validating: result, as: UTF8.self).map { .text($0) }
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(escape)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = readUnicodeEscape() else { return nil }
                    result.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            case 0x00..<0x20:
                return nil
            default:
                result.append(byte)
            }
        }
        return nil
    }

    /// Reads the hex digits after `\u`, joining a surrogate pair when present.
    private mutating func readUnicodeEscape() -> Unicode.Scalar? {
        func hex4() -> UInt32? {
            guard index + 4 <= bytes.count,
                (index..<index + 4).allSatisfy({ bytes[$0] < 0x80 && Character(UnicodeScalar(bytes[$0])).isHexDigit }),
                let value = UInt32(ByteText.string(bytes, index..<index + 4), radix: 16)
            else { return nil }
            index += 4
            return value
        }
        guard let first = hex4() else { return nil }
        if (0xD800...0xDBFF).contains(first) {
            guard readLiteral("\\u"), let second = hex4(), (0xDC00...0xDFFF).contains(second) else { return nil }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
        }
        return Unicode.Scalar(first)
    }

    /// Skips an array or object after checking its syntax.
    private mutating func skipNested() -> Bool {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return false }
        if bytes[index] == UInt8(ascii: "{") { return readObjectMembers(keep: false) != nil }
        index += 1
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard readValue(keep: false) != nil else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }
}
