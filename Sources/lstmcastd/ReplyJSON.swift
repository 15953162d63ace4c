import Foundation

/// Encodes a control reply, built from dictionaries, arrays, strings,
/// numbers, booleans and `NSNull`, as JSON with sorted keys.
///
/// JSONSerialization did the same, but with 1,000 series a status reply took
/// it about 200 ms, during which the main loop read no points. This writes
/// straight into one string. Doubles use Swift's shortest round-trip form.
enum ReplyJSON {
    static func encode(_ value: Any) -> String {
        var out = ""
        out.reserveCapacity(4096)
        write(value, to: &out)
        return out
    }

    private static func write(_ value: Any, to out: inout String) {
        // Collections come first: a cast to a class such as NSNull makes the
        // runtime bridge a Swift dictionary or array to Foundation first,
        // which cost more than the whole encoding.
        switch value {
        case let object as [String: Any]:
            out += "{"
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                writeString(key, to: &out)
                out += ":"
                write(object[key]!, to: &out)
            }
            out += "}"
        case let array as [Any]:
            out += "["
            for (index, element) in array.enumerated() {
                if index > 0 { out += "," }
                write(element, to: &out)
            }
            out += "]"
        case let text as String:
            writeString(text, to: &out)
        case let flag as Bool:
            out += flag ? "true" : "false"
        case let number as Int:
            out += String(number)
        case let number as Double:
            // JSON has no NaN or infinity, so they become null.
            guard number.isFinite else {
                out += "null"
                return
            }
            if number == number.rounded(), abs(number) < 1e15 {
                out += String(Int64(number))
            } else {
                number.write(to: &out)
            }
        case let number as Float:
            write(Double(number), to: &out)
        case is NSNull:
            out += "null"
        default:
            // Every reply is built from the types above; anything else is written as its description.
            writeString("\(value)", to: &out)
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        // Most strings need no escape and are appended whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
