import Foundation

/// A usage mistake on the command line; the CLI prints it with the
/// subcommand's help and exits 64.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A runtime failure; the CLI prints it and exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Reads `--flag value` options and positional arguments in any order.
struct Arguments {
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    private(set) var positional: [String] = []
    private var consumed: Set<String> = []

    /// `valueOptions` take a value; `booleanFlags` do not.
    init(_ arguments: [String], valueOptions: Set<String>, booleanFlags: Set<String>) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valueOptions.contains(argument) {
                guard index + 1 < arguments.count else { throw UsageError(message: "\(argument) needs a value") }
                options[argument] = arguments[index + 1]
                index += 2
            } else if booleanFlags.contains(argument) {
                flags.insert(argument)
                index += 1
            } else if argument.hasPrefix("--") {
                throw UsageError(message: "unknown option '\(argument)'")
            } else {
                positional.append(argument)
                index += 1
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }

    func string(_ name: String) -> String? { options[name] }

    func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = options[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(message: "\(name) must be an integer between \(range.lowerBound) and \(range.upperBound), got '\(text)'")
        }
        return value
    }

    func number(_ name: String, default fallback: Double, range: ClosedRange<Double>) throws -> Double {
        guard let text = options[name] else { return fallback }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw UsageError(message: "\(name) must be a number between \(range.lowerBound) and \(range.upperBound), got '\(text)'")
        }
        return value
    }
}
