/// A configuration problem at a place in a file, rendered the way compilers
/// report errors: `file:line:column: error: message`, then the source line
/// and a caret under the column.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let mark: SourceMark?
    public let message: String
    public let sourceLine: String?

    public init(file: String, mark: SourceMark?, message: String, source: String?) {
        self.file = file
        self.mark = mark
        self.message = message
        if let mark, let source {
            // isNewline also matches "\r\n", which Swift treats as one Character.
            let lines = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            sourceLine = mark.line >= 1 && mark.line <= lines.count ? String(lines[mark.line - 1]) : nil
        } else {
            sourceLine = nil
        }
    }

    /// The one-line form, `file:line:column: error: message`.
    public var summary: String {
        if let mark { return "\(file):\(mark.line):\(mark.column): error: \(message)" }
        return "\(file): error: \(message)"
    }

    public var description: String {
        guard let mark, let sourceLine else { return summary }
        let caret = String(repeating: " ", count: max(0, mark.column - 1)) + "^"
        return "\(summary)\n\(sourceLine)\n\(caret)"
    }
}
