/// A one-based position in a source file.
public struct SourceMark: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A parsed YAML document, each node remembering where it started.
public indirect enum YAMLNode: Sendable {
    case scalar(String, quoted: Bool, SourceMark)
    case sequence([YAMLNode], SourceMark)
    case mapping([YAMLEntry], SourceMark)

    public var mark: SourceMark {
        switch self {
        case .scalar(_, _, let mark), .sequence(_, let mark), .mapping(_, let mark): return mark
        }
    }

    /// A word for error messages: "a string", "a list", "a mapping".
    var kindDescription: String {
        switch self {
        case .scalar: return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// True for an empty document, `~` or `null`.
    var isNull: Bool {
        if case .scalar(let text, let quoted, _) = self, !quoted {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }
}

/// One key of a mapping; keys are plain strings in lstmcast's files.
public struct YAMLEntry: Sendable {
    public let key: String
    public let keyMark: SourceMark
    public let value: YAMLNode
}
