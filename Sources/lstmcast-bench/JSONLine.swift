import Foundation

/// One benchmark figure as a single-line JSON object whose keys keep the
/// order they were added in, so lines from both implementations read alike.
struct JSONLine {
    private var fields: [String] = []

    init(bench: String, impl: String = "lstmcast") {
        add("bench", bench)
        add("impl", impl)
    }

    mutating func add(_ key: String, _ value: String) {
        fields.append("\(Self.quoted(key)):\(Self.quoted(value))")
    }

    mutating func add(_ key: String, _ value: Int) {
        fields.append("\(Self.quoted(key)):\(value)")
    }

    /// Adds `value` rounded to `decimals` places. NaN and infinity become
    /// null because JSON has no literal for them.
    mutating func add(_ key: String, _ value: Double, decimals: Int) {
        let text = value.isFinite ? String(format: "%.\(decimals)f", value) : "null"
        fields.append("\(Self.quoted(key)):\(text)")
    }

    /// Adds `value` with `digits` significant digits, for losses whose scale is not known in advance.
    mutating func add(_ key: String, _ value: Double, significantDigits digits: Int) {
        let text = value.isFinite ? String(format: "%.\(digits)g", value) : "null"
        fields.append("\(Self.quoted(key)):\(text)")
    }

    func emit() {
        print("{" + fields.joined(separator: ",") + "}")
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
