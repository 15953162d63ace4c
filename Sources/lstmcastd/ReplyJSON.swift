import Forecasting
import Foundation

/// Encodes a control reply, built from dictionaries, arrays, strings,
/// numbers, booleans and `NSNull`, as JSON with sorted keys.
///
/// JSONSerialization did the same, but with 1,000 series a status reply took
/// it about 200 ms, during which the main loop read no points. This writes
/// straight into one string, with the forecasts' `JSONWriter`.
enum ReplyJSON {
    static func encode(_ value: Any) -> String {
        var out = JSONWriter(capacity: 4096)
        write(value, to: &out)
        return out.text
    }

    private static func write(_ value: Any, to out: inout JSONWriter) {
        // Collections come first: a cast to a class such as NSNull makes the
        // runtime bridge a Swift dictionary or array to Foundation first,
        // which cost more than the whole encoding.
        switch value {
        case let object as [String: Any]:
            out.raw("{")
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { out.raw(",") }
                out.string(key)
                out.raw(":")
                write(object[key]!, to: &out)
            }
            out.raw("}")
        case let array as [Any]:
            out.raw("[")
            for (index, element) in array.enumerated() {
                if index > 0 { out.raw(",") }
                write(element, to: &out)
            }
            out.raw("]")
        case let text as String:
            out.string(text)
        case let flag as Bool:
            out.raw(flag ? "true" : "false")
        case let number as Int:
            out.integer(number)
        case let number as Double:
            out.number(number)
        case let number as Float:
            out.number(Double(number))
        case is NSNull:
            out.raw("null")
        default:
            // Every reply is built from the types above; anything else is written as its description.
            out.string("\(value)")
        }
    }
}
