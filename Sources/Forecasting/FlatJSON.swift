/// A top-level JSON member value as the point parser needs it.
enum FlatJSONValue: Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    /// An array or object, checked for syntax but not kept.
    case nested
}

/// A strict parser of one JSON object (RFC 8259) that keeps its top-level
/// members. Foundation's JSONSerialization cannot be used here because on
/// Linux it bridges `1` and `true` to the same NSNumber, so `{"value": true}`
/// would pass as 1.
struct FlatJSON {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 64

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Returns the members of the object in `text`, or nil if it is not exactly one valid JSON object.
    static func parseObject(_ text: Substring.UTF8View) -> [String: FlatJSONValue]? {
        var parser = FlatJSON(Array(text))
        parser.skipWhitespace()
        guard let members = parser.readObjectMembers() else { return nil }
        parser.skipWhitespace()
        return parser.index == parser.bytes.count ? members : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func readObjectMembers() -> [String: FlatJSONValue]? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var members: [String: FlatJSONValue] = [:]
        if consume(UInt8(ascii: "}")) { return members }
        repeat {
            skipWhitespace()
            guard let key = readString(), consume(UInt8(ascii: ":")), let value = readValue() else { return nil }
            members[key] = value
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? members : nil
    }

    private mutating func readValue() -> FlatJSONValue? {
        skipWhitespace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return readString().map { .string($0) }
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

    private mutating func readLiteral(_ word: String) -> Bool {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            return false
        }
        index += expected.count
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
        return Double(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func readString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var result: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: result, as: UTF8.self)
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
                return nil  // control characters must be escaped
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
                let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
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
        if bytes[index] == UInt8(ascii: "{") { return readObjectMembers() != nil }
        index += 1
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard readValue() != nil else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }
}
