internal import CYAML

/// Parses YAML text into `YAMLNode`s with libyaml's event API.
///
/// Anchors and aliases are rejected because a configuration file has no
/// use for them, and a duplicate key is an error instead of a silent override.
enum YAMLParser {
    static func parse(_ text: String, file: String) throws -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigurationError(file: file, mark: nil, message: "libyaml failed to initialise its parser", source: text)
        }
        defer { yaml_parser_delete(&parser) }

        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var reader = EventReader(parser: &parser, file: file, source: text)
            return try reader.readStream()
        }
    }
}

private struct EventReader {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let file: String
    let source: String

    init(parser: UnsafeMutablePointer<yaml_parser_t>, file: String, source: String) {
        self.parser = parser
        self.file = file
        self.source = source
    }

    /// A decoded event; libyaml's event is freed before this is returned.
    enum Event {
        case streamStart, streamEnd, documentStart, documentEnd
        case scalar(String, quoted: Bool, SourceMark)
        case sequenceStart(SourceMark), sequenceEnd
        case mappingStart(SourceMark), mappingEnd
        case alias(SourceMark)
    }

    mutating func next() throws -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
            let mark = SourceMark(
                line: Int(parser.pointee.problem_mark.line) + 1, column: Int(parser.pointee.problem_mark.column) + 1)
            var message = "invalid YAML: \(problem)"
            if let context = parser.pointee.context.map({ String(cString: $0) }) { message += " \(context)" }
            // libyaml's message for a tab does not mention tabs, the usual cause.
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line <= lines.count, lines[mark.line - 1].prefix(mark.column).contains("\t") {
                message += "; this line has a tab, and YAML indents with spaces only, so replace the tab with spaces"
            }
            throw ConfigurationError(file: file, mark: mark, message: message, source: source)
        }
        defer { yaml_event_delete(&event) }

        let mark = SourceMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT: return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT: return .alias(mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.withMemoryRebound(to: UInt8.self, capacity: scalar.length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            }
            return .scalar(text, quoted: scalar.style != YAML_PLAIN_SCALAR_STYLE, mark)
        case YAML_SEQUENCE_START_EVENT: return .sequenceStart(mark)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(mark)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default:
            throw ConfigurationError(file: file, mark: mark, message: "unexpected YAML event", source: source)
        }
    }

    mutating func readStream() throws -> YAMLNode? {
        guard case .streamStart = try next() else { return nil }
        var document: YAMLNode?
        var documents = 0
        while true {
            switch try next() {
            case .streamEnd:
                return document
            case .documentStart:
                documents += 1
                let first = try next()
                let root = try readNode(startingWith: first)
                if documents > 1 {
                    throw ConfigurationError(
                        file: file, mark: root.mark,
                        message: "the file contains more than one YAML document; keep one", source: source)
                }
                document = root
                guard case .documentEnd = try next() else {
                    throw ConfigurationError(file: file, mark: root.mark, message: "unexpected content after the document", source: source)
                }
            default:
                throw ConfigurationError(file: file, mark: nil, message: "unexpected YAML structure", source: source)
            }
        }
    }

    mutating func readNode(startingWith event: Event) throws -> YAMLNode {
        switch event {
        case .scalar(let text, let quoted, let mark):
            return .scalar(text, quoted: quoted, mark)
        case .sequenceStart(let mark):
            var items: [YAMLNode] = []
            while true {
                let item = try next()
                if case .sequenceEnd = item { return .sequence(items, mark) }
                items.append(try readNode(startingWith: item))
            }
        case .mappingStart(let mark):
            var entries: [YAMLEntry] = []
            while true {
                let keyEvent = try next()
                if case .mappingEnd = keyEvent { return .mapping(entries, mark) }
                guard case .scalar(let key, _, let keyMark) = keyEvent else {
                    let keyNode = try readNode(startingWith: keyEvent)
                    throw ConfigurationError(
                        file: file, mark: keyNode.mark, message: "a key must be a plain string, not \(keyNode.kindDescription)",
                        source: source)
                }
                if let earlier = entries.first(where: { $0.key == key }) {
                    throw ConfigurationError(
                        file: file, mark: keyMark,
                        message: "duplicate key '\(key)' (first set at line \(earlier.keyMark.line)); keep one",
                        source: source)
                }
                let value = try readNode(startingWith: try next())
                entries.append(YAMLEntry(key: key, keyMark: keyMark, value: value))
            }
        case .alias(let mark):
            throw ConfigurationError(
                file: file, mark: mark, message: "YAML aliases are not supported; write the value out", source: source)
        default:
            throw ConfigurationError(file: file, mark: nil, message: "unexpected YAML structure", source: source)
        }
    }
}
