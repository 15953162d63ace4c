/// Reads the keys of one YAML mapping into typed values, turning every
/// mistake into a `ConfigurationError` that points at the offending node.
struct MappingReader {
    let path: String
    let entries: [YAMLEntry]
    let mark: SourceMark
    let file: String
    let source: String

    /// Opens `node` as a mapping; `null` or an empty document reads as no keys.
    init(_ node: YAMLNode?, path: String, file: String, source: String) throws {
        self.path = path
        self.file = file
        self.source = source
        switch node {
        case nil:
            entries = []
            mark = SourceMark(line: 1, column: 1)
        case .mapping(let entries, let mark)?:
            self.entries = entries
            self.mark = mark
        case let other? where other.isNull:
            entries = []
            mark = other.mark
        case let other?:
            let name = path.isEmpty ? "the top level" : "'\(path)'"
            throw ConfigurationError(
                file: file, mark: other.mark, message: "\(name) must be a mapping of keys, not \(other.kindDescription)",
                source: source)
        }
    }

    func error(_ message: String, at mark: SourceMark) -> ConfigurationError {
        ConfigurationError(file: file, mark: mark, message: message, source: source)
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects any key outside `allowed`, naming the keys that are valid.
    func requireKeys(in allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.key) {
            throw error(
                "unknown key '\(qualified(entry.key))'; valid keys here: \(allowed.joined(separator: ", "))",
                at: entry.keyMark)
        }
    }

    func node(_ key: String) -> YAMLNode? {
        entries.first { $0.key == key }?.value
    }

    func child(_ key: String) throws -> MappingReader? {
        guard let value = node(key) else { return nil }
        return try MappingReader(value, path: qualified(key), file: file, source: source)
    }

    private func scalar(_ key: String, expected: String) throws -> (String, SourceMark)? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let text, _, let mark) = value else {
            throw error("'\(qualified(key))' must be \(expected), not \(value.kindDescription)", at: value.mark)
        }
        return (text, mark)
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let (text, mark) = try scalar(key, expected: "an integer") else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("'\(qualified(key))' must be an integer, got '\(text)'", at: mark)
        }
        guard range.contains(value) else {
            throw error(
                "'\(qualified(key))' must be between \(range.lowerBound) and \(range.upperBound), got \(value)", at: mark)
        }
        return value
    }

    func unsigned(_ key: String) throws -> UInt64? {
        guard let (text, mark) = try scalar(key, expected: "a non-negative integer") else { return nil }
        guard let value = UInt64(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("'\(qualified(key))' must be a non-negative integer, got '\(text)'", at: mark)
        }
        return value
    }

    /// Reads a finite number; `openLower` excludes the lower bound itself.
    func number(_ key: String, in range: ClosedRange<Double>, openLower: Bool = false) throws -> Double? {
        guard let (text, mark) = try scalar(key, expected: "a number") else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw error("'\(qualified(key))' must be a number, got '\(text)'", at: mark)
        }
        let lowerOK = openLower ? value > range.lowerBound : value >= range.lowerBound
        guard lowerOK && value <= range.upperBound else {
            let bound = plainNumber(range.lowerBound)
            let lower = openLower ? "greater than \(bound)" : "at least \(bound)"
            throw error(
                "'\(qualified(key))' must be \(lower) and at most \(plainNumber(range.upperBound)), got \(text)", at: mark)
        }
        return value
    }

    func boolean(_ key: String) throws -> Bool? {
        guard let (text, mark) = try scalar(key, expected: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("'\(qualified(key))' must be true or false, got '\(text)'", at: mark)
        }
    }

    func string(_ key: String, allowEmpty: Bool = false) throws -> String? {
        guard let (text, mark) = try scalar(key, expected: "a string") else { return nil }
        if !allowEmpty && text.isEmpty {
            throw error("'\(qualified(key))' must not be empty", at: mark)
        }
        return text
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let (text, mark) = try scalar(key, expected: "a string") else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("'\(qualified(key))' must be one of \(names), got '\(text)'", at: mark)
        }
        return value
    }

    /// Reads a list of scalars; a single scalar counts as a one-item list.
    func list(_ key: String) throws -> [(String, SourceMark)]? {
        guard let value = node(key) else { return nil }
        switch value {
        case .scalar(let text, _, let mark):
            return value.isNull ? [] : [(text, mark)]
        case .sequence(let items, _):
            return try items.map { item in
                guard case .scalar(let text, _, let mark) = item else {
                    throw error("each item of '\(qualified(key))' must be a scalar, not \(item.kindDescription)", at: item.mark)
                }
                return (text, mark)
            }
        case .mapping:
            throw error("'\(qualified(key))' must be a list, not a mapping", at: value.mark)
        }
    }

    func endpoints(_ key: String, allowEmpty: Bool = true) throws -> [String]? {
        guard let items = try list(key) else { return nil }
        for (text, mark) in items where !isEndpoint(text) {
            throw error(
                "'\(qualified(key))' contains '\(text)', which is not a ZeroMQ endpoint; write transport://address, "
                    + "e.g. tcp://127.0.0.1:5556 or ipc:///run/lstmcast/in", at: mark)
        }
        if !allowEmpty && items.isEmpty {
            throw error("'\(qualified(key))' must list at least one endpoint", at: node(key)!.mark)
        }
        return items.map(\.0)
    }
}

/// Formats a bound without a trailing ".0" when it is whole.
private func plainNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
}

/// Checks loosely for `transport://address`. libzmq itself rejects the rest at bind time.
func isEndpoint(_ text: String) -> Bool {
    let transports = ["tcp://", "ipc://", "inproc://", "pgm://", "epgm://", "ws://", "wss://", "vmci://"]
    return transports.contains { text.hasPrefix($0) && text.count > $0.count }
}
